# kickstand in a container: the CLI and its embedded FusionAuth emulator, run as the unprivileged `node` user.
#
#   docker build -t kickstand-cli .
#   docker run --rm -v "$PWD:/work" -w /work -e FUSIONAUTH_URL -e FUSIONAUTH_API_KEY kickstand-cli plan config/
#   docker run --rm -p 9011:9011 kickstand-cli emulator --host 0.0.0.0 --port 9011 --api-key "$KEY" --licensed
#
# The base image follows Node 20 (the oldest Node kickstand supports; its `engines`). Two stages: the build stage has the dev dependencies (TypeScript, tsx) to compile dist/; the runtime stage has only
# the production dependencies, the compiled code and the schema.

FROM node:20-alpine AS build
WORKDIR /src
COPY package.json package-lock.json ./
# --ignore-scripts: `prepare` would build before the sources are copied; the build runs below.
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY scripts ./scripts
COPY schema ./schema
COPY src ./src
RUN npm run build

FROM node:20-alpine AS runtime
ENV NODE_ENV=production
WORKDIR /app
COPY package.json package-lock.json LICENSE ./
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund && npm cache clean --force
COPY --from=build /src/dist ./dist
COPY --from=build /src/schema ./schema
USER node
ENTRYPOINT ["node", "/app/dist/cli/main.js"]
CMD ["--help"]

#!/usr/bin/env node
// Post a kickstand markdown plan as a pull-request comment (GitHub) or merge-request note (GitLab), or update the one
// an earlier run of the pipeline posted, so that a pull request carries one plan comment per environment however often
// it is pushed. The plan's first line is kickstand's hidden marker (`<!-- kickstand-plan -->`, or
// `<!-- kickstand-plan: <title> -->` with `--title`), which identifies the comment.
//
//   node upsert-comment.mjs github plan.md   # needs GITHUB_TOKEN, GITHUB_REPOSITORY, PR_NUMBER (GITHUB_API_URL optional)
//   node upsert-comment.mjs gitlab plan.md   # needs GITLAB_TOKEN, CI_API_V4_URL, CI_PROJECT_ID, CI_MERGE_REQUEST_IID
//
// Needs Node.js 20 (fetch); no dependencies. Exit status 0 when the comment was posted or updated, 1 otherwise. The
// token is sent as a header and never printed.
import { readFileSync } from 'node:fs';

const MARKER = /^<!-- kickstand-plan(: [^\n]*)? -->$/;
/** Pages of 100 comments read at most while looking for the earlier comment. */
const MAX_PAGES = 50;

/** A required environment variable, or exit naming it. */
function env(name) {
  const v = process.env[name];
  if (v === undefined || v === '') fail(`${name} is not set`);
  return v;
}

function fail(message) {
  process.stderr.write(`upsert-comment: ${message}\n`);
  process.exit(1);
}

/** One API call; the parsed reply, or exit with the status (never the token). */
async function call(method, url, headers, body) {
  const res = await fetch(url, {
    method,
    headers: { ...headers, accept: 'application/json', ...(body ? { 'content-type': 'application/json' } : {}) },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  if (!res.ok) fail(`${method} ${new URL(url).pathname} answered ${res.status}`);
  return res.status === 204 ? undefined : res.json();
}

/** The providers: where the comments of the pull or merge request are, and how one is created or updated. */
const PROVIDERS = {
  github: () => {
    const api = (process.env.GITHUB_API_URL || 'https://api.github.com').replace(/\/$/, '');
    const base = `${api}/repos/${env('GITHUB_REPOSITORY')}`;
    const number = env('PR_NUMBER');
    return {
      headers: { authorization: `Bearer ${env('GITHUB_TOKEN')}`, 'x-github-api-version': '2022-11-28' },
      list: (page) => `${base}/issues/${number}/comments?per_page=100&page=${page}`,
      create: { method: 'POST', url: `${base}/issues/${number}/comments` },
      update: (id) => ({ method: 'PATCH', url: `${base}/issues/comments/${id}` }),
    };
  },
  gitlab: () => {
    const base = `${env('CI_API_V4_URL').replace(/\/$/, '')}/projects/${encodeURIComponent(env('CI_PROJECT_ID'))}/merge_requests/${env('CI_MERGE_REQUEST_IID')}`;
    return {
      headers: { 'private-token': env('GITLAB_TOKEN') },
      list: (page) => `${base}/notes?per_page=100&page=${page}`,
      create: { method: 'POST', url: `${base}/notes` },
      update: (id) => ({ method: 'PUT', url: `${base}/notes/${id}` }),
    };
  },
};

const [providerName, file] = process.argv.slice(2);
const provider = PROVIDERS[providerName];
if (!provider || !file) fail('usage: upsert-comment.mjs github|gitlab <plan.md>');
let body;
try {
  body = readFileSync(file, 'utf8');
} catch (e) {
  fail(`cannot read ${file}: ${e.code ?? e.message}`);
}
const marker = body.split('\n', 1)[0];
if (!MARKER.test(marker)) fail(`${file} does not start with kickstand's marker (<!-- kickstand-plan -->): is it a markdown plan?`);

const p = provider();
let earlier;
for (let page = 1; page <= MAX_PAGES && earlier === undefined; page++) {
  const comments = await call('GET', p.list(page), p.headers);
  if (!Array.isArray(comments)) fail(`listing the comments answered ${typeof comments}, not a list`);
  earlier = comments.find((c) => typeof c.body === 'string' && c.body.split('\n', 1)[0] === marker);
  if (comments.length < 100) break;
}
const target = earlier ? p.update(earlier.id) : p.create;
await call(target.method, target.url, p.headers, { body });
process.stdout.write(`${earlier ? 'updated' : 'posted'} the plan comment (${marker})\n`);

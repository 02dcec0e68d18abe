/**
 * The golden-file harness: each directory under test/golden/ is a case. A case holds its input and the expected
 * renderings; `golden.test.ts` renders every case and compares, `UPDATE_GOLDEN=1 npx vitest run test/golden`
 * rewrites the expected files.
 *
 * Inputs of a case (at least one):
 * - `kickstand.yaml` (+ the files it includes) and `live.json` (the server: `{ serverVersion, licensed, objects: {
 *   tenant: […], application: […], … } }`, objects full of server defaults, captured from the emulator by
 *   `capture-live.ts`): the plan comes from the real loader, live-state reader and planner (`makePlan`) and is
 *   rendered → `human.txt`, `plan.md`, `plan.out.json`. Optional `env.json` (the environment of `{{env}}`, nothing else
 *   of the process environment), `vars.json` (`--var` values), `options.json` (`{ "allowReplace": true, "allowUnknownFields": true,
 *   "showUnmanaged": true, "graph": true, "title": "production" }`: the plan flags, and the markdown plan's title).
 *   A `setup.yaml` beside them is not read here: it is the state `capture-live.ts` applied before listing the objects.
 * - `apply.json`: an ApplyResult → `apply.txt`, `apply.md`, `apply.out.json` (renderer tests, written by hand).
 * Optional `secrets.json`: values that must appear in no output of the case.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadConfig } from '../../src/config/load.js';
import { pluralOf } from '../../src/core/kind.js';
import type { ApplyResult, JsonObject, KindName, Plan } from '../../src/core/types.js';
import { plan as planFiles } from '../../src/engine.js';
import { ApiError } from '../../src/fusionauth/errors.js';
import type { ApiClient, ApiRequest, ApiResponse } from '../../src/fusionauth/types.js';
import { KINDS } from '../../src/kinds/index.js';
import { renderApplyHuman, renderPlanHuman } from '../../src/render/human.js';
import { renderApplyJson, renderPlanJson } from '../../src/render/json.js';
import { DEFAULT_MAX_CHARS, renderApplyMarkdown, renderPlanMarkdown } from '../../src/render/markdown.js';

/** One golden case: its name (the directory name) and its directory. */
export interface GoldenCase {
  name: string;
  dir: string;
}

/** The directory holding the cases. */
export const GOLDEN_ROOT = fileURLToPath(new URL('.', import.meta.url));

/** Every case directory, sorted by name. */
export function listCases(root = GOLDEN_ROOT): GoldenCase[] {
  return readdirSync(root)
    .filter((n) => statSync(join(root, n)).isDirectory())
    .sort()
    .map((name) => ({ name, dir: join(root, name) }));
}

/** The server URL every golden plan shows. */
export const GOLDEN_TARGET = 'https://auth.example.com';

/** A case's `live.json`. */
export interface LiveFile {
  serverVersion: string;
  licensed: boolean;
  objects: Partial<Record<KindName, JsonObject[]>>;
}

function readJson<T>(file: string): T | undefined {
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as T) : undefined;
}

/**
 * A read-only client answering from a live.json the GETs `fetchLiveState` sends (version, reactor, each kind's list,
 * the FusionAuth application by id, each API key the files address by id) and the searches of search-listed kinds, so that the plan goes through the same reader as against a server. Any other
 * request fails the test: planning must not write.
 */
export function liveFileClient(live: LiveFile): ApiClient {
  const reply = <T>(body: JsonObject): Promise<ApiResponse<T>> => Promise.resolve({ status: 200, body: body as T });
  return {
    baseUrl: GOLDEN_TARGET,
    request<T = JsonObject>(req: ApiRequest): Promise<ApiResponse<T>> {
      // A kind listed through its search API (users): every object of live.json in one page.
      const searched = KINDS.find((k) => req.method === 'POST' && k.wire.searchPath === req.path);
      if (searched) {
        const all = live.objects[searched.name] ?? [];
        return reply({ [pluralOf(searched.wire)]: all, total: all.length });
      }
      if (req.method === 'GET') {
        if (req.path === '/api/system/version') return reply({ version: live.serverVersion });
        if (req.path === '/api/reactor') return reply({ status: { licensed: live.licensed } });
        // The longest path first: `/api/user/family/{id}` is a family's, not a user's.
        for (const kind of [...KINDS].sort((a, b) => (b.wire.path?.length ?? 0) - (a.wire.path?.length ?? 0))) {
          const path = kind.wire.path;
          if (kind.parent || path === undefined) continue;
          const all = live.objects[kind.name] ?? [];
          // live.json holds active and inactive objects together; fetchLiveState deduplicates the list queries by id.
          if (req.path === path) return reply(kind.wire.singleton ? { [kind.wire.singular]: all[0] ?? {} } : { [pluralOf(kind.wire)]: all });
          if (req.path.startsWith(`${path}/`)) {
            const hit = all.find((o) => o.id === req.path.slice(path.length + 1));
            if (hit) return reply({ [kind.wire.singular]: hit });
            // As the client reports it: a kind read by id (API keys) takes a 404 for "does not exist yet".
            return Promise.reject(new ApiError(`not found (404 on GET ${req.path})`, 404, { method: 'GET', path: req.path }));
          }
        }
      }
      return Promise.reject(new Error(`golden live client: unexpected ${req.method} ${req.path}`));
    },
  };
}

/**
 * Produce a case's plan through the real code: `loadConfig` of its kickstand.yaml (env.json as the whole environment,
 * vars.json as `--var`s), then `plan` from src/engine.ts (live state read by `fetchLiveState` from live.json through
 * `liveFileClient`, `computePlan`, load warnings merged into the plan's diagnostics). A load error throws.
 */
export async function makePlan(caseDir: string): Promise<Plan> {
  const env = readJson<Record<string, string>>(join(caseDir, 'env.json')) ?? {};
  const vars = readJson<Record<string, string>>(join(caseDir, 'vars.json'));
  const options = caseOptions(caseDir);
  const live = readJson<LiveFile>(join(caseDir, 'live.json'));
  if (!live) throw new Error(`${caseDir} holds kickstand.yaml but no live.json (run npx tsx test/golden/capture-live.ts)`);
  const desired = await loadConfig([join(caseDir, 'kickstand.yaml')], { env, ...(vars ? { vars } : {}), allowUnknownFields: options.allowUnknownFields ?? false });
  const out = await planFiles({
    desired, client: liveFileClient(live), allowReplace: options.allowReplace ?? false, showUnmanaged: options.showUnmanaged ?? false, graph: options.graph ?? false,
  });
  return out.plan;
}

/** A case's `options.json`: the plan flags it runs with, and the markdown plan's title. */
export interface CaseOptions {
  allowReplace?: boolean;
  allowUnknownFields?: boolean;
  showUnmanaged?: boolean;
  graph?: boolean;
  title?: string;
}

/** The options of the case in `caseDir` (none when it has no options.json). */
export function caseOptions(caseDir: string): CaseOptions {
  return readJson<CaseOptions>(join(caseDir, 'options.json')) ?? {};
}

/** The case's plan, produced by `makePlan` when it holds a kickstand.yaml. */
export async function loadPlan(c: GoldenCase): Promise<Plan | undefined> {
  return existsSync(join(c.dir, 'kickstand.yaml')) ? makePlan(c.dir) : undefined;
}

/** The case's apply result, when it has one. */
export function loadApply(c: GoldenCase): ApplyResult | undefined {
  const f = join(c.dir, 'apply.json');
  return existsSync(f) ? (JSON.parse(readFileSync(f, 'utf8')) as ApplyResult) : undefined;
}

/** Values that must appear in no output of the case. */
export function loadSecrets(c: GoldenCase): string[] {
  const f = join(c.dir, 'secrets.json');
  return existsSync(f) ? (JSON.parse(readFileSync(f, 'utf8')) as string[]) : [];
}

/**
 * The three renderings of a plan, by output file name. Golden files are rendered without colour; the markdown plan
 * with the CLI's cap and the case's title.
 */
export function planOutputs(plan: Plan, options: Pick<CaseOptions, 'title'> = {}): Record<string, string> {
  return {
    'human.txt': renderPlanHuman(plan, { color: false }),
    'plan.md': renderPlanMarkdown(plan, { maxChars: DEFAULT_MAX_CHARS, ...(options.title !== undefined ? { title: options.title } : {}) }),
    'plan.out.json': renderPlanJson(plan),
  };
}

/** The three renderings of an apply result, by output file name. */
export function applyOutputs(result: ApplyResult): Record<string, string> {
  return {
    'apply.txt': renderApplyHuman(result, { color: false }),
    'apply.md': renderApplyMarkdown(result),
    'apply.out.json': renderApplyJson(result),
  };
}

/**
 * The golden-file harness: each directory under test/golden/ is a case. A case holds its input and the expected
 * renderings; `golden.test.ts` renders every case and compares, `UPDATE_GOLDEN=1 npx vitest run test/golden`
 * rewrites the expected files.
 *
 * Inputs of a case (at least one):
 * - `plan.json`: a Plan written by hand → `human.txt`, `plan.md`, `plan.out.json`;
 * - `kickstand.yaml` + `live.json` (files + server state), when there is no `plan.json`: the plan comes from
 *   `makePlan(caseDir)` — the extension point to produce it through the real planner — and is rendered the same way;
 * - `apply.json`: an ApplyResult → `apply.txt`, `apply.md`, `apply.out.json`.
 * Optional `secrets.json`: values that must appear in no output of the case.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ApplyResult, Plan } from '../../src/core/types.js';
import { renderApplyHuman, renderPlanHuman } from '../../src/render/human.js';
import { renderApplyJson, renderPlanJson } from '../../src/render/json.js';
import { renderApplyMarkdown, renderPlanMarkdown } from '../../src/render/markdown.js';

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

/**
 * Produce a case's plan from its `kickstand.yaml` and `live.json` through the real planner (loadConfig, a LiveState
 * read from live.json, computePlan). Not wired yet: the lead replaces this body once the loader and planner exist.
 * Until then a case holding `kickstand.yaml` without `plan.json` fails with this message instead of passing silently.
 */
export async function makePlan(caseDir: string): Promise<Plan> {
  throw new Error(`${caseDir} holds kickstand.yaml but makePlan (test/golden/harness.ts) is not wired to the planner yet`);
}

/** The case's plan: `plan.json` if present, else `makePlan` when it holds files and live state, else none. */
export async function loadPlan(c: GoldenCase): Promise<Plan | undefined> {
  const planFile = join(c.dir, 'plan.json');
  if (existsSync(planFile)) return JSON.parse(readFileSync(planFile, 'utf8')) as Plan;
  if (existsSync(join(c.dir, 'kickstand.yaml'))) return makePlan(c.dir);
  return undefined;
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

/** The three renderings of a plan, by output file name. Golden files are rendered without colour. */
export function planOutputs(plan: Plan): Record<string, string> {
  return {
    'human.txt': renderPlanHuman(plan, { color: false }),
    'plan.md': renderPlanMarkdown(plan),
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

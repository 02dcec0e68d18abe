/**
 * The library's high-level operations: load files → read the server → plan → (apply). The CLI and library users
 * both go through here, so that `plan` and `apply` share one path and one diff.
 */
import { applyPlan, type ApplyOptions } from './apply/apply.js';
import { loadConfig, type LoadOptions } from './config/load.js';
import { addressedBodies, addressedEntries, addressedIds } from './core/match.js';
import { computePlan } from './core/plan.js';
import type { ApplyResult, DesiredState, KindName, Plan } from './core/types.js';
import type { ApiClient } from './fusionauth/types.js';
import { kindByName, KINDS } from './kinds/index.js';
import { fetchLiveState, type LiveState } from './state/fetch.js';

/** What `plan` needs: the files (or an already loaded desired state) and a client. */
export interface PlanInput {
  /** Files and folders to load; ignored when `desired` is given. */
  files?: string[];
  /** Options for loading the files (variables, limits). */
  load?: LoadOptions;
  /** An already loaded desired state (from `loadConfig`). */
  desired?: DesiredState;
  /** The FusionAuth client (`createClient`). */
  client: ApiClient;
  /** Turn changes of immutable fields into delete-and-create instead of errors. */
  allowReplace?: boolean;
  /** The API key the client sends, for the plan checks that must recognise it (`KindDef.checkPlan`); never printed. */
  apiKey?: string;
  /** List the live objects the files do not manage in `plan.unmanaged` (`--show-unmanaged`). */
  showUnmanaged?: boolean;
  /** Add the graph of what changes as `plan.graph` (`--graph`). */
  graph?: boolean;
}

/** What `plan` returns: the plan and what it was computed from. */
export interface PlanOutput {
  plan: Plan;
  desired: DesiredState;
  live: LiveState;
}

/**
 * Load the files (unless given), read the live state (one list call per kind present, plus the server's version and
 * license) and compute the plan. Throws `UserError` for invalid files; plan-time errors (preflight, immutable fields,
 * ambiguous names) are in `plan.diagnostics`.
 */
export async function plan(input: PlanInput): Promise<PlanOutput> {
  const desired = input.desired ?? (await loadConfig(input.files ?? [], input.load));
  const declared = new Set(desired.resources.map((r) => r.kind));
  // The children of declared kinds are read too when unmanaged objects are asked for (the roles of a managed
  // application that the files do not mention); they come from the parents' objects, without a request.
  const children = input.showUnmanaged ? KINDS.filter((k) => k.parent && declared.has(k.parent.kind)).map((k) => k.name) : [];
  const kinds = [...new Set([...declared, ...children])] as KindName[];
  const live = await fetchLiveState(input.client, kinds, KINDS, { ids: addressedIds(desired), entries: addressedEntries(desired), bodies: addressedBodies(desired) });
  const result = computePlan(desired, live, {
    target: input.client.baseUrl, allowReplace: input.allowReplace ?? false, kinds: KINDS, ...(input.apiKey !== undefined ? { apiKey: input.apiKey } : {}),
    requests: (c) => kindByName(c.kind).api.requests?.(c) ?? [],
    ...(input.showUnmanaged ? { showUnmanaged: true } : {}), ...(input.graph ? { graph: true } : {}),
  });
  result.diagnostics = [...desired.diagnostics, ...result.diagnostics];
  return { plan: result, desired, live };
}

/** Whether a plan holds errors (it must not be applied). */
export function planHasErrors(p: Plan): boolean {
  return p.diagnostics.some((d) => d.severity === 'error');
}

/** Whether a plan would change anything. */
export function planHasChanges(p: Plan): boolean {
  return p.changes.some((c) => c.action !== 'noop');
}

/** What `apply` needs: a plan input, or a plan already computed (and reviewed) with its desired state. */
export interface ApplyInput extends PlanInput, ApplyOptions {
  /** A plan computed earlier by `plan`; when absent one is computed now. */
  plan?: Plan;
}

/**
 * Apply: compute the plan (unless given) and execute it level by level. A plan with errors is not applied: every
 * change is then `skipped` and the result holds the plan's errors (`applyPlan` decides that, in one place).
 */
export async function apply(input: ApplyInput): Promise<{ plan: Plan; result: ApplyResult }> {
  let p = input.plan;
  let desired = input.desired;
  if (!p) {
    const out = await plan(input);
    p = out.plan;
    desired = out.desired;
  }
  const result = await applyPlan(p, input.client, { ...input, ...(desired ? { desired } : {}) });
  return { plan: p, result };
}

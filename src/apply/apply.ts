/**
 * Apply: executes a Plan over the client. Level by level (dependencies first), with bounded concurrency inside a
 * level. On the first failure, or when its abort signal fires (SIGINT/SIGTERM in the CLI), it stops scheduling new
 * writes, lets the writes in flight finish (after an abort, for at most a grace period) and marks the rest skipped.
 * Creates address the planned (pinned or derived) id, so a re-run after a failure or an interrupt converges.
 *
 * After the writes (not after an interrupt), each kind whose objects were written sends its after-write requests once
 * (`KindApi.afterWrites`: the user search index refreshed after users were written); a failure of one is a warning.
 *
 * Never throws for what the server or the network did: those become failed outcomes with diagnostics mapped back to
 * file:line:column. It throws only for bugs. It prints nothing: progress goes through `onOutcome`.
 */
import { annotateIds, planIdLabels } from '../core/describe.js';
import { UserError } from '../core/errors.js';
import { ApiError } from '../fusionauth/errors.js';
import type { ApiClient } from '../fusionauth/types.js';
import type {
  AfterWriteOutcome, ApplyResult, Change, ChangeOutcome, DesiredResource, DesiredState, Diagnostic, Plan, Where,
} from '../core/types.js';
import { isUuid } from '../core/uuid.js';
import type { AfterWrite } from '../kinds/api.js';
import { kindByName } from '../kinds/index.js';

/** Options of an apply. */
export interface ApplyOptions {
  /** Writes in flight at once within a dependency level (default 4, at least 1). */
  parallelism?: number;
  /** Called as each change completes (applied or failed), then for each skipped change. */
  onOutcome?: (o: ChangeOutcome) => void;
  /** The desired state the plan came from: used to map FusionAuth field errors back to file:line:column. */
  desired?: DesiredState;
  /**
   * Stop starting writes once aborted (a signal): the changes not started are `skipped` and the result says
   * `interrupted` with the abort's reason (the signal's name).
   */
  signal?: AbortSignal;
  /**
   * After the abort, how long to wait for the writes in flight before reporting them as failed ("outcome unknown")
   * and returning; default: wait for them (each is bounded by the client's timeouts and retries).
   */
  inFlightGraceMs?: number;
}

/** Apply a plan. See the module comment. */
export async function applyPlan(plan: Plan, client: ApiClient, options: ApplyOptions = {}): Promise<ApplyResult> {
  const parallelism = Math.max(1, Math.floor(options.parallelism ?? 4));
  const work = plan.changes.filter((c) => c.action !== 'noop');
  const outcomes = new Map<Change, ChangeOutcome>();
  const report = (c: Change, o: ChangeOutcome) => {
    outcomes.set(c, o);
    options.onOutcome?.(o);
  };
  const skip = (c: Change) => report(c, { ...identity(c), status: 'skipped' });
  const diagnostics: Diagnostic[] = [];

  if (plan.diagnostics.some((d) => d.severity === 'error')) {
    const r = notApplied(plan);
    for (const o of r.outcomes) options.onOutcome?.(o);
    return r;
  }

  // FusionAuth's messages quote ids; each that names an object of the plan is followed by what it is.
  const labels = planIdLabels(plan);
  let failed = false;
  const stopped = () => failed || options.signal?.aborted === true;
  const inFlight = new Set<Change>();
  for (const phase of phases(work)) {
    const queue = [...phase];
    const worker = async () => {
      while (!stopped() && queue.length > 0) {
        const c = queue.shift()!;
        inFlight.add(c);
        const o = await execute(c, client, options.desired, labels);
        inFlight.delete(c);
        if (outcomes.has(c)) continue; // reported as abandoned after the grace period
        if (o.status === 'failed') failed = true;
        report(c, o);
      }
    };
    const done = Promise.all(Array.from({ length: Math.min(parallelism, queue.length) }, worker));
    if (await finishedWithinGrace(done, options)) {
      for (const c of queue) skip(c);
      continue;
    }
    // Interrupted and the writes in flight outlived the grace period: their outcome is unknown.
    for (const c of inFlight) {
      report(c, { ...identity(c), status: 'failed', error: [{ severity: 'error', message: 'interrupted while this write was in flight: it may or may not have been applied (run plan to see)', where: { kind: c.kind, key: c.key } }] });
    }
    for (const c of queue) skip(c);
    break;
  }
  for (const c of work) if (!outcomes.has(c)) skip(c);
  const r = result(work, outcomes, diagnostics);
  if (options.signal?.aborted) {
    r.interrupted = { signal: String(options.signal.reason) };
    return r;
  }
  const after = await sendAfterWrites(work, outcomes, client);
  if (after.sent.length > 0) r.afterWrites = after.sent;
  r.diagnostics.push(...after.warnings);
  return r;
}

/**
 * The after-write requests due (`KindApi.afterWrites`), each sent once, in plan order: those of the kind of every change
 * that was applied or failed — a failed change may have written part of itself (a user created, a later registration
 * refused) — and of its parent kind (a registration is part of its user's object). A request two kinds ask for goes
 * once. A failure is a warning: the writes are done, only what the request is for is lost.
 */
async function sendAfterWrites(work: readonly Change[], outcomes: ReadonlyMap<Change, ChangeOutcome>, client: ApiClient): Promise<{ sent: AfterWriteOutcome[]; warnings: Diagnostic[] }> {
  const due = new Map<string, { kind: Change['kind']; after: AfterWrite }>();
  for (const c of work) {
    const status = outcomes.get(c)?.status;
    if (status !== 'applied' && status !== 'failed') continue;
    const kind = kindByName(c.kind);
    for (const name of kind.parent ? [c.kind, kind.parent.kind] : [c.kind]) {
      for (const after of kindByName(name).api.afterWrites ?? []) {
        const request = `${after.request.method} ${after.request.path}`;
        if (!due.has(request)) due.set(request, { kind: name, after });
      }
    }
  }
  const sent: AfterWriteOutcome[] = [];
  const warnings: Diagnostic[] = [];
  for (const [request, { kind, after }] of due) {
    try {
      await client.request(after.request);
      sent.push({ kind, request, status: 'applied' });
    } catch (e) {
      if (!(e instanceof UserError)) throw e;
      sent.push({ kind, request, status: 'failed' });
      warnings.push({ severity: 'warning', message: `after the writes, kickstand could not ${after.purpose} (${request}): ${e.message}; ${after.ifFailed}`, where: { kind } });
    }
  }
  return { sent, warnings };
}

/**
 * The order of the writes: creates, updates and replaces level by level (dependencies first), then deletes in reverse
 * level order (dependents first), because FusionAuth refuses to delete an object still in use. Each phase's writes
 * may run in parallel.
 */
function phases(work: readonly Change[]): Change[][] {
  const group = (changes: Change[], descending: boolean): Change[][] => {
    const levels = [...new Set(changes.map((c) => c.level))].sort((a, b) => (descending ? b - a : a - b));
    return levels.map((l) => changes.filter((c) => c.level === l));
  };
  return [...group(work.filter((c) => c.action !== 'delete'), false), ...group(work.filter((c) => c.action === 'delete'), true)];
}

/**
 * Wait for a level's workers. Without an abort (or without a grace period) that is simply their end; after an abort,
 * at most `inFlightGraceMs` more. Resolves false when the grace period ran out first.
 */
function finishedWithinGrace(done: Promise<unknown>, options: ApplyOptions): Promise<boolean> {
  const { signal, inFlightGraceMs } = options;
  if (!signal || inFlightGraceMs === undefined) return done.then(() => true);
  return new Promise<boolean>((resolve, reject) => {
    let timer: NodeJS.Timeout | undefined;
    const onAbort = (): void => {
      timer = setTimeout(() => resolve(false), inFlightGraceMs);
    };
    if (signal.aborted) onAbort();
    else signal.addEventListener('abort', onAbort, { once: true });
    done.then(
      () => {
        clearTimeout(timer);
        signal.removeEventListener('abort', onAbort);
        resolve(true);
      },
      (e: unknown) => {
        clearTimeout(timer);
        signal.removeEventListener('abort', onAbort);
        reject(e);
      },
    );
  });
}

/**
 * The result of a plan with errors, which is never applied: every change `skipped`, and the plan's errors after one
 * saying that nothing was applied.
 */
export function notApplied(plan: Plan): ApplyResult {
  const planErrors = plan.diagnostics.filter((d) => d.severity === 'error');
  const work = plan.changes.filter((c) => c.action !== 'noop');
  const outcomes: ChangeOutcome[] = work.map((c) => ({ ...identity(c), status: 'skipped' as const }));
  return {
    formatVersion: 2,
    outcomes,
    summary: { applied: 0, failed: 0, skipped: outcomes.length },
    diagnostics: [{ severity: 'error', message: `the plan has ${planErrors.length} error${planErrors.length === 1 ? '' : 's'}; nothing was applied` }, ...planErrors],
  };
}

/** What an outcome says of its change: kind, key, id, action, and for a singleton (which has no id) that it is one. */
function identity(c: Change): Pick<ChangeOutcome, 'kind' | 'title' | 'key' | 'id' | 'action' | 'match'> {
  return { kind: c.kind, title: c.title, key: c.key, id: c.id, action: c.action, ...(c.match === 'singleton' ? { match: 'singleton' as const } : {}) };
}

function result(work: Change[], outcomes: Map<Change, ChangeOutcome>, diagnostics: Diagnostic[]): ApplyResult {
  const list = work.map((c) => outcomes.get(c)!);
  const summary = { applied: 0, failed: 0, skipped: 0 };
  for (const o of list) summary[o.status]++;
  return { formatVersion: 2, outcomes: list, summary, diagnostics };
}

/** Execute one change through its kind's API. */
async function execute(c: Change, client: ApiClient, desired: DesiredState | undefined, labels: ReadonlyMap<string, string>): Promise<ChangeOutcome> {
  const kind = kindByName(c.kind);
  const started = performance.now();
  const base = identity(c);
  // why: ids come from the server (or a hand-made plan) and go into request paths; only a UUID may (a live id
  // `../../api/system/version?x=` once sent a PATCH to /api/system/version).
  const badId = [c.id, c.parent?.id].find((id): id is string => id !== undefined && !isUuid(id));
  if (badId !== undefined) {
    return { ...base, status: 'failed', error: [{ severity: 'error', message: `refusing to write: the id ${JSON.stringify(badId.slice(0, 80))} is not a UUID`, where: { kind: c.kind, key: c.key } }] };
  }
  try {
    await kind.api.write(client, c);
    return { ...base, status: 'applied', durationMs: Math.round(performance.now() - started) };
  } catch (e) {
    if (!(e instanceof UserError)) throw e;
    const resource = desired?.resources.find((r) => r.kind === c.kind && r.key === c.key);
    const error = toDiagnostics(e, kind.wire.singular, c, resource).map((d) => ({ ...d, message: annotateIds(d.message, labels) }));
    return { ...base, status: 'failed', error, durationMs: Math.round(performance.now() - started) };
  }
}

/**
 * FusionAuth's error envelope → diagnostics. Field errors are keyed `<singular>.<path>` (`tenant.phoneConfiguration.
 * messengerId`, `role.name`; reference §1.6); the envelope key is stripped and the rest looked up in the entry's source
 * map, so that each error points at the line where the field is written.
 */
function toDiagnostics(err: UserError, singular: string, c: Change, resource?: DesiredResource): Diagnostic[] {
  const locate = (path: string): Where => {
    const w: Where = { kind: c.kind, key: c.key };
    // As the file spells it (an API key's `key` is written `keyValue`, KindDef.renamed).
    if (path) w.path = resource?.source.written?.(path) ?? path;
    if (resource) {
      const pos = resource.source.pos(path);
      w.file = pos.file; w.line = pos.line; w.column = pos.column;
    }
    return w;
  };
  const fieldPath = (field: string): string => (field.startsWith(`${singular}.`) ? field.slice(singular.length + 1) : field);
  if (err instanceof ApiError) {
    const out: Diagnostic[] = [];
    // The server's own messages do not say that kickstand already retried (a 409 [retryableConflict] "retry it").
    const tail = err.retriesExhausted ? ` (gave up after ${err.attempts} attempt${err.attempts === 1 ? '' : 's'})` : '';
    for (const fe of err.fieldErrors()) {
      out.push({ severity: 'error', message: `${fe.message || fe.code} (${fe.code})${tail}`, where: locate(fieldPath(fe.field)) });
    }
    for (const ge of err.generalErrors()) {
      out.push({ severity: 'error', message: `${ge.message || ge.code} (${ge.code})${tail}`, where: locate('') });
    }
    if (out.length === 0) out.push({ severity: 'error', message: err.message, where: locate('') });
    return out;
  }
  return [{ severity: 'error', message: err.message, where: locate('') }];
}

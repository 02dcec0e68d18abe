/**
 * Apply: executes a Plan over the client. Level by level (dependencies first), with bounded concurrency inside a
 * level. On the first failure, or when its abort signal fires (SIGINT/SIGTERM in the CLI), it stops scheduling new
 * writes, lets the writes in flight finish (after an abort, for at most a grace period) and marks the rest skipped.
 * Creates address the planned (pinned or derived) id, so a re-run after a failure or an interrupt converges.
 *
 * Never throws for what the server or the network did: those become failed outcomes with diagnostics mapped back to
 * file:line:column. It throws only for bugs. It prints nothing: progress goes through `onOutcome`.
 */
import { ApiError } from '../fusionauth/errors.js';
import type { ApiClient, ApiRequest } from '../fusionauth/types.js';
import type { ChildCollection, KindDef } from '../core/kind.js';
import type {
  ApplyResult, Change, ChangeOutcome, DesiredResource, DesiredState, Diagnostic, Plan, SubChange, Where,
} from '../core/types.js';
import { isUuid } from '../core/uuid.js';
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

/** A failure of a client call, kept apart from bugs in kickstand's own code (which are rethrown). */
class ClientFailure {
  constructor(readonly error: unknown, readonly sub: SubChange | undefined) {}
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
  const skip = (c: Change) => report(c, { kind: c.kind, key: c.key, id: c.id, action: c.action, status: 'skipped' });
  const diagnostics: Diagnostic[] = [];

  if (plan.diagnostics.some((d) => d.severity === 'error')) {
    const r = notApplied(plan);
    for (const o of r.outcomes) options.onOutcome?.(o);
    return r;
  }

  const levels = [...new Set(work.map((c) => c.level))].sort((a, b) => a - b);
  let failed = false;
  const stopped = () => failed || options.signal?.aborted === true;
  const inFlight = new Set<Change>();
  for (const level of levels) {
    const queue = work.filter((c) => c.level === level);
    const worker = async () => {
      while (!stopped() && queue.length > 0) {
        const c = queue.shift()!;
        inFlight.add(c);
        const o = await execute(c, client, options.desired);
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
      report(c, { kind: c.kind, key: c.key, id: c.id, action: c.action, status: 'failed', error: [{ severity: 'error', message: 'interrupted while this write was in flight: it may or may not have been applied (run plan to see)', where: { kind: c.kind, key: c.key } }] });
    }
    for (const c of queue) skip(c);
    break;
  }
  for (const c of work) if (!outcomes.has(c)) skip(c);
  const r = result(work, outcomes, diagnostics);
  if (options.signal?.aborted) r.interrupted = { signal: String(options.signal.reason) };
  return r;
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
  const outcomes: ChangeOutcome[] = work.map((c) => ({ kind: c.kind, key: c.key, id: c.id, action: c.action, status: 'skipped' }));
  return {
    formatVersion: 1,
    outcomes,
    summary: { applied: 0, failed: 0, skipped: outcomes.length },
    diagnostics: [{ severity: 'error', message: `the plan has ${planErrors.length} error${planErrors.length === 1 ? '' : 's'}; nothing was applied` }, ...planErrors],
  };
}

function result(work: Change[], outcomes: Map<Change, ChangeOutcome>, diagnostics: Diagnostic[]): ApplyResult {
  const list = work.map((c) => outcomes.get(c)!);
  const summary = { applied: 0, failed: 0, skipped: 0 };
  for (const o of list) summary[o.status]++;
  return { formatVersion: 1, outcomes: list, summary, diagnostics };
}

/** Execute one change: its own write(s), then its sub-changes (roles after the application exists). */
async function execute(c: Change, client: ApiClient, desired: DesiredState | undefined): Promise<ChangeOutcome> {
  const kind = kindByName(c.kind);
  const started = performance.now();
  const base = { kind: c.kind, key: c.key, id: c.id, action: c.action };
  const send = (req: ApiRequest, sub?: SubChange) => client.request(req).catch((e: unknown) => { throw new ClientFailure(e, sub); });
  // why: ids come from the server (or a hand-made plan) and go into request paths; only a UUID may (a live id
  // `../../api/system/version?x=` once sent a PATCH to /api/system/version).
  const ids: Array<string | undefined> = [c.id, ...(c.subChanges ?? []).map((sub) => sub.id)];
  const badId = ids.find((id): id is string => id !== undefined && !isUuid(id));
  if (badId !== undefined) {
    return { ...base, status: 'failed', error: [{ severity: 'error', message: `refusing to write: the id ${JSON.stringify(badId.slice(0, 80))} is not a UUID`, where: { kind: c.kind, key: c.key } }] };
  }
  const objectPath = `${kind.apiPath}/${c.id}`;
  const create = () => send({
    method: 'POST', path: objectPath, body: { [kind.singular]: c.after ?? {} },
    // Tenant-scoped objects need the tenant in X-FusionAuth-TenantId once more than one tenant exists (reference §1.2).
    ...(kind.tenantField && c.tenantId ? { tenantId: c.tenantId } : {}),
  });
  try {
    switch (c.action) {
      case 'create':
        await create();
        break;
      case 'update':
        // An update may consist of sub-changes only (roles); the object itself is then left untouched.
        if (Object.keys(c.after ?? {}).length > 0) {
          await send({ method: 'PATCH', path: objectPath, body: { [kind.singular]: c.after ?? {} }, contentType: 'application/merge-patch+json' });
        }
        break;
      case 'replace':
        await send({ method: 'DELETE', path: objectPath, ...(kind.deleteQuery ? { query: kind.deleteQuery } : {}) });
        await create();
        break;
      case 'delete':
        await send({ method: 'DELETE', path: objectPath, ...(kind.deleteQuery ? { query: kind.deleteQuery } : {}) });
        break;
      case 'noop':
        break;
    }
    for (const sub of c.subChanges ?? []) {
      const coll = childCollection(kind, sub);
      const path = `${objectPath}${coll.apiSuffix}`;
      if (sub.action === 'create') await send({ method: 'POST', path, body: { [coll.singular]: sub.after } }, sub);
      else await send({ method: 'PATCH', path: `${path}/${sub.id ?? ''}`, body: { [coll.singular]: sub.after }, contentType: 'application/merge-patch+json' }, sub);
    }
    return { ...base, status: 'applied', durationMs: Math.round(performance.now() - started) };
  } catch (e) {
    if (!(e instanceof ClientFailure)) throw e;
    const resource = desired?.resources.find((r) => r.kind === c.kind && r.key === c.key);
    return { ...base, status: 'failed', error: toDiagnostics(e, kind, c, resource), durationMs: Math.round(performance.now() - started) };
  }
}

function childCollection(kind: KindDef, sub: SubChange): ChildCollection {
  const coll = kind.children?.find((x) => x.field === sub.collection);
  if (!coll) throw new Error(`${kind.name} has no child collection ${sub.collection}`);
  return coll;
}

/**
 * FusionAuth's error envelope → diagnostics. Field errors are keyed `<singular>.<path>` (`tenant.phoneConfiguration.messengerId`,
 * reference §1.6); the envelope key is stripped and the rest looked up in the entry's source map. For a child
 * request (`role.name`) the path is placed under the child's position in the file (`roles[2].name`).
 */
function toDiagnostics(failure: ClientFailure, kind: KindDef, c: Change, resource?: DesiredResource): Diagnostic[] {
  const { error: err, sub } = failure;
  const coll = sub ? kind.children?.find((x) => x.field === sub.collection) : undefined;
  const prefix = sub && coll ? `${coll.singular} "${sub.key}": ` : '';
  const childIndex = sub && coll && resource && Array.isArray(resource.body[coll.field])
    ? (resource.body[coll.field] as unknown[]).findIndex((x) => typeof x === 'object' && x !== null && (x as Record<string, unknown>)[coll.keyField] === sub.key)
    : -1;
  const locate = (path: string): Where => {
    const w: Where = { kind: c.kind, key: c.key };
    if (path) w.path = path;
    if (resource) {
      const pos = resource.source.pos(path);
      w.file = pos.file; w.line = pos.line; w.column = pos.column;
    }
    return w;
  };
  const fieldPath = (field: string): string => {
    const envelope = coll ? coll.singular : kind.singular;
    const rest = field.startsWith(`${envelope}.`) ? field.slice(envelope.length + 1) : field;
    if (!coll) return rest;
    const base = childIndex >= 0 ? `${coll.field}[${childIndex}]` : coll.field;
    return rest ? `${base}.${rest}` : base;
  };
  const defaultPath = coll ? fieldPath('') : '';
  if (err instanceof ApiError) {
    const out: Diagnostic[] = [];
    // The server's own messages do not say that kickstand already retried (a 409 [retryableConflict] "retry it").
    const tail = err.retriesExhausted ? ` (gave up after ${err.attempts} attempt${err.attempts === 1 ? '' : 's'})` : '';
    for (const fe of err.fieldErrors()) {
      out.push({ severity: 'error', message: `${prefix}${fe.message || fe.code} (${fe.code})${tail}`, where: locate(fieldPath(fe.field)) });
    }
    for (const ge of err.generalErrors()) {
      out.push({ severity: 'error', message: `${prefix}${ge.message || ge.code} (${ge.code})${tail}`, where: locate(defaultPath) });
    }
    if (out.length === 0) out.push({ severity: 'error', message: `${prefix}${err.message}`, where: locate(defaultPath) });
    return out;
  }
  const message = err instanceof Error ? err.message : String(err);
  return [{ severity: 'error', message: `${prefix}${message}`, where: locate(defaultPath) }];
}

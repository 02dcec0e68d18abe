/** Small hand-built plans and apply results for the renderer unit tests. */
import type { ApplyResult, Change, Plan } from '../../src/core/types.js';
import { kindByName } from '../../src/kinds/index.js';

/** A change with defaults for everything a test does not care about. */
export function change(over: Partial<Change> & Pick<Change, 'action' | 'kind' | 'key'>): Change {
  const kind = kindByName(over.kind);
  return { id: '6b1d3f0e-8c2a-5f4b-9d1e-2a7c4b8e9f01', match: 'derived-id', level: 0, fields: [], title: kind.title, secretPaths: [...kind.secretFields], ...over };
}

/** A plan around these changes, its summary counted from them. */
export function plan(changes: Change[], over: Partial<Plan> = {}): Plan {
  const summary = { create: 0, update: 0, replace: 0, delete: 0, noop: 0 };
  for (const c of changes) summary[c.action]++;
  return { formatVersion: 2, target: 'https://auth.acme.example', serverVersion: '1.65.0', licensed: true, changes, summary, diagnostics: [], ...over };
}

/** An apply result around these outcomes, its summary counted from them. */
export function applyResult(outcomes: ApplyResult['outcomes'], over: Partial<ApplyResult> = {}): ApplyResult {
  const summary = { applied: 0, failed: 0, skipped: 0 };
  for (const o of outcomes) summary[o.status]++;
  return { formatVersion: 2, outcomes, summary, diagnostics: [], ...over };
}

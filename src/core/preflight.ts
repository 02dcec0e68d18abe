/**
 * Preflight: problems the server would reject halfway through an apply, found before any write — features the
 * server's version lacks, settings its license forbids, and merge patch on servers older than 1.39.
 */
import { resourceWhere } from './diagnostics.js';
import type { KindDef } from './kind.js';
import { getPath } from './kind.js';
import type { Change, DesiredResource, Diagnostic, JsonObject } from './types.js';

/** FusionAuth supports `application/merge-patch+json` since 1.39.0 (reference §1.7). */
export const MERGE_PATCH_SINCE = '1.39.0';

/** Parse `1.59.0` (suffixes like `-SNAPSHOT` ignored) into numbers; undefined when it is not a version. */
export function parseVersion(v: string): number[] | undefined {
  const m = /^v?(\d+)(?:\.(\d+))?(?:\.(\d+))?/.exec(v.trim());
  if (!m) return undefined;
  return [Number(m[1]), Number(m[2] ?? 0), Number(m[3] ?? 0)];
}

/** Compare two versions: negative when a < b, 0 when equal, positive when a > b; undefined when either is unparsable. */
export function compareVersions(a: string, b: string): number | undefined {
  const x = parseVersion(a), y = parseVersion(b);
  if (!x || !y) return undefined;
  for (let i = 0; i < 3; i++) if (x[i] !== y[i]) return x[i]! - y[i]!;
  return 0;
}

/** True when the server is known to be older than `since` (an unknown version is given the benefit of the doubt). */
export function olderThan(serverVersion: string, since: string): boolean {
  const c = compareVersions(serverVersion, since);
  return c !== undefined && c < 0;
}

/** What preflight checks for one resource. */
export interface PreflightInput {
  resource: DesiredResource;
  kind: KindDef;
  /** The resource's body with references resolved. */
  body: JsonObject;
  /** The planned change (undefined when matching failed). */
  change?: Change;
}

/** Preflight diagnostics for one resource against a server of this version and license. Pure. */
export function preflight(input: PreflightInput, server: { version: string; licensed: boolean }): Diagnostic[] {
  const { resource: r, kind, body, change } = input;
  const out: Diagnostic[] = [];
  for (const gate of kind.features) {
    // An explicit null unsets the field: it uses no feature (and an older server has nothing to unset there).
    const value = getPath(body, gate.path);
    if (value === undefined || value === null) continue;
    if (olderThan(server.version, gate.since)) {
      out.push({
        severity: 'error',
        message: `${gate.path} needs FusionAuth ${gate.since} or later; the server runs ${server.version}`,
        where: resourceWhere(r, gate.path),
      });
    }
  }
  const writes = change !== undefined && change.action !== 'noop';
  if (writes && !server.licensed) {
    for (const v of kind.licenseRules(body)) out.push({ severity: 'error', message: v.message, where: resourceWhere(r, v.path) });
  }
  const patches = change !== undefined && change.action === 'update' && Object.keys(change.after ?? {}).length > 0;
  if (patches && olderThan(server.version, MERGE_PATCH_SINCE)) {
    out.push({
      severity: 'error',
      message: `updating this ${kind.title} needs JSON merge patch (application/merge-patch+json), supported since FusionAuth ${MERGE_PATCH_SINCE}; the server runs ${server.version}`,
      where: resourceWhere(r, ''),
    });
  }
  return out;
}

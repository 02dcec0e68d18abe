/** Formatting of diagnostics as `file:line:column  path  message`, the form every command prints. */
import type { DesiredResource, Diagnostic, Where } from './types.js';

/**
 * One diagnostic as a line of text: `file:line:column  path  error: message` (the location first, as compilers do;
 * `warning:` for warnings). `severity: false` leaves the severity out, for renderings that show it elsewhere.
 */
export function formatDiagnostic(d: Diagnostic, options: { severity?: boolean } = {}): string {
  const w = d.where ?? {};
  const loc = w.file ? `${w.file}${w.line ? `:${w.line}${w.column ? `:${w.column}` : ''}` : ''}` : '';
  const res = w.kind && w.key ? `${w.kind} ${w.key}` : '';
  const path = w.path ?? '';
  const head = [loc, res && !path ? res : '', path].filter((s) => s !== '').join('  ');
  const sev = options.severity === false ? '' : `${d.severity}: `;
  return head ? `${head}  ${sev}${d.message}` : `${sev}${d.message}`;
}

/** Sort diagnostics by file, line and column so output is stable. */
export function sortDiagnostics(list: Diagnostic[]): Diagnostic[] {
  return [...list].sort((a, b) => {
    const fa = a.where?.file ?? '', fb = b.where?.file ?? '';
    if (fa !== fb) return fa < fb ? -1 : 1;
    const la = a.where?.line ?? 0, lb = b.where?.line ?? 0;
    if (la !== lb) return la - lb;
    return (a.where?.column ?? 0) - (b.where?.column ?? 0);
  });
}

/** Where a diagnostic about a field of a declared resource points: the field's file position (or its nearest written ancestor's), its path and the resource. */
export function resourceWhere(r: DesiredResource, path = ''): Where {
  const pos = r.source.pos(path);
  const shown = r.source.written?.(path) ?? path;
  return { file: pos.file, line: pos.line, column: pos.column, ...(shown ? { path: shown } : {}), kind: r.kind, key: r.key };
}

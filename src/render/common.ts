/**
 * What the human and markdown renderings share: symbols, wording of the summaries, how a change becomes a list of
 * field lines, and how values are printed. Pure functions of (redacted) plan data.
 */
import { formatDiagnostic } from '../core/diagnostics.js';
import { MASK } from '../core/mask.js';
import type { ApplyResult, Change, ChangeAction, Diagnostic, FieldChange, Json, Plan, UnmanagedObject } from '../core/types.js';
import { escapeControls, escapeJsonText } from './text.js';
import { isLongText, textDiff, textLines, textSize, type DiffLine } from './textdiff.js';

/** Terraform-like symbol of each action (noop changes are not listed). */
export const SYMBOL: Record<ChangeAction, string> = { create: '+', update: '~', replace: '-/+', delete: '-', noop: ' ' };

/** Past tense of each action, for apply progress. */
export const DONE: Record<ChangeAction, string> = {
  create: 'created',
  update: 'updated',
  replace: 'replaced',
  delete: 'deleted',
  noop: 'unchanged',
};

/**
 * The human word for the kind of a change or outcome ("message template"), as the plan carries it; the kind's name for
 * a hand-made plan without titles. Made inert: a plan read from a file is foreign text.
 */
export function kindTitle(c: { kind: string; title?: string }): string {
  return escapeControls(c.title ?? c.kind);
}

/**
 * How a change names its object: `tenant acme`; a singleton only by its kind (`system configuration`), since it has no
 * key of its own.
 */
export function objectLabel(c: { kind: string; title?: string; key: string; match?: string }): string {
  return c.match === 'singleton' ? kindTitle(c) : `${kindTitle(c)} ${escapeControls(c.key)}`;
}

/** The first group of a UUID followed by an ellipsis: enough to recognise an object, short enough for a header. */
export function shortId(id: string): string {
  return escapeControls(id.length > 8 ? `${id.slice(0, 8)}…` : id);
}

/** `1 error`, `2 errors`. */
export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** A duration for humans: `120 ms`, `1.5 s`. */
export function duration(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`;
}

/** Count diagnostics of one severity. */
export function countSeverity(list: Diagnostic[], severity: Diagnostic['severity']): number {
  return list.filter((d) => d.severity === severity).length;
}

/** True when applying the plan would write something. */
export function hasChanges(plan: Plan): boolean {
  const s = plan.summary;
  return s.create + s.update + s.replace + s.delete > 0;
}

/**
 * The plan's last line: `Plan: 2 to create, 1 to update, 0 to replace. 4 unchanged.`, `No changes. Your FusionAuth
 * configuration matches the files.`, or with errors `Plan failed: 2 errors.` (deletes are only mentioned when there
 * are some: kickstand does not prune yet).
 */
export function planSummaryLine(plan: Plan): string {
  const errors = countSeverity(plan.diagnostics, 'error');
  if (errors > 0) return `Plan failed: ${plural(errors, 'error')}.`;
  const s = plan.summary;
  if (!hasChanges(plan)) return 'No changes. Your FusionAuth configuration matches the files.';
  const parts = [`${s.create} to create`, `${s.update} to update`, `${s.replace} to replace`];
  if (s.delete > 0) parts.push(`${s.delete} to delete`);
  return `Plan: ${parts.join(', ')}. ${s.noop} unchanged.`;
}

/**
 * The apply's last line: `Apply complete: 3 applied, 0 failed, 0 skipped.`, `Apply failed: …`, or after a signal
 * `Apply interrupted by SIGTERM: 2 applied, 0 failed, 5 not started.`.
 */
export function applySummaryLine(result: ApplyResult): string {
  const s = result.summary;
  if (result.interrupted) {
    return `Apply interrupted by ${escapeControls(result.interrupted.signal)}: ${s.applied} applied, ${s.failed} failed, ${s.skipped} not started.`;
  }
  const failed = s.failed > 0 || countSeverity(result.diagnostics, 'error') > 0;
  return `Apply ${failed ? 'failed' : 'complete'}: ${s.applied} applied, ${s.failed} failed, ${s.skipped} skipped.`;
}

/** `FusionAuth 1.62.1 at https://auth.example.com (licensed)` (the server's version string made inert). */
export function targetLine(plan: Plan): string {
  return `FusionAuth ${escapeControls(plan.serverVersion)} at ${escapeControls(plan.target)} (${plan.licensed ? 'licensed' : 'unlicensed'})`;
}

/** A diagnostic as one inert line (`formatDiagnostic`; a message quoting the server cannot add lines or escapes). */
export function diagnosticText(d: Diagnostic, options: { severity?: boolean } = {}): string {
  return escapeControls(formatDiagnostic(d, options));
}

/** One line of a change's detail. `op` is `+` (new value), `~` (changed), `-` (unset). */
export interface FieldLine {
  op: '+' | '~' | '-';
  path: string;
  before?: Json;
  after?: Json;
  /** The field cannot change in place (the kind's immutable fields): the reason the change is a replace. */
  forcesReplacement: boolean;
}

/** A leaf of a flattened body. */
interface Leaf {
  path: string;
  value: Json;
}

/**
 * Flatten a body into dotted paths in the order written. Objects recurse; arrays of scalars stay whole (one line,
 * like a set of grants); arrays holding objects (roles) recurse with `[n]`; empty objects and arrays are leaves.
 */
export function flatten(value: Json, prefix = ''): Leaf[] {
  const join = (k: string) => (prefix === '' ? k : `${prefix}.${k}`);
  if (Array.isArray(value)) {
    if (value.length > 0 && value.some((x) => x !== null && typeof x === 'object')) {
      return value.flatMap((x, i) => flatten(x, `${prefix}[${i}]`));
    }
    return [{ path: prefix, value }];
  }
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value);
    if (entries.length === 0) return [{ path: prefix, value }];
    return entries.flatMap(([k, v]) => flatten(v, join(k)));
  }
  return [{ path: prefix, value }];
}

/** Lines of field changes, marking those that force a replacement. */
function changeLines(fields: FieldChange[]): FieldLine[] {
  return fields.map((f) => {
    const path = escapeControls(f.path);
    const forcesReplacement = f.forcesReplacement === true;
    if (f.before === undefined) return { op: '+', path, after: f.after ?? null, forcesReplacement };
    if (f.after === undefined || f.after === null) return { op: '-', path, before: f.before, forcesReplacement };
    return { op: '~', path, before: f.before, after: f.after, forcesReplacement };
  });
}

/**
 * The field lines of a change. A create lists every field of the body it sends, flattened in the order written; an
 * update or a replace lists its field changes in the planner's order, those that force the replace marked; a delete
 * and a noop list nothing.
 */
export function fieldLines(change: Change): FieldLine[] {
  if (change.action === 'delete' || change.action === 'noop') return [];
  if (change.action === 'create' && change.after) {
    return flatten(change.after).map((l) => ({ op: '+', path: escapeControls(l.path), after: l.value, forcesReplacement: false }));
  }
  return changeLines(change.fields ?? []);
}

/** The number of fields a change writes, as the markdown table shows it. */
export function countFields(change: Change): number {
  return fieldLines(change).length;
}

/**
 * Ids of the resources in the plan → `messenger twilio-sms`, to label references by the key the user wrote; with
 * `--show-unmanaged`, the ids of the unmanaged objects too → `tenant "Default"`.
 */
export function refLabels(plan: Plan): Map<string, string> {
  const m = new Map<string, string>();
  for (const u of plan.unmanaged ?? []) if (u.name !== undefined) m.set(u.id.toLowerCase(), escapeControls(`${u.title} ${JSON.stringify(u.name)}`));
  for (const c of plan.changes) if (c.id !== undefined) m.set(c.id.toLowerCase(), objectLabel(c));
  return m;
}

/** JSON on one line with a space after commas and colons: `["SMS", "Voice"]`, `{ "length": 6 }`. */
export function inlineJson(v: Json): string {
  if (Array.isArray(v)) return `[${v.map(inlineJson).join(', ')}]`;
  if (v !== null && typeof v === 'object') {
    const entries = Object.entries(v);
    return entries.length === 0 ? '{}' : `{ ${entries.map(([k, x]) => `${JSON.stringify(k)}: ${inlineJson(x)}`).join(', ')} }`;
  }
  return JSON.stringify(v);
}

/**
 * A value as one line: JSON for data (strings quoted, controls and bidi characters escaped, so a value can never start
 * a new line of output or turn the terminal), the mask bare, and a reference to a resource of the plan followed by its kind and key.
 */
export function formatValue(v: Json | undefined, labels: Map<string, string>): string {
  if (v === MASK) return MASK;
  if (v === undefined) return '(absent)';
  const text = escapeJsonText(inlineJson(v));
  if (typeof v === 'string') {
    const label = labels.get(v.toLowerCase());
    if (label) return `${text} (${label})`;
  }
  return text;
}

/**
 * The changes a rendering lists: those that write something, and unchanged objects adopted by name — adopting an
 * object made elsewhere (the admin UI) is worth a reviewer's eye even when nothing in it changes.
 */
export function listed(plan: Plan): Change[] {
  return plan.changes.filter((c) => c.action !== 'noop' || c.match === 'adopted-by-name');
}

/** How a long text value of a field line is shown: a one-line summary and, for a changed text, its changed lines. */
export interface TextChange {
  summary: string;
  diff?: { lines: DiffLine[]; more: number };
}

/**
 * The long text (`isLongText`: a template, a stylesheet, a message bundle) of a field line, shown as a summary when it
 * is new and as its changed lines when it changes; undefined for other values, which stay inline. A masked value is
 * never long.
 */
export function textChange(l: FieldLine): TextChange | undefined {
  const { before, after } = l;
  if (l.op === '+') return isLongText(after) && after !== MASK ? { summary: `(text, ${textSize(after)})` } : undefined;
  if (l.op !== '~' || typeof before !== 'string' || typeof after !== 'string' || before === MASK || after === MASK) return undefined;
  if (!isLongText(before) && !isLongText(after)) return undefined;
  const n = textLines(before).length;
  return { summary: `text changed, ${n.toLocaleString('en-US')} line${n === 1 ? '' : 's'} → ${textSize(after)}`, diff: textDiff(before, after) };
}

/** One line of a text diff made inert for printing (tabs as two spaces, every other control escaped). */
export function diffText(line: DiffLine): string {
  return line.op === '@@' ? `@@ ${line.text} @@` : escapeControls(line.text.replace(/\t/g, '  '));
}

/** `… 3 more changed lines`. */
export function moreLines(more: number): string {
  return `… ${more} more changed line${more === 1 ? '' : 's'}`;
}

/** A change's consequence (`Change.consequence`: kickstand's own words from the kind, made inert all the same). */
export function consequenceText(c: Pick<Change, 'consequence'>): string | undefined {
  return c.consequence === undefined ? undefined : escapeControls(c.consequence);
}

/**
 * An unmanaged object in one line, made inert: `application role "legacy" in application web (id …)`, with
 * `built-in` and `inactive` after the id when they apply.
 */
export function unmanagedLabel(u: UnmanagedObject): string {
  const name = u.name !== undefined ? ` ${JSON.stringify(u.name)}` : '';
  const parent = u.parent ? ` in ${u.parent.title} ${u.parent.key}` : '';
  const marks = [...(u.builtIn ? ['built-in'] : []), ...(u.inactive ? ['inactive'] : [])];
  return escapeControls(`${u.title}${name}${parent} (id ${u.id}${marks.map((m) => `, ${m}`).join('')})`);
}

/** `3 live objects are not managed by these files`: the heading of the unmanaged list. */
export function unmanagedHeading(plan: Pick<Plan, 'unmanaged'>): string {
  const n = plan.unmanaged?.length ?? 0;
  return n === 0 ? 'Every live object of these kinds is managed by these files.' : `Not managed by these files (kept as they are): ${plural(n, 'live object')}.`;
}

/** For each kind FusionAuth cannot list: why its unmanaged objects are not known. */
export function unmanagedUnknownLines(plan: Pick<Plan, 'unmanagedUnknown'>): string[] {
  return (plan.unmanagedUnknown ?? []).map((k) => escapeControls(`FusionAuth cannot list ${k.title} objects: only those these files address were read, others are not shown.`));
}

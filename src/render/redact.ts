/**
 * The one place where plan and apply data are masked before any rendering. Every renderer calls `redactPlan` or
 * `redactApplyResult` first, on the raw data, so that no rendering (human, markdown, JSON) can print a secret, and no
 * escaping for a format (markdown, HTML, JSON) can hide a secret from the masker.
 *
 * Why by path and by value: FusionAuth returns secrets in cleartext on GET (reference §11.2: a messenger's
 * `authToken`, an application's `oauthConfiguration.clientSecret`), so the live object in `Change.before` holds
 * them. The paths each change carries (`Change.secretPaths`) and those of sensitive field changes are masked where
 * they are — the plan alone says what to mask, so a JSON plan renders safely on its own; then every
 * string leaf of the plan has the masked values replaced wherever else they occur (a secret copied into a name, a
 * URL or a diagnostic message).
 */
import { splitPath } from '../core/kind.js';
import { createMasker, MASK, type Masker } from '../core/mask.js';
import type { ApplyResult, Change, Diagnostic, FieldChange, Plan } from '../core/types.js';

/** A secret path split into segments; `*` matches any key or array index. */
type Pattern = string[];

/** Collect every string leaf of a value (the cleartext forms to search for elsewhere). */
function collectStrings(v: unknown, into: Set<string>): void {
  if (typeof v === 'string') {
    if (v !== MASK) into.add(v);
  } else if (Array.isArray(v)) {
    for (const x of v) collectStrings(x, into);
  } else if (v !== null && typeof v === 'object') {
    for (const x of Object.values(v)) collectStrings(x, into);
  }
}

/** True when a value carries something to hide (null and absent reveal nothing and keep their meaning: unset). */
const hasValue = (v: unknown): boolean => v !== undefined && v !== null;

/** Replace, in place, every value of `obj` addressed by `pattern` with MASK, remembering the cleartext. */
function maskPattern(obj: unknown, pattern: Pattern, found: Set<string>): void {
  if (pattern.length === 0 || obj === null || typeof obj !== 'object') return;
  const [seg, ...rest] = pattern as [string, ...string[]];
  const container = obj as Record<string, unknown>;
  const keys = seg === '*' ? Object.keys(container) : Object.prototype.hasOwnProperty.call(container, seg) ? [seg] : [];
  for (const k of keys) {
    if (rest.length === 0) {
      if (hasValue(container[k])) {
        collectStrings(container[k], found);
        container[k] = MASK;
      }
    } else {
      maskPattern(container[k], rest, found);
    }
  }
}

/** How a field path relates to a secret pattern. */
function relate(path: string[], pattern: Pattern): 'covered' | { inside: Pattern } | 'unrelated' {
  const n = Math.min(path.length, pattern.length);
  for (let i = 0; i < n; i++) {
    if (pattern[i] !== '*' && pattern[i] !== path[i]) return 'unrelated';
  }
  if (path.length >= pattern.length) return 'covered';
  return { inside: pattern.slice(path.length) };
}

/** Mask one field change: whole values when the field is (or is below) a secret, parts when a secret is below it. */
function redactField(f: FieldChange, patterns: Pattern[], found: Set<string>): FieldChange {
  const path = splitPath(f.path);
  let sensitive = f.sensitive;
  const out: FieldChange = { ...f };
  for (const p of patterns) {
    const r = relate(path, p);
    if (r === 'covered') sensitive = true;
    else if (r !== 'unrelated') {
      const holder = { before: out.before, after: out.after };
      maskPattern(holder, ['before', ...r.inside], found);
      maskPattern(holder, ['after', ...r.inside], found);
      out.before = holder.before;
      out.after = holder.after;
    }
  }
  if (sensitive) {
    for (const side of ['before', 'after'] as const) {
      if (hasValue(out[side])) {
        collectStrings(out[side], found);
        out[side] = MASK;
      }
    }
  }
  out.sensitive = sensitive;
  return out;
}

/** Apply a string masker to every string leaf of a JSON-like value (returns a new value; keys are never rewritten). */
function maskStrings<T>(v: T, mask: (s: string) => string): T {
  if (typeof v === 'string') return mask(v) as T;
  if (Array.isArray(v)) return v.map((x: unknown) => maskStrings(x, mask)) as T;
  if (v !== null && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) out[k] = maskStrings(x, mask);
    return out as T;
  }
  return v;
}

/**
 * The secret patterns of a change: the secret paths it carries (its kind's secret fields and where the files
 * substituted a sensitive value) and the paths of its sensitive field changes.
 */
function patternsOf(change: Change): Pattern[] {
  const patterns = (change.secretPaths ?? []).map(splitPath);
  for (const f of change.fields ?? []) {
    // A sensitive field path is literal: a `*` in it is a key, but no FusionAuth field name contains one.
    if (f.sensitive) patterns.push(splitPath(f.path));
  }
  return patterns;
}

/** Remove a password from the target URL (it should never carry one, but a rendering must not print it). */
function redactTarget(target: string): string {
  try {
    const u = new URL(target);
    if (u.password === '' && u.username === '') return target;
    u.username = '';
    u.password = '';
    return u.toString().replace(/\/$/, target.endsWith('/') ? '/' : '');
  } catch {
    return target;
  }
}

/** A masker that remembers its answers: live objects repeat the same default values across every change. */
function memoized(masker: Masker): Masker {
  const memo = new Map<string, string>();
  return (s) => {
    let m = memo.get(s);
    if (m === undefined) {
      m = masker(s);
      memo.set(s, m);
    }
    return m;
  };
}

/** A field change with its values masked by value (its path is made of the user's keys and stays as written). */
function maskFieldValues(f: FieldChange, mask: Masker): FieldChange {
  const out: FieldChange = { ...f };
  if (f.before !== undefined) out.before = maskStrings(f.before, mask);
  if (f.after !== undefined) out.after = maskStrings(f.after, mask);
  return out;
}

/** Mask the free text of diagnostics (their messages); locations are the user's own names and stay as written. */
function maskDiagnostics(list: Diagnostic[], mask: Masker): Diagnostic[] {
  return list.map((d) => ({ ...d, message: mask(d.message) }));
}

/**
 * Deep copy of the plan with every sensitive value replaced by MASK, on the raw data before any rendering escapes it:
 * `FieldChange.sensitive` values; in `Change.before`/`Change.after` every path matching the kind's `secretFields`
 * (`*` wildcard segment) or a sensitive field's path; then, by value, every occurrence of a masked value or of one of
 * the run's secrets (`mask`: sensitive variables, environment values, the API key) in the data's string values and
 * in diagnostic messages. Keys, names, kinds, ids and locations are never rewritten: they are the user's identifiers,
 * and a value search there would mangle them (a header `X-Env: prod` once turned the key `t-products` into
 * `t-(sensitive)ucts`). The input is not modified. Idempotent: redacting a redacted plan changes nothing.
 */
export function redactPlan(plan: Plan, mask?: Masker): Plan {
  const copy = structuredClone(plan);
  const found = new Set<string>();
  for (const change of copy.changes) {
    const patterns = patternsOf(change);
    for (const p of patterns) {
      maskPattern(change.before, p, found);
      maskPattern(change.after, p, found);
    }
    change.fields = (change.fields ?? []).map((f) => redactField(f, patterns, found));
  }
  const byValue = createMasker(found);
  const m = memoized(mask ? (s) => mask(byValue(s)) : byValue);
  for (const change of copy.changes) {
    if (change.before) change.before = maskStrings(change.before, m);
    if (change.after) change.after = maskStrings(change.after, m);
    change.fields = change.fields.map((f) => maskFieldValues(f, m));
  }
  copy.target = m(redactTarget(copy.target));
  copy.serverVersion = m(copy.serverVersion);
  copy.diagnostics = maskDiagnostics(copy.diagnostics, m);
  return copy;
}

/**
 * Copy of an apply result whose free text (the diagnostics of the run and of each failed change, which may quote what
 * the server echoed) has the run's secrets masked, on the raw text before any rendering escapes it.
 */
export function redactApplyResult(result: ApplyResult, mask?: Masker): ApplyResult {
  if (!mask) return result;
  const m = memoized(mask);
  return {
    ...result,
    diagnostics: maskDiagnostics(result.diagnostics, m),
    outcomes: result.outcomes.map((o) => (o.error ? { ...o, error: maskDiagnostics(o.error, m) } : o)),
  };
}

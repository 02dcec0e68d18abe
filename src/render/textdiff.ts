/**
 * Long text values (FreeMarker templates, stylesheets, message bundles) as a reader wants them in a plan: a summary for
 * a new value, the changed lines for a changed one — never a 50 KB string on one line. Pure, bounded: the line diff is
 * Myers' algorithm on the lines between the common head and tail, given up past `MAX_EDITS` edits (the whole middle is
 * then shown as removed and added), so its cost stays linear in the size of the text; its output is cut at
 * `MAX_DIFF_LINES` lines.
 */

/** A string longer than this, or of more than one line, is shown as text (a summary or a line diff), not inline. */
export const MAX_INLINE_CHARS = 120;
/** The most lines of a text diff shown for one field; the rest is counted. */
export const MAX_DIFF_LINES = 40;
/** Lines of unchanged context around each change. */
const CONTEXT = 2;
/** Past this many inserted and deleted lines the diff stops looking for a shortest script. */
const MAX_EDITS = 200;

/** True for a value shown as text rather than inline: longer than `MAX_INLINE_CHARS`, or of several lines. */
export function isLongText(v: unknown): v is string {
  return typeof v === 'string' && (v.length > MAX_INLINE_CHARS || textLines(v).length > 1);
}

/** The lines of a text (`\r\n` and `\r` end lines too; a final line break ends the last line rather than starting one). */
export function textLines(text: string): string[] {
  const lines = text.split(/\r\n|\r|\n/);
  if (lines.length > 1 && lines[lines.length - 1] === '') lines.pop();
  return lines;
}

/** `12 lines, 340 characters`. */
export function textSize(text: string): string {
  const n = textLines(text).length;
  return `${n.toLocaleString('en-US')} line${n === 1 ? '' : 's'}, ${text.length.toLocaleString('en-US')} character${text.length === 1 ? '' : 's'}`;
}

/** One line of a text diff: a hunk header (`@@`), unchanged context (` `), a removed (`-`) or an added (`+`) line. */
export interface DiffLine {
  op: '@@' | ' ' | '-' | '+';
  text: string;
}

type Edit = { op: ' ' | '-' | '+'; text: string; oldLine: number; newLine: number };

/**
 * The shortest edit script between two line lists (Myers 1986, greedy forward with a trace), or undefined when it
 * needs more than `maxEdits` edits.
 */
function myers(a: readonly string[], b: readonly string[], maxEdits: number): Array<' ' | '-' | '+'> | undefined {
  const n = a.length;
  const m = b.length;
  const max = Math.min(n + m, maxEdits);
  const offset = max + 1;
  let v = new Int32Array(2 * max + 3);
  const trace: Int32Array[] = [];
  for (let d = 0; d <= max; d++) {
    trace.push(v.slice());
    const next = v.slice();
    for (let k = -d; k <= d; k += 2) {
      let x = k === -d || (k !== d && v[offset + k - 1]! < v[offset + k + 1]!) ? v[offset + k + 1]! : v[offset + k - 1]! + 1;
      let y = x - k;
      while (x < n && y < m && a[x] === b[y]) { x++; y++; }
      next[offset + k] = x;
      if (x >= n && y >= m) {
        trace.push(next);
        return backtrack(trace, n, m, offset);
      }
    }
    v = next;
  }
  return undefined;
}

/** The edit operations from Myers' trace, in order. */
function backtrack(trace: Int32Array[], n: number, m: number, offset: number): Array<' ' | '-' | '+'> {
  const ops: Array<' ' | '-' | '+'> = [];
  let x = n;
  let y = m;
  for (let d = trace.length - 2; d >= 0; d--) {
    const v = trace[d]!;
    const k = x - y;
    const prevK = k === -d || (k !== d && v[offset + k - 1]! < v[offset + k + 1]!) ? k + 1 : k - 1;
    const prevX = d === 0 ? 0 : v[offset + prevK]!;
    const prevY = prevX - prevK;
    while (x > prevX && y > prevY) { ops.push(' '); x--; y--; }
    if (d > 0) ops.push(x === prevX ? '+' : '-');
    x = prevX;
    y = prevY;
  }
  while (x > 0 && y > 0) { ops.push(' '); x--; y--; }
  return ops.reverse();
}

/** Every line of both texts as an edit: the common head and tail unchanged, the middle by `myers` (or wholly replaced). */
function edits(a: readonly string[], b: readonly string[]): Edit[] {
  let head = 0;
  while (head < a.length && head < b.length && a[head] === b[head]) head++;
  let tail = 0;
  while (tail < a.length - head && tail < b.length - head && a[a.length - 1 - tail] === b[b.length - 1 - tail]) tail++;
  const midA = a.slice(head, a.length - tail);
  const midB = b.slice(head, b.length - tail);
  const ops = myers(midA, midB, MAX_EDITS) ?? [...midA.map(() => '-' as const), ...midB.map(() => '+' as const)];
  const out: Edit[] = [];
  let i = 0;
  let j = 0;
  const push = (op: Edit['op']) => {
    out.push({ op, text: op === '+' ? b[j]! : a[i]!, oldLine: i + 1, newLine: j + 1 });
    if (op !== '+') i++;
    if (op !== '-') j++;
  };
  for (let h = 0; h < head; h++) push(' ');
  for (const op of ops) push(op);
  for (let t = 0; t < tail; t++) push(' ');
  return out;
}

/**
 * The changed lines of `before` → `after` in hunks with `CONTEXT` lines around each change, each hunk headed by
 * `@@ line N @@` (N counted in the new text). At most `MAX_DIFF_LINES` lines; `more` counts the lines of difference
 * left out.
 */
export function textDiff(before: string, after: string): { lines: DiffLine[]; more: number } {
  const all = edits(textLines(before), textLines(after));
  const keep = new Array<boolean>(all.length).fill(false);
  all.forEach((e, idx) => {
    if (e.op === ' ') return;
    for (let c = Math.max(0, idx - CONTEXT); c <= Math.min(all.length - 1, idx + CONTEXT); c++) keep[c] = true;
  });
  const lines: DiffLine[] = [];
  let more = 0;
  let open = false;
  all.forEach((e, idx) => {
    if (!keep[idx]) {
      open = false;
      return;
    }
    if (lines.length >= MAX_DIFF_LINES) {
      if (e.op !== ' ') more++;
      return;
    }
    if (!open) {
      lines.push({ op: '@@', text: `line ${e.newLine}` });
      open = true;
    }
    lines.push({ op: e.op, text: e.text });
  });
  return { lines, more };
}

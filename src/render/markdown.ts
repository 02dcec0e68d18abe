/**
 * The markdown rendering of a plan and of an apply result, for pull-request comments (GitHub-flavoured markdown): a
 * summary table and a collapsible section per changed resource. Every user value is escaped for the context it lands
 * in (table cell, HTML summary, fenced block), so a hostile name can neither break the table nor inject HTML.
 */
import { sortDiagnostics } from '../core/diagnostics.js';
import type { Masker } from '../core/mask.js';
import type { ApplyResult, Change, Diagnostic, Plan } from '../core/types.js';
import {
  applySummaryLine,
  consequenceText,
  listed,
  countFields,
  countSeverity,
  diagnosticText,
  diffText,
  duration,
  fieldLines,
  formatValue,
  kindTitle,
  moreLines,
  planSummaryLine,
  refLabels,
  shortId,
  SYMBOL,
  targetLine,
  textChange,
  objectLabel,
  unmanagedHeading,
  unmanagedLabel,
  unmanagedUnknownLines,
  type FieldLine,
} from './common.js';
import { mermaidTooLarge, renderMermaid } from './mermaid.js';
import { redactApplyResult, redactPlan } from './redact.js';
import { escapeControls } from './text.js';

/** Options of the markdown renderings. */
export interface MarkdownOptions {
  /** The run's secrets to mask by value, on the raw data before any markdown or HTML escaping (see `HumanOptions.mask`). */
  mask?: Masker;
  /**
   * The most characters the plan may have (`--max-chars`), counted as JavaScript counts them (UTF-16 code units, see
   * `DEFAULT_MAX_CHARS`). Absent: no cap. When the whole plan does not fit, it holds the heading, the target and the
   * summary line, then as many diagnostics, changes and unmanaged objects (in that order) as fit, then a note of what
   * was left out; every element is whole (never cut inside a code block or an HTML element).
   */
  maxChars?: number;
  /**
   * A title for a pipeline that plans several environments (`--title production`): shown in the heading and written
   * into the hidden marker, so that each environment keeps its own comment.
   */
  title?: string;
}

/**
 * The cap of `kickstand plan --format markdown` unless `--max-chars` says otherwise. GitHub refuses a comment "longer
 * than 65536 characters"; measurements found that limit counted in code points for pull-request bodies and in UTF-8
 * bytes (262,144) for issue comments (github.com/dead-claudia/github-limits pull 13, 2025). A length in UTF-16 code
 * units is never below the number of code points, and a UTF-16 code unit takes at most 3 UTF-8 bytes, so 65,000 of
 * them fit either reading, with room for what a pipeline adds around the plan.
 */
export const DEFAULT_MAX_CHARS = 65_000;

/**
 * The hidden marker a pipeline finds its comment by, to update it instead of adding one per push:
 * `<!-- kickstand-plan -->`, or `<!-- kickstand-plan: production -->` with a title. In the title, `%`, `<`, `>`, `!`
 * and characters that could act on a terminal are written `%XX` (percent-encoded UTF-8), so that no title can end the
 * HTML comment early; everything else is kept as written.
 */
export function planMarker(title?: string): string {
  if (title === undefined) return '<!-- kickstand-plan -->';
  const safe = escapeControls(title.replace(/\r\n|\r|\n/g, ' '))
    .replace(/[%<>!]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`);
  return `<!-- kickstand-plan: ${safe} -->`;
}

/**
 * Text for inline markdown (table cells, list items): HTML-significant characters become entities, markdown
 * punctuation that means something inline is backslash-escaped (a `|` would end the cell, a backtick open a code
 * span, `*`, `_`, `~` emphasis, `[`, `]` a link), newlines become spaces.
 */
export function escapeMarkdown(text: string): string {
  return escapeControls(text.replace(/\r\n|\r|\n/g, ' '))
    .replace(/\\/g, '\\\\')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/[`*_[\]|~]/g, (c) => `\\${c}`);
}

/**
 * Text inside raw HTML (the `<summary>` line is an HTML block: backslash escapes would show, so use entities).
 * Markdown punctuation becomes entities too, in case a renderer processes markdown inside HTML.
 */
export function escapeHtml(text: string): string {
  return escapeControls(text.replace(/\r\n|\r|\n/g, ' '))
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;')
    .replace(/[`*_[\]|~]/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** A fenced block whose fence is longer than any run of backticks inside, so the content cannot close it. */
function fenced(info: string, lines: string[]): string {
  const longest = Math.max(0, ...lines.map((l) => Math.max(0, ...(l.match(/`+/g) ?? []).map((r) => r.length))));
  const fence = '`'.repeat(Math.max(3, longest + 1));
  return [`${fence}${info}`, ...lines, fence].join('\n');
}

/** A table row from cells that are already escaped. */
const row = (cells: string[]): string => `| ${cells.join(' | ')} |`;

/** Diagnostics as the items of a markdown list, errors first. */
function diagnosticItems(list: Diagnostic[]): string[] {
  const sorted = [...sortDiagnostics(list.filter((d) => d.severity === 'error')), ...sortDiagnostics(list.filter((d) => d.severity === 'warning'))];
  return sorted.map((d) => `- **${d.severity}:** ${escapeMarkdown(diagnosticText(d, { severity: false }))}`);
}

/** Diagnostics as a markdown list, errors first. */
function diagnosticList(list: Diagnostic[]): string {
  return diagnosticItems(list).join('\n');
}

/**
 * The lines of the diff block of one change: `-` old value, `+` new value; a long text as a summary, a changed one as
 * its changed lines under a context line naming the field.
 */
function diffLines(lines: FieldLine[], labels: Map<string, string>): string[] {
  const out: string[] = [];
  for (const l of lines) {
    const forces = l.forcesReplacement ? '  # forces replacement' : '';
    const text = textChange(l);
    if (text) {
      out.push(`${l.op === '+' ? '+' : ' '} ${l.path}: ${text.summary}${forces}`);
      for (const d of text.diff?.lines ?? []) out.push(d.op === '@@' ? diffText(d) : `${d.op}    ${diffText(d)}`);
      if (text.diff && text.diff.more > 0) out.push(`     ${moreLines(text.diff.more)}`);
      continue;
    }
    if (l.op !== '+') out.push(`- ${l.path}: ${formatValue(l.before, labels)}${l.op === '-' ? forces : ''}`);
    if (l.op !== '-') out.push(`+ ${l.path}: ${formatValue(l.after, labels)}${forces}`);
  }
  return out;
}

/** The summary of a change's collapsible section, as escaped HTML. */
function sectionTitle(c: Change): string {
  const name = c.name !== undefined ? ` “${c.name}”` : '';
  const adopted = c.match === 'adopted-by-name' ? ', adopted by name' : '';
  const id = c.id !== undefined ? ` (id ${shortId(c.id)}${adopted})` : '';
  return `<code>${SYMBOL[c.action]}</code> ${escapeHtml(`${c.match === 'singleton' ? kindTitle(c) : `${kindTitle(c)} ${c.key}`}${name}${id}`)}`;
}

/**
 * One collapsible section per changed resource, holding a `diff` block of its field changes; a replace or a delete
 * is preceded by what FusionAuth does beyond the object itself, outside the section so that it is read unfolded.
 */
function section(c: Change, labels: Map<string, string>): string {
  const lines = diffLines(fieldLines(c), labels);
  const body = lines.length > 0 ? fenced('diff', lines) : `The whole ${escapeMarkdown(kindTitle(c))} is ${c.action === 'delete' ? 'deleted' : 'replaced'}.`;
  const details = [`<details><summary>${sectionTitle(c)}</summary>`, '', body, '', '</details>'].join('\n');
  const consequence = consequenceText(c);
  return consequence === undefined ? details : `> **Warning:** ${escapeMarkdown(`${objectLabel(c)}: ${consequence}`)}\n\n${details}`;
}

/** A row of the changes table. */
function changeRow(c: Change): string {
  return row([
    (c.action === 'noop' ? 'no change' : c.action) + (c.match === 'adopted-by-name' ? ' (adopted by name)' : ''),
    escapeMarkdown(kindTitle(c)),
    // A singleton has no key of its own (its kind names it).
    escapeMarkdown(c.match === 'singleton' ? '' : c.key),
    escapeMarkdown(c.name ?? ''),
    String(countFields(c)),
  ]);
}

const TABLE_HEAD = [row(['Action', 'Kind', 'Key', 'Name', 'Fields changed']), row(['---', '---', '---', '---', '---:'])].join('\n');

/** `1,234`: counts in notes, grouped for reading. */
const count = (n: number): string => n.toLocaleString('en-US');

/** The note of what a capped plan leaves out (`null` when nothing is). */
function omittedNote(left: { changes: number; diagnostics: number; unmanaged: number }, maxChars: number): string | null {
  const parts = [
    ...(left.diagnostics > 0 ? [`${count(left.diagnostics)} more ${left.diagnostics === 1 ? 'diagnostic' : 'diagnostics'}`] : []),
    ...(left.changes > 0 ? [`${count(left.changes)} more ${left.changes === 1 ? 'change' : 'changes'}`] : []),
    ...(left.unmanaged > 0 ? [`${count(left.unmanaged)} more unmanaged ${left.unmanaged === 1 ? 'object' : 'objects'}`] : []),
  ];
  if (parts.length === 0) return null;
  const list = parts.length === 1 ? parts[0]! : `${parts.slice(0, -1).join(', ')} and ${parts[parts.length - 1]!}`;
  const verb = parts.length === 1 && (left.changes === 1 || left.diagnostics === 1 || left.unmanaged === 1) ? 'is' : 'are';
  return `_${list} ${verb} not shown: this comment is capped at ${count(maxChars)} characters. The full plan is in the job's artifacts (\`--format json\`)._`;
}

/** The graph of changes as a ```mermaid block (its labels hold no backtick: the fence cannot close early). */
function graphBlock(graph: NonNullable<Plan['graph']>): { block: string; tooLarge?: string } {
  const text = renderMermaid(graph);
  const tooLarge = mermaidTooLarge(text, graph);
  return { block: `\`\`\`mermaid\n${text}\`\`\``, ...(tooLarge ? { tooLarge } : {}) };
}

/** Why a graph is not drawn when the comment has no room for it. */
const NO_ROOM = 'it does not fit in this comment';

/** The line shown instead of a graph that is not drawn. */
const graphOmitted = (why: string): string => `_The graph of changes is not shown: ${why}. \`kickstand graph\` prints the whole configuration's graph._`;

/** The unmanaged block with its first `n` items: a collapsible list, or one line when there is nothing to list. */
function unmanagedBlock(plan: Plan, items: readonly string[], n: number): string {
  const unknown = unmanagedUnknownLines(plan).map((l) => `_${escapeMarkdown(l)}_`);
  if ((plan.unmanaged?.length ?? 0) === 0) return [escapeMarkdown(unmanagedHeading(plan)), ...unknown].join('\n\n');
  return [`<details><summary>${escapeHtml(unmanagedHeading(plan))}</summary>`, '', ...items.slice(0, n), '', '</details>', ...unknown.flatMap((l) => ['', l])].join('\n');
}

/**
 * The plan as a pull-request comment: the hidden marker (`planMarker`), a heading (with the title), the target, the
 * summary line, diagnostics as a list, the graph of changes (with `--graph`), a table (action | kind | key | name |
 * fields changed; objects adopted by name are listed even when unchanged), a `<details>` section per changed resource
 * (a replace or a delete preceded by its consequence), and the live objects the files do not manage (with
 * `--show-unmanaged`). A plan without anything to show says so in one line; a plan with errors shows only its
 * diagnostics. With `maxChars`, as much as fits (see `MarkdownOptions.maxChars`).
 */
export function renderPlanMarkdown(plan: Plan, opts: MarkdownOptions = {}): string {
  const safe = redactPlan(plan, opts.mask);
  const labels = refLabels(safe);
  const failed = countSeverity(safe.diagnostics, 'error') > 0;
  const top = `${planMarker(opts.title)}\n### kickstand plan${opts.title !== undefined ? `: ${escapeMarkdown(opts.title)}` : ''}`;
  const changes = failed ? [] : listed(safe);
  const graph = !failed && safe.graph && safe.graph.nodes.length > 0 ? safe.graph : undefined;
  const unmanaged = failed ? undefined : safe.unmanaged;
  if (!failed && safe.diagnostics.length === 0 && changes.length === 0 && !unmanaged && !graph) {
    return `${top}\n\n${escapeMarkdown(`${planSummaryLine(safe)} ${targetLine(safe)}.`)}\n`;
  }

  const head = [top, escapeMarkdown(targetLine(safe)), `**${escapeMarkdown(planSummaryLine(safe))}**`];
  const diagnostics = diagnosticItems(safe.diagnostics);
  const rows = changes.map(changeRow);
  const sections = changes.map((c) => (c.action === 'noop' ? undefined : section(c, labels)));
  const unmanagedItems = (unmanaged ?? []).map((u) => `- ${escapeMarkdown(unmanagedLabel(u))}`);
  const drawn = graph ? graphBlock(graph) : undefined;

  // Sizes: parts are joined by a blank line ("\n\n") and the document ends with "\n".
  const SEP = 2;
  const headSize = head.reduce((n, p) => n + p.length, 0) + SEP * (head.length - 1) + 1;
  const listSize = (items: readonly string[]) => items.reduce((n, x) => n + x.length + 1, -1);
  const changeCost = (i: number) => (i === 0 ? SEP + TABLE_HEAD.length : 0) + 1 + rows[i]!.length + (sections[i] !== undefined ? SEP + sections[i]!.length : 0);
  const unmanagedFull = unmanaged ? unmanagedBlock(safe, unmanagedItems, unmanagedItems.length) : undefined;
  const graphPart = drawn ? (drawn.tooLarge ? graphOmitted(drawn.tooLarge) : drawn.block) : undefined;
  let whole = headSize + (diagnostics.length > 0 ? SEP + listSize(diagnostics) : 0) + (graphPart !== undefined ? SEP + graphPart.length : 0)
    + (unmanagedFull !== undefined ? SEP + unmanagedFull.length : 0);
  for (let i = 0; i < rows.length; i++) whole += changeCost(i);

  const limit = opts.maxChars ?? Infinity;
  // How much of each list is shown; `unmanagedShown` undefined: the unmanaged block is left out.
  let diagnosticsShown = diagnostics.length, changesShown = rows.length, graphShown = graphPart;
  let unmanagedShown = unmanaged ? unmanagedItems.length : undefined;
  if (whole > limit) {
    // Room kept for the note of what is left out (its longest form) and for the line that replaces the graph.
    const reserve = SEP + (omittedNote({ changes: rows.length, diagnostics: diagnostics.length, unmanaged: unmanagedItems.length }, limit)?.length ?? 0)
      + (graphPart !== undefined ? SEP + Math.max(graphOmitted(NO_ROOM).length, drawn?.tooLarge ? graphPart.length : 0) : 0);
    let used = headSize;
    const fits = (n: number) => used + n + reserve <= limit;
    // In order of priority; each list is a prefix, and a later one starts only when the earlier ones are whole.
    let d = 0;
    while (d < diagnostics.length && fits((d === 0 ? SEP : 1) + diagnostics[d]!.length)) used += (d === 0 ? SEP : 1) + diagnostics[d++]!.length;
    let c = 0;
    while (d === diagnostics.length && c < rows.length && fits(changeCost(c))) used += changeCost(c++);
    let u: number | undefined;
    if (unmanaged && d === diagnostics.length && c === rows.length) {
      const empty = SEP + unmanagedBlock(safe, unmanagedItems, 0).length;
      if (fits(empty + (unmanagedItems.length > 0 ? unmanagedItems[0]!.length + 1 : 0))) {
        used += empty;
        u = 0;
        while (u < unmanagedItems.length && fits(unmanagedItems[u]!.length + 1)) used += unmanagedItems[u++]!.length + 1;
      }
    }
    // The graph comes last: drawn only when it fits after everything else, otherwise a line says why it is not (the
    // reserve holds room for that line).
    graphShown = graphPart === undefined || drawn?.tooLarge ? graphPart : fits(SEP + graphPart.length) ? graphPart : graphOmitted(NO_ROOM);
    diagnosticsShown = d;
    changesShown = c;
    unmanagedShown = u;
  }

  const parts = [...head];
  if (diagnosticsShown > 0) parts.push(diagnostics.slice(0, diagnosticsShown).join('\n'));
  if (graphShown !== undefined) parts.push(graphShown);
  if (changesShown > 0) {
    parts.push([TABLE_HEAD, ...rows.slice(0, changesShown)].join('\n'));
    for (const sec of sections.slice(0, changesShown)) if (sec !== undefined) parts.push(sec);
  }
  if (unmanagedShown !== undefined) parts.push(unmanagedBlock(safe, unmanagedItems, unmanagedShown));
  const note = omittedNote({
    diagnostics: diagnostics.length - diagnosticsShown,
    changes: rows.length - changesShown,
    unmanaged: unmanagedItems.length - (unmanagedShown ?? 0),
  }, limit);
  if (note !== null) parts.push(note);
  return `${parts.join('\n\n')}\n`;
}

/**
 * The apply result as a pull-request comment: a heading, the summary line, a table of outcomes
 * (status | action | kind | key | duration) and the errors of failed changes as a list.
 */
export function renderApplyMarkdown(raw: ApplyResult, opts: MarkdownOptions = {}): string {
  const result = redactApplyResult(raw, opts.mask);
  const parts: string[] = ['### kickstand apply', `**${escapeMarkdown(applySummaryLine(result))}**`];
  if (result.diagnostics.length > 0) parts.push(diagnosticList(result.diagnostics));
  const outcomes = result.outcomes.filter((o) => o.action !== 'noop');
  if (outcomes.length > 0) {
    parts.push(
      [
        row(['Status', 'Action', 'Kind', 'Key', 'Duration']),
        row(['---', '---', '---', '---', '---:']),
        ...outcomes.map((o) =>
          row([o.status, o.action, escapeMarkdown(kindTitle(o)), escapeMarkdown(o.match === 'singleton' ? '' : o.key), o.durationMs === undefined ? '' : duration(o.durationMs)]),
        ),
      ].join('\n'),
    );
  }
  for (const o of outcomes.filter((x) => x.status === 'failed' && (x.error ?? []).length > 0)) {
    parts.push(`**${escapeMarkdown(objectLabel(o))} failed:**\n\n${diagnosticList(o.error ?? [])}`);
  }
  if (result.interrupted) {
    parts.push('Changes already applied stay applied; run apply again to finish (it converges).');
  } else if (result.summary.failed > 0 || countSeverity(result.diagnostics, 'error') > 0) {
    parts.push('Changes already applied stay applied; fix the errors and run apply again.');
  }
  return `${parts.join('\n\n')}\n`;
}

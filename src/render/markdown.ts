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
  listed,
  countFields,
  countSeverity,
  diagnosticText,
  duration,
  fieldLines,
  formatValue,
  kindTitle,
  objectLabel,
  planSummaryLine,
  refLabels,
  shortId,
  SYMBOL,
  targetLine,
  type FieldLine,
} from './common.js';
import { redactApplyResult, redactPlan } from './redact.js';
import { escapeControls } from './text.js';

/** Options of the markdown renderings. */
export interface MarkdownOptions {
  /** The run's secrets to mask by value, on the raw data before any markdown or HTML escaping (see `HumanOptions.mask`). */
  mask?: Masker;
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

/** Diagnostics as a markdown list, errors first. */
function diagnosticList(list: Diagnostic[]): string {
  const sorted = [...sortDiagnostics(list.filter((d) => d.severity === 'error')), ...sortDiagnostics(list.filter((d) => d.severity === 'warning'))];
  return sorted.map((d) => `- **${d.severity}:** ${escapeMarkdown(diagnosticText(d, { severity: false }))}`).join('\n');
}

/** The lines of the diff block of one change: `-` old value, `+` new value. */
function diffLines(lines: FieldLine[], labels: Map<string, string>): string[] {
  const out: string[] = [];
  for (const l of lines) {
    const forces = l.forcesReplacement ? '  # forces replacement' : '';
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

/** One collapsible section per changed resource, holding a `diff` block of its field changes. */
function section(c: Change, labels: Map<string, string>): string {
  const lines = diffLines(fieldLines(c), labels);
  const body = lines.length > 0 ? fenced('diff', lines) : `The whole ${escapeMarkdown(kindTitle(c))} is ${c.action === 'delete' ? 'deleted' : 'replaced'}.`;
  return [`<details><summary>${sectionTitle(c)}</summary>`, '', body, '', '</details>'].join('\n');
}

/**
 * The plan as a pull-request comment: a heading, the target, diagnostics as a list, the summary line, a table
 * (action | kind | key | name | fields changed; objects adopted by name are listed even when unchanged) and a
 * `<details>` section per changed resource. A plan without
 * changes says so in one line; a plan with errors shows only its diagnostics.
 */
export function renderPlanMarkdown(plan: Plan, opts: MarkdownOptions = {}): string {
  const safe = redactPlan(plan, opts.mask);
  const labels = refLabels(safe);
  const failed = countSeverity(safe.diagnostics, 'error') > 0;
  if (!failed && safe.diagnostics.length === 0 && listed(safe).length === 0) {
    return `### kickstand plan\n\n${escapeMarkdown(`${planSummaryLine(safe)} ${targetLine(safe)}.`)}\n`;
  }
  const parts: string[] = ['### kickstand plan', escapeMarkdown(targetLine(safe))];
  parts.push(`**${escapeMarkdown(planSummaryLine(safe))}**`);
  if (safe.diagnostics.length > 0) parts.push(diagnosticList(safe.diagnostics));
  if (!failed && listed(safe).length > 0) {
    const table = [
      row(['Action', 'Kind', 'Key', 'Name', 'Fields changed']),
      row(['---', '---', '---', '---', '---:']),
      ...listed(safe).map((c) =>
        row([
          (c.action === 'noop' ? 'no change' : c.action) + (c.match === 'adopted-by-name' ? ' (adopted by name)' : ''),
          escapeMarkdown(kindTitle(c)),
          // A singleton has no key of its own (its kind names it).
          escapeMarkdown(c.match === 'singleton' ? '' : c.key),
          escapeMarkdown(c.name ?? ''),
          String(countFields(c)),
        ]),
      ),
    ];
    parts.push(table.join('\n'));
    for (const c of listed(safe).filter((c) => c.action !== 'noop')) parts.push(section(c, labels));
  }
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

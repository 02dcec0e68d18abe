/**
 * The human rendering of a plan and of an apply result: Terraform-like symbols, a line per field, diagnostics first
 * and a summary line last. Pure: colour comes in as an option, the plan is redacted before anything is printed.
 */
import { sortDiagnostics } from '../core/diagnostics.js';
import type { Masker } from '../core/mask.js';
import type { ApplyResult, Change, ChangeAction, ChangeOutcome, Diagnostic, Plan } from '../core/types.js';
import { paletteFor, type Palette } from './color.js';
import {
  applySummaryLine,
  consequenceText,
  listed,
  moreLines,
  countSeverity,
  diagnosticText,
  diffText,
  DONE,
  duration,
  fieldLines,
  formatValue,
  objectLabel,
  planSummaryLine,
  refLabels,
  shortId,
  SYMBOL,
  targetLine,
  textChange,
  unmanagedHeading,
  unmanagedLabel,
  unmanagedUnknownLines,
  type FieldLine,
  type TextChange,
} from './common.js';
import { redactApplyResult, redactPlan } from './redact.js';
import { escapeControls } from './text.js';

/** Options of the human rendering. */
export interface HumanOptions {
  /** Colour with ANSI escapes (the CLI decides with `shouldUseColor`: `--no-color`, `NO_COLOR`, terminal). */
  color: boolean;
  /**
   * For `renderApplyHuman`: the outcome lines were already printed as progress (`renderOutcomeLine` from
   * `onOutcome`), so only diagnostics and the summary are rendered.
   */
  progressShown?: boolean;
  /**
   * The run's secrets to mask by value (sensitive variables, environment values, the API key), on the raw data before
   * anything is printed. The plan's secret fields are masked by path whether or not this is given.
   */
  mask?: Masker;
}

/** The colour of an action's symbol. */
function actionColor(p: Palette, action: ChangeAction): (t: string) => string {
  switch (action) {
    case 'create':
      return p.green;
    case 'update':
      return p.yellow;
    case 'replace':
    case 'delete':
      return p.red;
    default:
      return (t) => t;
  }
}

/** Diagnostics, errors before warnings, each sorted by position. */
function diagnosticLines(list: Diagnostic[], p: Palette, indent = ''): string[] {
  const errors = sortDiagnostics(list.filter((d) => d.severity === 'error'));
  const warnings = sortDiagnostics(list.filter((d) => d.severity === 'warning'));
  return [
    ...errors.map((d) => `${indent}${p.red(diagnosticText(d))}`),
    ...warnings.map((d) => `${indent}${p.yellow(diagnosticText(d))}`),
  ];
}

/** `~ tenant acme "Acme Corp" (id 1b2c3d4e…, adopted by name)`. */
function header(c: Pick<Change, 'action' | 'kind' | 'key' | 'id'> & { name?: string; match?: Change['match'] }, p: Palette): string {
  // A noop is only listed when it adopts an object by name; it carries no symbol, as in Terraform.
  const sym = c.action === 'noop' ? '' : `${actionColor(p, c.action)(SYMBOL[c.action])} `;
  const name = c.name !== undefined ? ` "${escapeControls(c.name)}"` : '';
  const adopted = c.match === 'adopted-by-name' ? `, ${p.cyan('adopted by name')}` : '';
  const id = c.id !== undefined ? ` ${p.dim(`(id ${shortId(c.id)}`)}${adopted}${p.dim(')')}` : '';
  return `${sym}${p.bold(objectLabel(c))}${name}${id}`;
}

/** `  ! FusionAuth deletes …`: what a replace or a delete does beyond the object itself. */
function consequenceLines(c: Change, p: Palette): string[] {
  const text = consequenceText(c);
  return text === undefined ? [] : [`  ${p.red('!')} ${p.yellow(text)}`];
}

/** The changed lines of a long text, indented under its field line, `-` red and `+` green. */
function textDiffLines(t: TextChange, p: Palette): string[] {
  if (!t.diff) return [];
  const out = t.diff.lines.map((d) => {
    const text = diffText(d);
    if (d.op === '@@') return `      ${p.cyan(text)}`;
    if (d.op === '-') return `      ${p.red(`- ${text}`)}`;
    if (d.op === '+') return `      ${p.green(`+ ${text}`)}`;
    return `        ${text}`;
  });
  if (t.diff.more > 0) out.push(`      ${p.dim(moreLines(t.diff.more))}`);
  return out;
}

/**
 * `  ~ phoneConfiguration.unverified.behavior: "Allow" → "Gated"`; a long text as a summary, a changed one followed by
 * its changed lines.
 */
function fieldLine(l: FieldLine, labels: Map<string, string>, p: Palette): string {
  const forces = l.forcesReplacement ? p.red('  # forces replacement') : '';
  const text = textChange(l);
  if (text) {
    const sym = l.op === '+' ? p.green('+') : p.yellow('~');
    return [`  ${sym} ${l.path}: ${text.summary}${forces}`, ...textDiffLines(text, p)].join('\n');
  }
  switch (l.op) {
    case '+':
      return `  ${p.green('+')} ${l.path}: ${formatValue(l.after, labels)}${forces}`;
    case '-':
      return `  ${p.red('-')} ${l.path}${forces}`;
    default:
      return `  ${p.yellow('~')} ${l.path}: ${formatValue(l.before, labels)} → ${formatValue(l.after, labels)}${forces}`;
  }
}

/**
 * The plan for a terminal or a log: the target, diagnostics, one block per change (noops only counted, except an
 * object adopted by name, which gets one line; a replace or a delete says first what FusionAuth does beyond the object
 * itself), the live objects the files do not manage (with `--show-unmanaged`), and the summary line. With errors only the diagnostics are shown: such a plan cannot be applied.
 */
export function renderPlanHuman(plan: Plan, opts: HumanOptions): string {
  const p = paletteFor(opts.color);
  const safe = redactPlan(plan, opts.mask);
  const labels = refLabels(safe);
  const blocks: string[] = [p.dim(targetLine(safe))];
  const diags = diagnosticLines(safe.diagnostics, p);
  if (diags.length > 0) blocks.push(diags.join('\n'));
  if (countSeverity(safe.diagnostics, 'error') === 0) {
    for (const c of listed(safe)) {
      if (c.action === 'noop') blocks.push(`${header(c, p)}: no changes`);
      else blocks.push([header(c, p), ...consequenceLines(c, p), ...fieldLines(c).map((l) => fieldLine(l, labels, p))].join('\n'));
    }
    if (safe.unmanaged) {
      blocks.push([unmanagedHeading(safe), ...safe.unmanaged.map((u) => `  ${p.dim('=')} ${unmanagedLabel(u)}`), ...unmanagedUnknownLines(safe).map((l) => `  ${p.yellow(l)}`)].join('\n'));
    }
  }
  blocks.push(p.bold(planSummaryLine(safe)));
  return `${blocks.join('\n\n')}\n`;
}

/**
 * One progress line for an outcome as it completes: `+ messenger twilio-sms (id 6b1d2c3e…) created (120 ms)`. A
 * failed outcome is followed by its diagnostics, indented, one per line. No trailing newline.
 */
export function renderOutcomeLine(outcome: ChangeOutcome, opts: HumanOptions): string {
  const p = paletteFor(opts.color);
  const o = outcome.error && opts.mask ? { ...outcome, error: outcome.error.map((d) => ({ ...d, message: opts.mask!(d.message) })) } : outcome;
  const head = header(o, p);
  const took = o.durationMs !== undefined ? ` ${p.dim(`(${duration(o.durationMs)})`)}` : '';
  switch (o.status) {
    case 'applied':
      return `${head} ${DONE[o.action]}${took}`;
    case 'skipped':
      return `${head} ${p.yellow('skipped')}`;
    default:
      return [`${head} ${p.red('failed')}${took}`, ...diagnosticLines(o.error ?? [], p, '    ')].join('\n');
  }
}

/**
 * The result of an apply: diagnostics, one line per outcome (as `renderOutcomeLine`; omitted with `progressShown`),
 * the summary line, and after a failure how to recover (completed writes stay; a re-run converges).
 */
export function renderApplyHuman(raw: ApplyResult, opts: HumanOptions): string {
  const p = paletteFor(opts.color);
  const result = redactApplyResult(raw, opts.mask);
  const blocks: string[] = [];
  const diags = diagnosticLines(result.diagnostics, p);
  if (diags.length > 0) blocks.push(diags.join('\n'));
  const lines = opts.progressShown ? [] : result.outcomes.filter((o) => o.action !== 'noop').map((o) => renderOutcomeLine(o, opts));
  if (lines.length > 0) blocks.push(lines.join('\n'));
  const summary = applySummaryLine(result);
  if (result.interrupted) {
    blocks.push(`${p.yellow(p.bold(summary))}\nChanges already applied stay applied; run apply again to finish (it converges).`);
  } else if (summary.startsWith('Apply failed')) {
    blocks.push(`${p.red(p.bold(summary))}\nChanges already applied stay applied; fix the errors above and run apply again.`);
  } else {
    blocks.push(p.bold(summary));
  }
  return `${blocks.join('\n\n')}\n`;
}

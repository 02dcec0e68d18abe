/** `kickstand plan`: show what an apply would change, without changing anything. */
import type { Command } from 'commander';
import { renderPlanHuman } from '../../render/human.js';
import { renderPlanJson } from '../../render/json.js';
import { DEFAULT_MAX_CHARS, renderPlanMarkdown, type MarkdownOptions } from '../../render/markdown.js';
import { UserError } from '../../core/errors.js';
import type { Masker } from '../../core/mask.js';
import type { Plan } from '../../core/types.js';
import {
  addConnectionOptions, addFileOptions, addOutputOptions, intOption,
  type ConnectionOptionFlags, type FileFlags, type OutputFlags,
} from '../options.js';
import { printRendered, runMasker, writeRendered } from '../output.js';
import { installInterrupts } from '../signals.js';

/** Flags of `plan`. */
interface PlanFlags extends FileFlags, ConnectionOptionFlags, OutputFlags {
  detailedExitcode?: boolean;
  allowReplace?: boolean;
  showUnmanaged?: boolean;
  graph?: boolean;
  title?: string;
  maxChars?: string;
  jsonOut?: string;
}

/** The longest `--title` (it goes into a heading and the comment's marker). */
const MAX_TITLE = 100;

/**
 * Render a plan in the chosen format; the renderers mask secret fields by path and the run's secrets (`mask`) by value.
 * `markdown` options apply to the markdown format (the cap defaults to `DEFAULT_MAX_CHARS`).
 */
export function renderPlan(p: Plan, format: string, color: boolean, mask: Masker, markdown: Omit<MarkdownOptions, 'mask'> = {}): string {
  if (format === 'json') return renderPlanJson(p, { mask });
  if (format === 'markdown') return renderPlanMarkdown(p, { maxChars: DEFAULT_MAX_CHARS, ...markdown, mask });
  return renderPlanHuman(p, { color, mask });
}

/**
 * The markdown options of the flags, checked: `--title` and `--max-chars` shape a pull-request comment and are
 * refused with another format; `--graph` needs a format that can hold a graph (markdown draws it, JSON carries it).
 */
function markdownFlags(flags: PlanFlags, format: string): Omit<MarkdownOptions, 'mask'> {
  if (format !== 'markdown') {
    const given = [flags.title !== undefined ? '--title' : '', flags.maxChars !== undefined ? '--max-chars' : ''].filter((f) => f !== '');
    if (given.length > 0) throw new UserError(`${given.join(' and ')} ${given.length > 1 ? 'apply' : 'applies'} to --format markdown only`);
  }
  if (flags.graph && format === 'human') throw new UserError('--graph needs --format markdown (a Mermaid diagram) or --format json (the graph as data); `kickstand graph` prints the whole configuration\'s graph');
  const out: Omit<MarkdownOptions, 'mask'> = {};
  if (flags.title !== undefined) {
    const title = flags.title.trim();
    // eslint-disable-next-line no-control-regex -- a title is one line of text: control characters are refused
    if (title === '' || title.length > MAX_TITLE || /[\u0000-\u001f\u007f]/.test(title)) {
      throw new UserError(`--title must be 1 to ${MAX_TITLE} characters on one line, got "${escapeForMessage(flags.title)}"`);
    }
    out.title = title;
  }
  if (flags.maxChars !== undefined) {
    // 0 turns the cap off; below 1,000 not even the heading, the summary and a few changes fit.
    const n = intOption(flags.maxChars, '--max-chars', 0, 1_000_000_000)!;
    if (n > 0 && n < 1000) throw new UserError(`--max-chars must be 0 (no cap) or at least 1000, got ${n}`);
    out.maxChars = n === 0 ? Infinity : n;
  }
  return out;
}

/** A flag's value shortened for a message (the CLI escapes control characters when it prints). */
function escapeForMessage(v: string): string {
  return v.length > 40 ? `${v.slice(0, 40)}…` : v;
}

/** Register `plan`. */
export function register(program: Command): void {
  const cmd = program
    .command('plan')
    .description('compare the files with the live FusionAuth and show what apply would change (read-only)');
  addFileOptions(cmd);
  addConnectionOptions(cmd);
  addOutputOptions(cmd, ['human', 'json', 'markdown']);
  cmd
    .option('--detailed-exitcode', 'exit 0 when there are no changes, 2 when there are, 1 on error')
    .option('--allow-replace', 'plan a change of an immutable field (a messenger\'s type, an application\'s tenant) as delete and re-create')
    .option('--show-unmanaged', 'also list the live objects of the declared kinds (and the roles of managed applications) that no entry manages')
    .option('--graph', 'add the graph of what changes: a Mermaid diagram in markdown, data in JSON')
    .option('--title <title>', 'markdown: a title for the heading and the hidden comment marker (one comment per environment)')
    .option('--max-chars <n>', `markdown: cap the plan at n characters, 0 for no cap (default: ${DEFAULT_MAX_CHARS}, below GitHub's 65,536 per comment)`)
    .option('--json-out <file>', 'also write the JSON plan to this file (whatever --format prints; also when the plan fails), e.g. a CI artifact')
    .addHelpText('after', `
Examples:
  $ kickstand plan --emulator --emulator-licensed examples/phone-gating
  $ FUSIONAUTH_URL=https://auth.example.com FUSIONAUTH_API_KEY=… kickstand plan config/ --format markdown > plan.md
  $ kickstand plan -f kickstand.yaml --detailed-exitcode; echo $?   # 0 nothing to do, 2 changes, 1 error
  $ kickstand plan config/ --format markdown --title production --graph --show-unmanaged > plan.md
  $ kickstand plan config/ --format markdown --json-out plan.json > plan.md   # the comment and the artifact, one read

The markdown plan starts with a hidden marker, <!-- kickstand-plan --> (with --title production:
<!-- kickstand-plan: production -->), for a pipeline to find and update its comment instead of adding one per push.`)
    .action(async (paths: string[], flags: PlanFlags) => {
      // Loaded here, not at the top: the loader, the engine and the HTTP client (yaml, ajv, handlebars, got) would
      // otherwise be paid for by every command's start-up, `--version` included.
      const [{ planHasChanges, planHasErrors }, { withPlan }] = await Promise.all([import('../../engine.js'), import('../planned.js')]);
      const format = flags.format ?? 'human';
      const markdown = markdownFlags(flags, format);
      const interrupts = installInterrupts();
      try {
        // The JSON plan for --json-out, written before stdout so that a pipeline finds it whatever happens next.
        const saveJson = async (p: Plan, mask: Masker): Promise<void> => {
          if (flags.jsonOut !== undefined) await writeRendered(flags.jsonOut, renderPlan(p, 'json', false, mask));
        };
        const failed = (p: Plan): void => printRendered('stdout', renderPlan(p, format, false, runMasker(), markdown));
        await withPlan(paths, flags, interrupts, failed, async ({ plan: p, color, mask }) => {
          await saveJson(p, mask);
          printRendered('stdout', renderPlan(p, format, color, mask, markdown), format === 'human' && color);
          if (planHasErrors(p)) process.exitCode = 1;
          else if (flags.detailedExitcode && planHasChanges(p)) process.exitCode = 2;
          else process.exitCode = 0;
        }, (p) => saveJson(p, runMasker()));
      } finally {
        interrupts.dispose();
      }
    });
}

/** `kickstand apply`: plan, confirm, then create and update in dependency order. */
import type { Command } from 'commander';
import { createInterface } from 'node:readline/promises';
import { UserError } from '../../core/errors.js';
import { renderApplyHuman, renderOutcomeLine } from '../../render/human.js';
import { renderPlanAndApplyJson } from '../../render/json.js';
import { renderApplyMarkdown } from '../../render/markdown.js';
import {
  addConnectionOptions, addFileOptions, addOutputOptions, intOption,
  type ConnectionOptionFlags, type FileFlags, type OutputFlags,
} from '../options.js';
import { err, out } from '../output.js';
import { renderPlan } from './plan.js';

/** Flags of `apply`. */
interface ApplyFlags extends FileFlags, ConnectionOptionFlags, OutputFlags {
  autoApprove?: boolean;
  allowReplace?: boolean;
  parallelism?: string;
}

/** Ask on the terminal; only "yes" approves. */
async function confirm(): Promise<boolean> {
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    const answer = await rl.question('\nDo you want to apply these changes? Only "yes" is accepted: ');
    return answer.trim() === 'yes';
  } finally {
    rl.close();
  }
}

/** Register `apply`. */
export function register(program: Command): void {
  const cmd = program
    .command('apply')
    .description('plan, then create and update FusionAuth objects to match the files (asks first on a terminal)');
  addFileOptions(cmd);
  addConnectionOptions(cmd);
  addOutputOptions(cmd, ['human', 'json', 'markdown']);
  cmd
    .option('--auto-approve', 'apply without asking (required when not on a terminal, e.g. in CI)')
    .option('--allow-replace', 'apply a change of an immutable field as delete and re-create')
    .option('--parallelism <n>', 'writes in flight at once within a dependency level', '4')
    .addHelpText('after', `
Examples:
  $ kickstand apply --emulator --emulator-licensed --auto-approve examples/phone-gating
  $ kickstand apply config/ --auto-approve --format json > result.json`)
    .action(async (paths: string[], flags: ApplyFlags) => {
      const parallelism = intOption(flags.parallelism, '--parallelism');
      const format = flags.format ?? 'human';
      const interactive = process.stdin.isTTY === true;
      if (!flags.autoApprove && !interactive) {
        throw new UserError('refusing to apply without confirmation: not on a terminal. Review the plan with `kickstand plan`, then pass --auto-approve.');
      }
      // Loaded here, not at the top: the loader, the engine and the HTTP client (yaml, ajv, handlebars, got) would
      // otherwise be paid for by every command's start-up, `--version` included.
      const [{ apply, planHasChanges, planHasErrors }, { withPlan }] = await Promise.all([import('../../engine.js'), import('../planned.js')]);
      await withPlan(paths, flags, async ({ plan: p, desired, client, color }) => {
        // In JSON mode stdout carries one JSON document at the end; the plan and progress go to stderr for humans.
        const show = format === 'json' ? err : out;
        show(renderPlan(p, format === 'json' ? 'human' : format, color && format !== 'json'));
        if (planHasErrors(p)) {
          // The same document as a successful apply: engine's apply writes nothing for a plan with errors and returns
          // a result holding those errors.
          if (format === 'json') out(renderPlanAndApplyJson(p, (await apply({ plan: p, desired, client })).result));
          process.exitCode = 1;
          return;
        }
        if (!planHasChanges(p)) {
          if (format === 'json') out(renderPlanAndApplyJson(p, null));
          process.exitCode = 0;
          return;
        }
        if (!flags.autoApprove && !(await confirm())) {
          err('Apply cancelled.\n');
          process.exitCode = 1;
          return;
        }
        const progressColor = format === 'human' && color;
        const { result } = await apply({
          plan: p,
          desired,
          client,
          ...(parallelism !== undefined ? { parallelism } : {}),
          onOutcome: (o) => show(renderOutcomeLine(o, { color: progressColor }) + '\n'),
        });
        if (format === 'json') {
          out(renderPlanAndApplyJson(p, result));
        } else if (format === 'markdown') {
          out(renderApplyMarkdown(result));
        } else {
          out(renderApplyHuman(result, { color, progressShown: true }));
        }
        process.exitCode = result.summary.failed > 0 || result.diagnostics.some((d) => d.severity === 'error') ? 1 : 0;
      });
    });
}

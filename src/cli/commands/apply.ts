/** `kickstand apply`: plan, confirm, then create and update in dependency order. */
import type { Command } from 'commander';
import { createInterface } from 'node:readline/promises';
import { UserError } from '../../core/errors.js';
import type { Masker } from '../../core/mask.js';
import type { ApplyResult, Plan } from '../../core/types.js';
import { renderApplyHuman } from '../../render/human.js';
import { renderPlanAndApplyJson } from '../../render/json.js';
import { renderApplyMarkdown } from '../../render/markdown.js';
import {
  addConnectionOptions, addFileOptions, addOutputOptions, intOption,
  type ConnectionOptionFlags, type FileFlags, type OutputFlags,
} from '../options.js';
import { err, printRendered, runMasker } from '../output.js';
import { applyProgress } from '../progress.js';
import { installInterrupts, signalExitCode } from '../signals.js';
import { renderPlan } from './plan.js';

/** Flags of `apply`. */
interface ApplyFlags extends FileFlags, ConnectionOptionFlags, OutputFlags {
  autoApprove?: boolean;
  allowReplace?: boolean;
  parallelism?: string;
}

/** Ask on the terminal; only "yes" approves. A signal while asking ends the question (as a refusal). */
async function confirm(signal: AbortSignal): Promise<boolean> {
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  // why: while readline holds a terminal in raw mode, Ctrl+C reaches it as its own 'SIGINT' event, not the process's.
  rl.on('SIGINT', () => process.emit('SIGINT'));
  try {
    const answer = await rl.question('\nDo you want to apply these changes? Only "yes" is accepted: ', { signal });
    return answer.trim() === 'yes';
  } catch (e) {
    if (signal.aborted) return false;
    throw e;
  } finally {
    rl.close();
  }
}

/** How long writes in flight may take to finish after a signal before they are reported as "outcome unknown". */
const IN_FLIGHT_GRACE_MS = 5_000;

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
    .option('--parallelism <n>', 'writes in flight at once within a dependency level (1..64)', '4')
    .addHelpText('after', `
Progress goes to stderr: on a terminal one line with N/M changes done, the elapsed time and the last outcome,
rewritten in place; otherwise one line per change as it completes ("[3/40 12s] + tenant acme created").
Stdout carries the plan and the result (with --format json: one JSON document).
SIGINT, SIGTERM or SIGHUP stop the apply: no new write starts, writes in flight get ${IN_FLIGHT_GRACE_MS / 1000} s to finish, every
change's outcome is reported, then kickstand exits with 130, 143 or 129. A second signal exits at once.

Examples:
  $ kickstand apply --emulator --emulator-licensed --auto-approve examples/phone-gating
  $ kickstand apply config/ --auto-approve --format json > result.json`)
    .action(async (paths: string[], flags: ApplyFlags) => {
      const parallelism = intOption(flags.parallelism, '--parallelism', 1, 64);
      const format = flags.format ?? 'human';
      const interactive = process.stdin.isTTY === true;
      if (!flags.autoApprove && !interactive) {
        throw new UserError('refusing to apply without confirmation: not on a terminal. Review the plan with `kickstand plan`, then pass --auto-approve.');
      }
      // Loaded here, not at the top: the loader, the engine and the HTTP client (yaml, ajv, handlebars, got) would
      // otherwise be paid for by every command's start-up, `--version` included.
      const [{ apply, planHasChanges, planHasErrors }, { notApplied }, { withPlan }] = await Promise.all([
        import('../../engine.js'), import('../../apply/apply.js'), import('../planned.js'),
      ]);
      const interrupts = installInterrupts();
      // The document of a run that ends here: the JSON one holds the plan and the result; markdown the result.
      const finish = (p: Plan, result: ApplyResult | null, mask: Masker): void => {
        if (format === 'json') printRendered('stdout', renderPlanAndApplyJson(p, result, { mask }));
        else if (format === 'markdown' && result) printRendered('stdout', renderApplyMarkdown(result, { mask }));
      };
      const failed = (p: Plan): void => {
        if (format === 'json') finish(p, notApplied(p), runMasker());
        else printRendered('stdout', renderPlan(p, format, false, runMasker()));
      };
      try {
        await withPlan(paths, flags, interrupts, failed, async ({ plan: p, desired, client, color, mask }) => {
          // In JSON mode stdout carries one JSON document at the end; the plan goes to stderr for humans.
          printRendered(format === 'json' ? 'stderr' : 'stdout', renderPlan(p, format === 'json' ? 'human' : format, color && format !== 'json', mask), color && format !== 'markdown');
          if (planHasErrors(p)) {
            finish(p, notApplied(p), mask);
            process.exitCode = 1;
            return;
          }
          if (!planHasChanges(p)) {
            finish(p, null, mask);
            process.exitCode = 0;
            return;
          }
          if (!flags.autoApprove && !(await confirm(interrupts.signal))) {
            const signal = interrupts.received();
            err(signal ? `Apply cancelled by ${signal}; nothing was written.\n` : 'Apply cancelled.\n');
            process.exitCode = signal ? signalExitCode(signal) : 1;
            return;
          }
          // Progress always goes to stderr, so that stdout holds only the documents (`--format markdown > apply.md`).
          const tty = process.stderr.isTTY === true;
          const progress = applyProgress({
            total: p.changes.filter((c) => c.action !== 'noop').length,
            tty,
            color: format === 'human' && tty && color,
            mask,
            ...(process.stderr.columns ? { columns: process.stderr.columns } : {}),
          });
          let result: ApplyResult;
          try {
            ({ result } = await apply({
              plan: p,
              desired,
              client,
              ...(parallelism !== undefined ? { parallelism } : {}),
              signal: interrupts.signal,
              inFlightGraceMs: IN_FLIGHT_GRACE_MS,
              onOutcome: (o) => progress.outcome(o),
            }));
          } finally {
            progress.done();
          }
          if (format === 'human') {
            // Every outcome is listed: the terminal's progress line was erased, and a file or pipe needs them too.
            printRendered('stdout', renderApplyHuman(result, { color, mask }), color);
          } else {
            finish(p, result, mask);
          }
          const signal = interrupts.received();
          if (signal) process.exitCode = signalExitCode(signal);
          else process.exitCode = result.summary.failed > 0 || result.diagnostics.some((d) => d.severity === 'error') ? 1 : 0;
        });
      } finally {
        interrupts.dispose();
      }
    });
}

/** `kickstand plan`: show what an apply would change, without changing anything. */
import type { Command } from 'commander';
import { renderPlanHuman } from '../../render/human.js';
import { renderPlanJson } from '../../render/json.js';
import { renderPlanMarkdown } from '../../render/markdown.js';
import type { Masker } from '../../core/mask.js';
import type { Plan } from '../../core/types.js';
import {
  addConnectionOptions, addFileOptions, addOutputOptions,
  type ConnectionOptionFlags, type FileFlags, type OutputFlags,
} from '../options.js';
import { printRendered, runMasker } from '../output.js';
import { installInterrupts } from '../signals.js';

/** Flags of `plan`. */
interface PlanFlags extends FileFlags, ConnectionOptionFlags, OutputFlags {
  detailedExitcode?: boolean;
  allowReplace?: boolean;
}

/** Render a plan in the chosen format; the renderers mask secret fields by path and the run's secrets (`mask`) by value. */
export function renderPlan(p: Plan, format: string, color: boolean, mask: Masker): string {
  if (format === 'json') return renderPlanJson(p, { mask });
  if (format === 'markdown') return renderPlanMarkdown(p, { mask });
  return renderPlanHuman(p, { color, mask });
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
    .addHelpText('after', `
Examples:
  $ kickstand plan --emulator --emulator-licensed examples/phone-gating
  $ FUSIONAUTH_URL=https://auth.example.com FUSIONAUTH_API_KEY=… kickstand plan config/ --format markdown > plan.md
  $ kickstand plan -f kickstand.yaml --detailed-exitcode; echo $?   # 0 nothing to do, 2 changes, 1 error`)
    .action(async (paths: string[], flags: PlanFlags) => {
      // Loaded here, not at the top: the loader, the engine and the HTTP client (yaml, ajv, handlebars, got) would
      // otherwise be paid for by every command's start-up, `--version` included.
      const [{ planHasChanges, planHasErrors }, { withPlan }] = await Promise.all([import('../../engine.js'), import('../planned.js')]);
      const format = flags.format ?? 'human';
      const interrupts = installInterrupts();
      try {
        const failed = (p: Plan): void => printRendered('stdout', renderPlan(p, format, false, runMasker()));
        await withPlan(paths, flags, interrupts, failed, async ({ plan: p, color, mask }) => {
          printRendered('stdout', renderPlan(p, format, color, mask), format === 'human' && color);
          if (planHasErrors(p)) process.exitCode = 1;
          else if (flags.detailedExitcode && planHasChanges(p)) process.exitCode = 2;
          else process.exitCode = 0;
        });
      } finally {
        interrupts.dispose();
      }
    });
}

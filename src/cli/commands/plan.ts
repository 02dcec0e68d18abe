/** `kickstand plan`: show what an apply would change, without changing anything. */
import type { Command } from 'commander';
import { renderPlanHuman } from '../../render/human.js';
import { renderPlanJson } from '../../render/json.js';
import { renderPlanMarkdown } from '../../render/markdown.js';
import type { Plan } from '../../core/types.js';
import {
  addConnectionOptions, addFileOptions, addOutputOptions,
  type ConnectionOptionFlags, type FileFlags, type OutputFlags,
} from '../options.js';
import { out } from '../output.js';

/** Flags of `plan`. */
interface PlanFlags extends FileFlags, ConnectionOptionFlags, OutputFlags {
  detailedExitcode?: boolean;
  allowReplace?: boolean;
}

/** Render a plan in the chosen format (masking happens inside the renderers and again in `out`). */
export function renderPlan(p: Plan, format: string, color: boolean): string {
  if (format === 'json') return renderPlanJson(p);
  if (format === 'markdown') return renderPlanMarkdown(p);
  return renderPlanHuman(p, { color });
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
      await withPlan(paths, flags, async ({ plan: p, color }) => {
        out(renderPlan(p, flags.format ?? 'human', color));
        if (planHasErrors(p)) process.exitCode = 1;
        else if (flags.detailedExitcode && planHasChanges(p)) process.exitCode = 2;
        else process.exitCode = 0;
      });
    });
}

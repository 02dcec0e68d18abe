/**
 * What `plan` and `apply` share: load the files, connect, compute the plan (carrying the connection's warnings), and
 * close the connection when the command is done with it. When any of that fails — invalid files, an unreachable
 * server, a signal — a `json` or `markdown` run still gets its document: a plan with no changes whose diagnostics say
 * what went wrong. Loaded by those commands only when they run: it pulls in the loader, the engine and the HTTP
 * client (yaml, ajv, handlebars, got).
 */
import { ConfigError, loadConfig } from '../config/load.js';
import { formatDiagnostic } from '../core/diagnostics.js';
import { UserError } from '../core/errors.js';
import type { Masker } from '../core/mask.js';
import type { DesiredState, Diagnostic, Plan } from '../core/types.js';
import { plan } from '../engine.js';
import type { ApiClient } from '../fusionauth/types.js';
import { kindByName } from '../kinds/index.js';
import { shouldUseColor } from '../render/color.js';
import { connect, type Connected } from './connect.js';
import { filesFrom, loadOptionsFrom, type ConnectionOptionFlags, type FileFlags, type OutputFlags } from './options.js';
import { err, runMasker, setSecrets } from './output.js';
import { Interrupted, signalExitCode, type Interrupts } from './signals.js';

/** A computed plan and what it came from, handed to the command's own steps. */
export interface Planned {
  plan: Plan;
  desired: DesiredState;
  client: ApiClient;
  /** Whether stdout may be coloured (`--no-color`, `NO_COLOR`, `FORCE_COLOR`, a terminal). */
  color: boolean;
  /** The run's secrets, for the renderers' `mask` option. */
  mask: Masker;
}

/** The flags `withPlan` reads. */
export type PlanningFlags = FileFlags & ConnectionOptionFlags & OutputFlags & { allowReplace?: boolean; showUnmanaged?: boolean; graph?: boolean };

/**
 * The plan printed when no plan could be computed: no changes, and the errors (and warnings) that stopped it. `target`
 * is the server's URL when it was known, else empty; the server's version is unknown (empty).
 */
export function failedPlan(target: string, diagnostics: Diagnostic[]): Plan {
  return {
    formatVersion: 2,
    target,
    serverVersion: '',
    licensed: false,
    changes: [],
    summary: { create: 0, update: 0, replace: 0, delete: 0, noop: 0 },
    diagnostics,
  };
}

/**
 * A hint for a plan refused by the unlicensed embedded emulator: the files use paid features (a kind's license rules
 * fire), so `--emulator-licensed` is what the user wants. Empty otherwise.
 */
function emulatorLicenseHint(flags: PlanningFlags, p: Plan, desired: DesiredState): Diagnostic[] {
  if (!flags.emulator || p.licensed || !p.diagnostics.some((d) => d.severity === 'error')) return [];
  if (!desired.resources.some((r) => kindByName(r.kind).licenseRules(r.body).length > 0)) return [];
  return [{
    severity: 'warning',
    message: `the embedded emulator is unlicensed and these files use paid FusionAuth features: pass --emulator-licensed to make it licensed (remembered in ${flags.emulatorDir ?? '.kickstand'})`,
  }];
}

/**
 * Load the files the flags name (their secrets masked in all further output), connect as the flags say, plan, run
 * `then` with the result, and close the connection (the embedded emulator) whatever happens. Loading, connecting and
 * reading the server write nothing, so a signal abandons them at once (`Interrupted`). When they fail with a user
 * error and the format is `json` or `markdown`, `document` is called with a failed plan (to print the command's
 * document), the errors also go to stderr, the exit code is set (1, or 128 + the signal) and undefined is returned;
 * in the human format the error is rethrown for the CLI's one top-level catch. `save`, when given, gets the failed plan
 * in every format, before anything is printed (`plan --json-out`).
 */
export async function withPlan<T>(
  paths: string[],
  flags: PlanningFlags,
  interrupts: Interrupts,
  document: (failed: Plan) => void,
  then: (planned: Planned) => Promise<T>,
  save?: (failed: Plan) => Promise<void>,
): Promise<T | undefined> {
  let conn: Connected | undefined;
  try {
    let planned: Planned;
    try {
      const desired = await interrupts.race(
        loadConfig(filesFrom(paths, flags), loadOptionsFrom(flags)),
        'while loading the files; nothing was written',
      );
      setSecrets(desired.secrets);
      conn = await interrupts.race(connect(flags, process.env, interrupts.signal), 'while connecting; nothing was written');
      const connected = conn;
      const { plan: p } = await interrupts.race(
        plan({
          desired, client: connected.client, apiKey: connected.apiKey, allowReplace: flags.allowReplace ?? false,
          ...(flags.showUnmanaged ? { showUnmanaged: true } : {}), ...(flags.graph ? { graph: true } : {}),
        }),
        'while reading FusionAuth; nothing was written',
      );
      p.diagnostics = [...connected.warnings, ...p.diagnostics, ...emulatorLicenseHint(flags, p, desired)];
      const color = shouldUseColor({ noColorFlag: flags.color === false, env: process.env, isTTY: process.stdout.isTTY === true });
      planned = { plan: p, desired, client: connected.client, color, mask: runMasker() };
    } catch (e) {
      const format = flags.format ?? 'human';
      if (!(e instanceof UserError)) throw e;
      const diagnostics = e instanceof ConfigError ? [...e.diagnostics, ...e.warnings] : [...(conn?.warnings ?? []), ...e.diagnostics];
      await save?.(failedPlan(conn?.client.baseUrl ?? '', diagnostics));
      if (format === 'human') throw e;
      for (const d of diagnostics) err(`${formatDiagnostic(d)}\n`);
      document(failedPlan(conn?.client.baseUrl ?? '', diagnostics));
      process.exitCode = e instanceof Interrupted ? signalExitCode(e.signal) : 1;
      return undefined;
    }
    return await then(planned);
  } finally {
    await conn?.close();
  }
}

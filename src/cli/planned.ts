/**
 * What `plan` and `apply` share: load the files, connect, compute the plan (carrying the connection's warnings), and
 * close the connection when the command is done with it. Loaded by those commands only when they run: it pulls in
 * the loader, the engine and the HTTP client (yaml, ajv, handlebars, got).
 */
import { loadConfig } from '../config/load.js';
import type { DesiredState, Plan } from '../core/types.js';
import { plan } from '../engine.js';
import type { ApiClient } from '../fusionauth/types.js';
import { shouldUseColor } from '../render/color.js';
import { connect } from './connect.js';
import { filesFrom, varsFrom, type ConnectionOptionFlags, type FileFlags, type OutputFlags } from './options.js';
import { setSecrets } from './output.js';

/** A computed plan and what it came from, handed to the command's own steps. */
export interface Planned {
  plan: Plan;
  desired: DesiredState;
  client: ApiClient;
  /** Whether stdout may be coloured (`--no-color`, `NO_COLOR`, `FORCE_COLOR`, a terminal). */
  color: boolean;
}

/**
 * Load the files the flags name (their secrets masked in all further output), connect as the flags say, plan, run
 * `then` with the result, and close the connection (the embedded emulator) whatever happens.
 */
export async function withPlan<T>(
  paths: string[],
  flags: FileFlags & ConnectionOptionFlags & OutputFlags & { allowReplace?: boolean },
  then: (planned: Planned) => Promise<T>,
): Promise<T> {
  const desired = await loadConfig(filesFrom(paths, flags), { vars: varsFrom(flags), varFiles: flags.varFile ?? [] });
  setSecrets(desired.secrets);
  const conn = await connect(flags);
  try {
    const { plan: p } = await plan({ desired, client: conn.client, allowReplace: flags.allowReplace ?? false });
    p.diagnostics = [...conn.warnings, ...p.diagnostics];
    const color = shouldUseColor({ noColorFlag: flags.color === false, env: process.env, isTTY: process.stdout.isTTY === true });
    return await then({ plan: p, desired, client: conn.client, color });
  } finally {
    await conn.close();
  }
}

/** Every command of the CLI: each module exports a function that registers its command on the program. */
import type { Command } from 'commander';
import { register as apply } from './apply.js';
import { register as completion } from './completion.js';
import { register as emulator } from './emulator.js';
import { register as graph } from './graph.js';
import { register as ping } from './ping.js';
import { register as plan } from './plan.js';
import { register as schema } from './schema.js';
import { register as validate } from './validate.js';
import { register as version } from './version.js';

export const COMMANDS: Array<(program: Command) => void> = [
  validate,
  schema,
  plan,
  apply,
  graph,
  ping,
  emulator,
  completion,
  version,
];

/** Every command of the CLI: each module exports a function that registers its command on the program. */
import type { Command } from 'commander';

export const COMMANDS: Array<(program: Command) => void> = [];

/** `kickstand version`: the version (the same as `--version`), with the Node.js version and platform it runs on. */
import { Option, type Command } from 'commander';
import { out } from '../output.js';

/** The JSON document of `kickstand version --format json`. */
export interface VersionDocument {
  /** kickstand's version, as `--version` prints it. */
  version: string;
  /** `process.version`, e.g. `v20.20.2`. */
  node: string;
  /** `process.platform`, e.g. `linux`. */
  platform: string;
  /** `process.arch`, e.g. `x64`. */
  arch: string;
}

/** Register `version` on the program. */
export function register(program: Command): void {
  program
    .command('version')
    .description('print the version of kickstand, Node.js and the platform')
    .addOption(new Option('--format <format>', 'output format').choices(['human', 'json']).default('human'))
    .action((flags: { format: 'human' | 'json' }) => {
      // The program's own version: `kickstand --version` prints the same string.
      const doc: VersionDocument = { version: program.version() ?? '', node: process.version, platform: process.platform, arch: process.arch };
      out(flags.format === 'json' ? `${JSON.stringify(doc, null, 2)}\n` : `kickstand ${doc.version} (Node.js ${doc.node}, ${doc.platform} ${doc.arch})\n`);
      process.exitCode = 0;
    });
}

/** `kickstand schema`: print the JSON Schema of the kickstand file (for editors and other tools). */
import type { Command } from 'commander';
import { readFile } from 'node:fs/promises';
import { out } from '../output.js';

/** Register `schema` on the program. */
export function register(program: Command): void {
  program
    .command('schema')
    .description('print the JSON Schema of the kickstand file (draft-07)')
    .addHelpText(
      'after',
      `
Editors that understand JSON Schema can use it directly; for YAML files add this first line:
  # yaml-language-server: $schema=<path to>/kickstand.schema.json

Examples:
  $ kickstand schema > kickstand.schema.json
  $ kickstand schema | jq '.definitions.TenantPhoneConfiguration'`,
    )
    .action(async () => {
      // Loaded here: config/schema.js imports ajv, which the other commands' start-up should not pay for.
      const { SCHEMA_PATH } = await import('../../config/schema.js');
      out(await readFile(SCHEMA_PATH, 'utf8'));
      process.exitCode = 0;
    });
}

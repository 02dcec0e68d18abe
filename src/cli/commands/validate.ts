/**
 * `kickstand validate`: load the files offline (parse, variables, schema, cross-field rules, references) and print
 * every diagnostic. Exit 0 when valid (warnings allowed), 1 when not.
 */
import { Option, type Command } from 'commander';
import { sortDiagnostics } from '../../core/diagnostics.js';
import type { Diagnostic } from '../../core/types.js';
import { diagnosticText, plural } from '../../render/common.js';
import { escapeJsonText } from '../../render/text.js';
import { addFileOptions, filesFrom, loadOptionsFrom, type FileFlags } from '../options.js';
import { out, printRendered, runMasker, setSecrets } from '../output.js';

interface ValidateFlags extends FileFlags {
  format: 'human' | 'json';
}

/** Register `validate` on the program. */
export function register(program: Command): void {
  const cmd = program
    .command('validate')
    .description('check kickstand files offline: syntax, variables, schema, cross-field rules and references');
  addFileOptions(cmd)
    .addOption(new Option('--format <format>', 'output format').choices(['human', 'json']).default('human'))
    .addHelpText(
      'after',
      `
Every diagnostic is printed as "file:line:column  path  message", sorted by file and line.
Exit status: 0 when the files are valid (warnings allowed), 1 when they are not.

Examples:
  $ kickstand validate examples/phone-gating
  $ kickstand validate -f base.yaml -f tenants/ --var phoneCodeTtl=300
  $ kickstand validate config/ --var-file prod.env --format json`,
    )
    .action(async (paths: string[], flags: ValidateFlags) => {
      // Loaded here, not at the top: the loader pulls in yaml, ajv and handlebars, which `--version` and `--help` never need.
      const { ConfigError, loadConfig } = await import('../../config/load.js');
      const files = filesFrom(paths, flags);
      const options = loadOptionsFrom(flags);
      let valid: boolean;
      let diagnostics: Diagnostic[];
      let resources = 0;
      let fileCount = 0;
      try {
        const state = await loadConfig(files, options);
        setSecrets(state.secrets);
        valid = true;
        diagnostics = state.diagnostics;
        resources = state.resources.length;
        fileCount = state.files.length;
      } catch (e) {
        if (!(e instanceof ConfigError)) throw e;
        valid = false;
        diagnostics = [...e.diagnostics, ...e.warnings];
      }
      const sorted = sortDiagnostics(diagnostics);
      if (flags.format === 'json') {
        // Masked in the data, then serialised: a search over the JSON text could miss escaped secrets or break it.
        const mask = runMasker();
        const masked = sorted.map((d) => ({ ...d, message: mask(d.message) }));
        printRendered('stdout', escapeJsonText(JSON.stringify({ formatVersion: 1, valid, resources, diagnostics: masked }, null, 2)) + '\n');
      } else {
        for (const d of sorted) out(diagnosticText(d) + '\n');
        const errors = sorted.filter((d) => d.severity === 'error').length;
        const warnings = sorted.length - errors;
        if (valid) out(`valid: ${plural(resources, 'resource')} in ${plural(fileCount, 'file')}${warnings ? ` (${plural(warnings, 'warning')})` : ''}\n`);
        else out(`${plural(errors, 'error')}${warnings ? `, ${plural(warnings, 'warning')}` : ''}\n`);
      }
      // Set explicitly in both cases: run() reads process.exitCode, which may hold a value from an earlier run.
      process.exitCode = valid ? 0 : 1;
    });
}

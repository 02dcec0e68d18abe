/**
 * Helpers for the config tests: temporary folders of kickstand files, parsing a text and capturing the outcome, and
 * running the CLI in-process with fresh state.
 */
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { vi } from 'vitest';
import { ConfigError, loadConfig, type LoadOptions } from '../../src/config/load.js';
import { DEFAULT_LIMITS, ParseFailure, parseText, type ParseLimits, type ParseTextOptions } from '../../src/config/parse.js';
import type { Diagnostic } from '../../src/core/types.js';
import type * as Program from '../../src/cli/program.js';

/** Write files (path → content) into a new temporary folder; returns the folder. */
export function tmpFiles(files: Record<string, string | Buffer>): string {
  const dir = mkdtempSync(join(tmpdir(), 'kickstand-config-'));
  for (const [rel, content] of Object.entries(files)) {
    const p = join(dir, rel);
    mkdirSync(dirname(p), { recursive: true });
    writeFileSync(p, content);
  }
  return dir;
}

/** Load and expect failure; returns the errors (and warnings) carried by the ConfigError. */
export async function loadErrors(paths: string[], options: LoadOptions = {}): Promise<{ errors: Diagnostic[]; warnings: Diagnostic[] }> {
  try {
    await loadConfig(paths, { env: {}, ...options });
  } catch (e) {
    if (e instanceof ConfigError) return { errors: e.diagnostics, warnings: e.warnings };
    throw e;
  }
  throw new Error(`expected ${paths.join(', ')} to be invalid`);
}

/**
 * Run the real CLI in-process with fresh module state (so that secrets registered by an earlier run cannot mask
 * this run's output), capturing stdout and stderr.
 */
export async function runCli(argv: string[], env?: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
  vi.resetModules();
  const { run } = (await import('../../src/cli/program.js')) as typeof Program;
  let stdout = '';
  let stderr = '';
  const o = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stdout += String(chunk);
    return true;
  });
  const e = vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stderr += String(chunk);
    return true;
  });
  const saved: Record<string, string | undefined> = {};
  for (const [k, v] of Object.entries(env ?? {})) {
    saved[k] = process.env[k];
    process.env[k] = v;
  }
  try {
    const code = await run(argv);
    return { code, stdout, stderr };
  } finally {
    o.mockRestore();
    e.mockRestore();
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
    process.exitCode = undefined;
  }
}

/** What parsing a text gave: the value and positions, or the diagnostics. */
export type ParseOutcome = { ok: true; value: unknown; positions: Record<string, unknown> } | { ok: false; diagnostics: Diagnostic[] };

/**
 * Parse a text with `parseText` as the file `abs` (`.yaml` or `.json`; a `.json` file through the JSON scanner, or with
 * `json: 'yaml'` through the yaml library), capturing the result or the diagnostics.
 */
export function parseOutcome(text: string, abs: string, options: ParseTextOptions = {}, limits: ParseLimits = DEFAULT_LIMITS): ParseOutcome {
  try {
    const f = parseText(text, abs, limits, options);
    return { ok: true, value: f.value, positions: Object.fromEntries(f.positions) };
  } catch (e) {
    if (e instanceof ParseFailure) return { ok: false, diagnostics: e.diagnostics };
    throw e;
  }
}

/** The diagnostics of a failed parse as `[message, line, column]`; throws when the parse succeeded. */
export function failures(o: ParseOutcome): Array<[string, number | undefined, number | undefined]> {
  if (o.ok) throw new Error(`expected a parse failure, got ${JSON.stringify(o.value).slice(0, 200)}`);
  return o.diagnostics.map((d) => [d.message, d.where?.line, d.where?.column]);
}

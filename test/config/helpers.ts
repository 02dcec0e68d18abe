/** Helpers for the config tests: temporary folders of kickstand files, and running the CLI in-process with fresh state. */
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { vi } from 'vitest';
import { ConfigError, loadConfig, type LoadOptions } from '../../src/config/load.js';
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

/**
 * Plan and apply one kickstand file against an in-process emulator, reset before each test: the scaffolding the kind
 * tests share. Call `againstEmulator()` at the top of a test file; it registers the emulator's start, reset and stop.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, expect } from 'vitest';
import { apply, plan } from '../../src/engine.js';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { createClient } from '../../src/fusionauth/client.js';
import type { ApiClient } from '../../src/fusionauth/types.js';
import { tmpFiles } from '../config/helpers.js';

/** What a test file gets: the emulator, a client of it, and plan/apply of one YAML file's text. */
export interface AgainstEmulator {
  emu(): Emulator;
  client(): ApiClient;
  /** Write a kickstand.yaml with this text in a fresh folder; its path. */
  files(yaml: string): string;
  planOf(yaml: string, allowReplace?: boolean): Promise<Awaited<ReturnType<typeof plan>>['plan']>;
  /** Apply the file, expecting a plan without errors and every change applied. */
  applyOf(yaml: string, allowReplace?: boolean): ReturnType<typeof apply>;
}

/** Start a licensed emulator for the test file (reset before each test) and return the helpers over it. */
export function againstEmulator(): AgainstEmulator {
  let emu: Emulator | undefined;
  beforeAll(async () => {
    emu = await startEmulator({ licensed: true });
  });
  afterAll(() => emu?.stop());
  beforeEach(() => emu?.reset());
  const get = (): Emulator => {
    if (!emu) throw new Error('the emulator is not started: call againstEmulator() at the top of the test file');
    return emu;
  };
  const client = (): ApiClient => createClient({ url: get().url, apiKey: get().apiKey, retry: { attempts: 1 } });
  const files = (yaml: string): string => join(tmpFiles({ 'kickstand.yaml': yaml }), 'kickstand.yaml');
  return {
    emu: get,
    client,
    files,
    planOf: async (yaml, allowReplace = false) => (await plan({ files: [files(yaml)], load: { env: {} }, client: client(), allowReplace })).plan,
    applyOf: async (yaml, allowReplace = false) => {
      const out = await apply({ files: [files(yaml)], load: { env: {} }, client: client(), allowReplace });
      expect(out.plan.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
      expect(out.result.outcomes.filter((o) => o.status !== 'applied')).toEqual([]);
      return out;
    },
  };
}

/**
 * An emulator holding API keys that FusionAuth's API cannot make (other key managers: only the admin UI and Kickstart
 * can), seeded through the emulator's state file, and a second tenant for keys locked to it.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { JsonObject } from '../../src/core/types.js';
import { startEmulator, type Emulator, type EmulatorOptions } from '../../src/emulator/index.js';
import { readStateFile, writeStateFile } from '../../src/emulator/store.js';

/** The second tenant of a seeded emulator. */
export const TENANT_B = 'b0000000-0000-4000-8000-00000000000b';

/** Start an emulator whose store also holds tenant `TENANT_B` and these API key objects (id, key, flags, permissions). */
export async function emulatorWithKeys(keys: JsonObject[], options: EmulatorOptions = {}): Promise<Emulator> {
  const statePath = join(mkdtempSync(join(tmpdir(), 'kickstand-apikeys-')), 'state.json');
  const first = await startEmulator({ ...options, statePath });
  const r = await fetch(`${first.url}/api/tenant/${TENANT_B}`, {
    method: 'POST', headers: { authorization: first.apiKey, 'content-type': 'application/json' }, body: JSON.stringify({ tenant: { name: 'Tenant B' } }),
  });
  if (r.status !== 200) throw new Error(`seeding tenant B: ${r.status}`);
  await first.stop();
  const file = readStateFile(statePath)!;
  file.collections.apiKey = [...(file.collections.apiKey ?? []), ...keys.map((k) => ({ insertInstant: 1, lastUpdateInstant: 1, ...k }))];
  writeStateFile(statePath, file);
  return startEmulator({ ...options, statePath, apiKey: first.apiKey });
}

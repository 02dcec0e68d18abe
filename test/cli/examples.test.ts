/**
 * The examples work with the FusionAuth they pin: examples/docker-compose.yml runs a version at least as new as every
 * feature the phone-gating example uses, checked by planning the example against an emulator reporting that version
 * (preflight refuses features a version lacks).
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { plan } from '../../src/engine.js';
import { createClient } from '../../src/fusionauth/client.js';

/** The FusionAuth version examples/docker-compose.yml runs (the fusionauth-app image's tag). */
function composeVersion(): string {
  const compose = parse(readFileSync('examples/docker-compose.yml', 'utf8')) as { services: { fusionauth: { image: string } } };
  const m = /^fusionauth\/fusionauth-app:(\d+\.\d+\.\d+)$/.exec(compose.services.fusionauth.image);
  if (!m) throw new Error(`examples/docker-compose.yml pins no fusionauth-app version: ${compose.services.fusionauth.image}`);
  return m[1]!;
}

/** Plan the phone-gating example against a licensed emulator reporting `version`; the plan's errors. */
async function errorsAgainst(version: string): Promise<string[]> {
  const emu = await startEmulator({ version, licensed: true });
  try {
    const { plan: p } = await plan({ files: ['examples/phone-gating'], load: { env: {} }, client: createClient({ url: emu.url, apiKey: emu.apiKey }) });
    return p.diagnostics.filter((d) => d.severity === 'error').map((d) => d.message);
  } finally {
    await emu.stop();
  }
}

describe('examples/docker-compose.yml', () => {
  let version: string;
  beforeAll(() => {
    version = composeVersion();
  });

  it('pins a FusionAuth the phone-gating example plans against without preflight errors', async () => {
    expect(await errorsAgainst(version)).toEqual([]);
  });

  it('(the check has teeth: the version pinned before, 1.62.1, lacks messageTypes)', async () => {
    expect(await errorsAgainst('1.62.1')).toEqual(['messageTypes needs FusionAuth 1.65.0 or later; the server runs 1.62.1']);
  });
});

describe('the emulator used for it', () => {
  let emu: Emulator;
  beforeAll(async () => {
    emu = await startEmulator({ version: composeVersion() });
  });
  afterAll(async () => {
    await emu.stop();
  });

  it('reports the pinned version, as the real server would', async () => {
    const r = await fetch(`${emu.url}/api/system/version`, { headers: { authorization: emu.apiKey } });
    expect(await r.json()).toEqual({ version: composeVersion() });
  });
});

/**
 * Applications as kickstand entries against the emulator, for what FusionAuth does to particular fields and objects:
 * the Tenant manager application (1.58+) adopted by name and managed within what its update takes, and the CleanSpeak
 * settings FusionAuth does not keep (an update drops the API key and URL, the integration decides `enabled`).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import type { JsonObject } from '../../src/core/types.js';
import { apply, plan } from '../../src/engine.js';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { createClient } from '../../src/fusionauth/client.js';
import type { ApiClient } from '../../src/fusionauth/types.js';
import { tmpFiles } from '../config/helpers.js';

let emu: Emulator;
let client: ApiClient;
beforeEach(async () => {
  emu = await startEmulator({ licensed: true });
  client = createClient({ url: emu.url, apiKey: emu.apiKey, retry: { attempts: 1 } });
});
afterEach(() => emu.stop());

async function load(yaml: string) {
  return loadConfig([tmpFiles({ 'kickstand.yaml': yaml })], { env: {} });
}

async function live(id: string): Promise<JsonObject> {
  return (await client.request<JsonObject>({ method: 'GET', path: `/api/application/${id}` })).body!.application as JsonObject;
}

describe('the Tenant manager application', () => {
  const entry = (extra: string[]) => [
    'applications:',
    '  - key: manager',
    '    name: Tenant manager',
    '    universalConfiguration:',
    '      universal: true',
    ...extra,
    '',
  ].join('\n');

  it('written by its name is adopted, takes the settings FusionAuth updates, and converges', async () => {
    const desired = await load(entry(['    jwtConfiguration:', '      timeToLiveInSeconds: 120', '    passwordlessConfiguration:', '      enabled: true']));
    const first = await plan({ desired, client });
    expect(first.plan.diagnostics).toEqual([]);
    expect(first.plan.changes.map((c) => [c.action, c.match, c.id])).toEqual([['update', 'adopted-by-name', emu.tenantManagerApplicationId]]);
    const { result } = await apply({ plan: first.plan, desired, client });
    expect(result.outcomes.map((o) => o.error ?? o.status)).toEqual(['applied']);
    expect(await live(emu.tenantManagerApplicationId!)).toMatchObject({ jwtConfiguration: { timeToLiveInSeconds: 120 }, passwordlessConfiguration: { enabled: true } });
    expect((await plan({ desired, client })).plan.changes.map((c) => c.action)).toEqual(['noop']);
  });

  it('a setting FusionAuth keeps is a plan error at its line, not an update planned on every run', async () => {
    const desired = await load(entry(['    oauthConfiguration:', '      authorizedRedirectURLs: ["https://manager.example/cb"]', '    data:', '      team: ops']));
    const p = await plan({ desired, client });
    expect(p.plan.diagnostics.map((d) => [d.severity, d.where?.path, d.where?.line, d.message.split(':')[0]])).toEqual([
      ['error', 'oauthConfiguration.authorizedRedirectURLs', 7, 'oauthConfiguration.authorizedRedirectURLs cannot change from ["/tenant-manager"] to ["https'],
      ['error', 'data.team', 9, 'data.team cannot change from null to "ops"'],
    ]);
  });

  it('is a built-in object: listed as such when unmanaged, never replaced', async () => {
    const other = await plan({ desired: await load('applications:\n  - key: web\n    name: Web\n'), client, showUnmanaged: true });
    const manager = other.plan.unmanaged?.find((u) => u.kind === 'application' && u.id === emu.tenantManagerApplicationId);
    expect(manager).toMatchObject({ name: 'Tenant manager', builtIn: true });
    // Written without `universal: true` it would move to the Default tenant, which FusionAuth never does; even with
    // --allow-replace kickstand does not delete and re-create it.
    const moved = await plan({ desired: await load(`applications:\n  - key: manager\n    id: ${emu.tenantManagerApplicationId!}\n    name: Tenant manager\n`), client, allowReplace: true });
    expect(moved.plan.changes.map((c) => c.action)).toEqual(['update']);
    expect(moved.plan.diagnostics.map((d) => d.message)).toEqual(expect.arrayContaining([expect.stringContaining('This application is protected: kickstand never deletes or replaces it.')]));
  });
});

describe('CleanSpeak settings', () => {
  const yaml = (extra: string[]) => [
    'applications:',
    '  - key: chat',
    '    name: Chat',
    '    cleanSpeakConfiguration:',
    '      apiKey: cs-secret-key-123',
    '      url: https://cleanspeak.example',
    '      applicationIds: ["2f3e4d5c-6b7a-4980-8d1c-2b3a4c5d6e7f"]',
    ...extra,
    '',
  ].join('\n');

  it('the API key and URL warn where written, and plan no change once an update has dropped them', async () => {
    const desired = await load(yaml([]));
    const first = await plan({ desired, client });
    expect(first.plan.diagnostics.map((d) => [d.severity, d.where?.path])).toEqual([
      ['warning', 'cleanSpeakConfiguration.apiKey'],
      ['warning', 'cleanSpeakConfiguration.url'],
    ]);
    expect(JSON.stringify(first.plan.diagnostics)).not.toContain('cs-secret-key-123');
    await apply({ plan: first.plan, desired, client });
    const id = first.plan.changes[0]!.id!;
    expect((await live(id)).cleanSpeakConfiguration).toMatchObject({ apiKey: 'cs-secret-key-123', url: 'https://cleanspeak.example' });

    // Any update (here another field) drops them on the server ([DEC-APP] _update) …
    const renamed = await load(yaml(['    data:', '      v: 2']));
    const second = await plan({ desired: renamed, client });
    expect(second.plan.changes[0]!.fields.map((f) => f.path)).toEqual(['data.v']);
    await apply({ plan: second.plan, desired: renamed, client });
    expect((await live(id)).cleanSpeakConfiguration).not.toHaveProperty('apiKey');
    // … and the files still converge.
    expect((await plan({ desired: renamed, client })).plan.changes.map((c) => c.action)).toEqual(['noop']);
  });

  it('enabled is the integration\'s: writing another value is a plan error at the field', async () => {
    const desired = await load('applications:\n  - key: chat\n    name: Chat\n    cleanSpeakConfiguration:\n      applicationIds: []\n');
    const first = await plan({ desired, client });
    await apply({ plan: first.plan, desired, client });
    const on = await plan({ desired: await load('applications:\n  - key: chat\n    name: Chat\n    cleanSpeakConfiguration:\n      enabled: true\n'), client });
    expect(on.plan.diagnostics.map((d) => [d.where?.path, d.message.split(':')[0]])).toEqual([
      ['cleanSpeakConfiguration.enabled', 'cleanSpeakConfiguration.enabled cannot change from false to true'],
    ]);
  });
});

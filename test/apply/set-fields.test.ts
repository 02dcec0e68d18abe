/**
 * Set-typed fields through the reconciler against the emulator: FusionAuth returns a Set field deduplicated and in its
 * own order (src/emulator/lists.ts: `enabledGrants` a TreeSet by grant name, an API key's endpoint methods a HashSet),
 * so a file that writes the items in another order, or twice, must still plan no change once applied.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { applyPlan } from '../../src/apply/apply.js';
import { computePlan } from '../../src/core/plan.js';
import type { DesiredState, KindName, Plan } from '../../src/core/types.js';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { createClient } from '../../src/fusionauth/client.js';
import type { ApiClient } from '../../src/fusionauth/types.js';
import { fetchLiveState } from '../../src/state/fetch.js';
import { desiredOf, PLAN, res } from '../core/helpers.js';

let emu: Emulator;
let client: ApiClient;

async function plan(desired: DesiredState): Promise<Plan> {
  const kinds = [...new Set(desired.resources.map((r) => r.kind))] as KindName[];
  return computePlan(desired, await fetchLiveState(client, kinds), { ...PLAN, target: emu.url, allowReplace: false });
}

beforeEach(async () => {
  emu = await startEmulator({});
  client = createClient({ url: emu.url, apiKey: emu.apiKey, retry: { attempts: 1 } });
});
afterEach(async () => {
  await emu.stop();
});

describe('Set fields the server reorders and deduplicates', () => {
  it('an application\'s enabledGrants written unsorted and twice: applied, then no change', async () => {
    const desired = desiredOf([res('application', 'web', { name: 'Web', oauthConfiguration: { enabledGrants: ['refresh_token', 'password', 'authorization_code', 'refresh_token'] } })]);
    const first = await plan(desired);
    expect(first.diagnostics).toEqual([]);
    const result = await applyPlan(first, client, { desired });
    expect(result.outcomes.map((o) => o.error ?? o.status)).toEqual(['applied']);
    expect(emu.snapshot().applications.find((a) => a.name === 'Web')?.oauthConfiguration).toMatchObject({ enabledGrants: ['authorization_code', 'password', 'refresh_token'] });
    expect((await plan(desired)).changes.map((c) => c.action)).toEqual(['noop']);
  });
  it('a messenger\'s messageTypes written twice: applied, then no change', async () => {
    const desired = desiredOf([res('messenger', 'sms', { name: 'SMS', type: 'Generic', url: 'https://m.example', connectTimeout: 1000, readTimeout: 1000, messageTypes: ['SMS', 'SMS'] })]);
    const first = await plan(desired);
    expect(first.diagnostics).toEqual([]);
    await applyPlan(first, client, { desired });
    expect((await plan(desired)).changes.map((c) => c.action)).toEqual(['noop']);
  });
});

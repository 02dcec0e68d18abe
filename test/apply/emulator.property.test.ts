/**
 * Property over real HTTP: for generated valid files, apply then plan is empty — the emulator fills in FusionAuth's
 * defaults, reorders set fields and generates server-owned values, and none of that may show as a change.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyPlan } from '../../src/apply/apply.js';
import { computePlan } from '../../src/core/plan.js';
import type { DesiredState, JsonObject, KindName } from '../../src/core/types.js';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { createClient } from '../../src/fusionauth/client.js';
import type { ApiClient } from '../../src/fusionauth/types.js';
import { fetchLiveState } from '../../src/state/fetch.js';
import { desiredOf, PLAN, res } from '../core/helpers.js';

let emu: Emulator;
let client: ApiClient;
beforeAll(async () => {
  emu = await startEmulator({ licensed: true });
  client = createClient({ url: emu.url, apiKey: emu.apiKey, retry: { attempts: 1 } });
});
afterAll(async () => {
  await emu.stop();
});

async function plan(desired: DesiredState) {
  const kinds = [...new Set(desired.resources.map((r) => r.kind))] as KindName[];
  return computePlan(desired, await fetchLiveState(client, kinds), { ...PLAN, target: emu.url });
}

const word = fc.stringMatching(/^[A-Za-z][A-Za-z0-9 ]{0,11}$/);
const data = fc.dictionary(fc.stringMatching(/^[a-z]{1,6}$/), fc.oneof(word, fc.integer({ min: -5, max: 5000 }), fc.boolean()), { maxKeys: 3 });
const grants = fc.shuffledSubarray(['authorization_code', 'implicit', 'password', 'refresh_token'], { minLength: 1 });

const files = fc.record({
  messengerName: word,
  messageTypes: fc.shuffledSubarray(['SMS', 'Voice'], { minLength: 1 }),
  connectTimeout: fc.integer({ min: 1, max: 60_000 }),
  debug: fc.boolean(),
  headers: fc.dictionary(fc.stringMatching(/^X-[A-Z][a-z]{1,5}$/), word, { maxKeys: 2 }),
  messengerData: data,
  templateText: word,
  tenantName: word,
  ttl: fc.integer({ min: 1, max: 86_400 }),
  verify: fc.boolean(),
  appName: word,
  grants,
  redirects: fc.uniqueArray(fc.stringMatching(/^[a-z]{1,8}$/).map((h) => `https://${h}.example/cb`), { maxLength: 3 }),
  roles: fc.uniqueArray(fc.record({ name: fc.stringMatching(/^[a-z]{1,8}$/), isDefault: fc.boolean() }), { selector: (r) => r.name, maxLength: 3 }),
  appData: data,
});

describe('apply then plan against the emulator', () => {
  it('is empty for generated valid files', async () => {
    await fc.assert(fc.asyncProperty(files, async (f) => {
      emu.reset();
      const refs = [
        { path: 'phoneConfiguration.messengerId', kind: 'messenger' as const, key: 'sms' },
        { path: 'phoneConfiguration.verificationTemplateId', kind: 'messageTemplate' as const, key: 'verify' },
      ];
      const tenant: JsonObject = {
        name: `T ${f.tenantName}`,
        phoneConfiguration: { messengerId: 'sms', verificationTemplateId: 'verify', verifyPhoneNumber: f.verify, verificationStrategy: 'ClickableLink' },
        externalIdentifierConfiguration: { phoneVerificationIdTimeToLiveInSeconds: f.ttl },
      };
      const desired = desiredOf([
        res('messenger', 'sms', {
          name: `M ${f.messengerName}`, type: 'Generic', url: 'https://sms.example/send', connectTimeout: f.connectTimeout, readTimeout: 2000,
          debug: f.debug, messageTypes: f.messageTypes, headers: f.headers, data: f.messengerData,
        }),
        res('messageTemplate', 'verify', { name: `V ${f.templateText}`, type: 'SMS', defaultTemplate: `Code \${code} ${f.templateText}` }),
        res('tenant', 'acme', tenant, { refs }),
        res('application', 'web', {
          name: `A ${f.appName}`, tenantId: 'acme', data: f.appData, roles: f.roles,
          oauthConfiguration: { enabledGrants: f.grants, authorizedRedirectURLs: f.redirects },
        }, { refs: [{ path: 'tenantId', kind: 'tenant', key: 'acme' }] }),
      ]);
      const first = await plan(desired);
      expect(first.diagnostics).toEqual([]);
      const result = await applyPlan(first, client, { desired });
      expect(result.outcomes.map((o) => o.error ?? o.status)).toEqual(['applied', 'applied', 'applied', 'applied']);
      emu.clearLog();
      const second = await plan(desired);
      expect(second.changes.filter((c) => c.kind !== 'applicationRole').map((c) => [c.kind, c.action, c.fields])).toEqual([
        ['messenger', 'noop', []], ['messageTemplate', 'noop', []], ['tenant', 'noop', []], ['application', 'noop', []],
      ]);
      expect(second.changes.filter((c) => c.action !== 'noop')).toEqual([]);
      expect(emu.requests.filter((r) => r.method !== 'GET')).toEqual([]);
    }), { numRuns: 25 });
  }, 60_000);
});

/**
 * Regenerates the `live.json` of the golden cases from real emulator runs: `npx tsx test/golden/capture-live.ts
 * [case…]`. For each case it starts an emulator (fixed Default tenant id and clock), brings it to the case's state
 * (applies the case's `setup.yaml` or `kickstand.yaml` through kickstand's own `apply`, then any direct API calls),
 * lists the objects the way `plan` does (`fetchLiveState`) and writes them, FULL of server defaults, as live.json.
 *
 * Not a test: run it only when a case's setup or the emulator's defaults change, then regenerate the outputs with
 * `UPDATE_GOLDEN=1 npx vitest run test/golden` and read the diff. Random server values (generated keys, role ids,
 * client secrets) differ between runs; that is why the result is committed rather than produced during the test.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { JsonObject, KindName } from '../../src/core/types.js';
import { parse } from 'yaml';
import { loadConfig } from '../../src/config/load.js';
import { addressedBodies, addressedIds } from '../../src/core/match.js';
import { apply } from '../../src/engine.js';
import { startEmulator } from '../../src/emulator/index.js';
import { createClient } from '../../src/fusionauth/client.js';
import type { ApiClient } from '../../src/fusionauth/types.js';
import { KINDS } from '../../src/kinds/index.js';
import { uuidV5 } from '../../src/core/uuid.js';
import { fetchLiveState } from '../../src/state/fetch.js';
import { GOLDEN_ROOT } from './harness.js';

/** The Default tenant's id in every case (references-resolved/kickstand.yaml names it by UUID). */
const DEFAULT_TENANT_ID = 'd7a1f1c0-5b1e-4c43-9a57-0e2b6f3c8a11';
/** The emulator's clock: every insertInstant/lastUpdateInstant in live.json is this instant. */
const NOW = Date.UTC(2025, 0, 15, 12, 0, 0);

/** How to bring a fresh emulator to a case's state. */
interface Scenario {
  /** Reported server version; default 1.69.0. */
  version?: string;
  /** Default true. */
  licensed?: boolean;
  /** Files of the case to apply first (`setup.yaml` or `kickstand.yaml`), with the case's env.json/vars.json. */
  apply?: string;
  /** Direct API calls after the apply (what kickstand itself would never send, e.g. objects without a derived id). */
  then?: (client: ApiClient) => Promise<void>;
}

const TWILIO = { url: 'https://api.twilio.com', accountSID: 'AC5f0e1d2c3b4a59687766554433221100', authToken: 'CANARY-twilio-auth-7d41', fromPhoneNumber: '+15555550123' };

/** The id of the only object of a kind with this name. */
async function idByName(client: ApiClient, path: string, plural: string, name: string): Promise<string> {
  const r = await client.request({ method: 'GET', path });
  const list = (r.body?.[plural] ?? []) as JsonObject[];
  const hit = list.find((o) => o.name === name);
  if (!hit || typeof hit.id !== 'string') throw new Error(`no ${plural} named ${name}`);
  return hit.id;
}

const SCENARIOS: Record<string, Scenario> = {
  // A fresh server: only the boot objects (Default tenant, FusionAuth application, default message templates).
  'create': {},
  'no-changes': { apply: 'kickstand.yaml' },
  'update-nested': {
    apply: 'kickstand.yaml',
    then: async (client) => {
      const id = await idByName(client, '/api/tenant', 'tenants', 'Phone gated');
      await client.request({
        method: 'PATCH', path: `/api/tenant/${id}`, contentType: 'application/merge-patch+json',
        body: { tenant: { phoneConfiguration: { unverified: { behavior: 'Allow' } } } },
      });
    },
  },
  'references-resolved': { apply: 'setup.yaml' },
  'secrets-masked': { apply: 'setup.yaml' },
  // Objects created by hand in the admin UI: random ids, same names as in the file.
  'adoption-by-name': {
    then: async (client) => {
      await client.request({ method: 'POST', path: '/api/messenger', body: { messenger: { name: 'Twilio SMS', type: 'Twilio', ...TWILIO, messageTypes: ['SMS'] } } });
      await client.request({ method: 'POST', path: '/api/tenant', body: { tenant: { name: 'Phone gated' } } });
    },
  },
  'preflight-unlicensed': { licensed: false },
  'preflight-old-server': { version: '1.58.0' },
  'immutable-error': { apply: 'setup.yaml' },
  'replace': { apply: 'setup.yaml' },
  'application-roles': { apply: 'setup.yaml' },
  // A fresh server: the file's API keys do not exist yet (their reads by id answer 404).
  'api-keys-create': {},
  // The keys exist (setup.yaml); then someone widened one in the admin UI and retired the other's description.
  'api-keys-update': {
    apply: 'setup.yaml',
    then: async (client) => {
      const ns = '9a1c2b3d-4e5f-4a6b-8c7d-0e1f2a3b4c5d';
      const id = uuidV5('apiKey:support', ns);
      const live = (await client.request({ method: 'GET', path: `/api/api-key/${id}` })).body!.apiKey as JsonObject;
      await client.request({
        method: 'PUT', path: `/api/api-key/${id}`,
        body: { apiKey: { ...live, permissions: { endpoints: { '/api/user': ['GET', 'DELETE'], '/api/user/search': ['GET', 'POST'] } } } },
      });
    },
  },
  // The users exist (setup.yaml); the family does not.
  'families-create': { apply: 'setup.yaml' },
  // The Parkers exist (setup.yaml); then jo joined them in the admin UI, and robin created a family of her own there.
  'families-update': {
    apply: 'setup.yaml',
    then: async (client) => {
      const ns = '5f0c1d2e-3a4b-4c5d-8e6f-7a8b9c0d1e2f';
      await client.request({ method: 'PUT', path: `/api/user/family/${uuidV5('family:parkers', ns)}`, body: { familyMember: { userId: '3f1a0c2e-0005-4a1b-8c2d-5e6f7a8b9c05', role: 'Adult' } } });
      await client.request({ method: 'POST', path: '/api/user/family/8e2b7c1d-0000-4f00-9a00-000000000b1e', body: { familyMember: { userId: '3f1a0c2e-0004-4a1b-8c2d-5e6f7a8b9c04', role: 'Adult' } } });
    },
  },
  // A fresh server: its built-in themes only.
  'theme-create': {},
  'theme-update': { apply: 'setup.yaml' },
  'pull-request': { apply: 'setup.yaml' },
  // A fresh server: its system configuration, built-in lambdas and email templates only.
  'config-kinds-create': {},
  'config-kinds-update': {
    apply: 'setup.yaml',
    // What a kickstart file does on each of two starts: a plain JSON PATCH, which appends to the CORS origins.
    then: async (client) => {
      for (let start = 0; start < 2; start++) {
        await client.request({ method: 'PATCH', path: '/api/system-configuration', contentType: 'application/json', body: { systemConfiguration: { corsConfiguration: { allowedOrigins: ['https://app.acme.example'] } } } });
      }
    },
  },
  // A fresh server: its four keys (the Default signing key and the three OpenID Connect shadow keys), no webhooks.
  'keys-webhooks-create': {},
  'keys-webhooks-update': { apply: 'setup.yaml' },
  // A fresh server: users to create, one registered to the FusionAuth admin application.
  'users-create': {},
  'users-update': {
    apply: 'setup.yaml',
    // Out of band, the admin renames themselves and changes their password (what a user does in the account pages).
    then: async (client) => {
      const found = await client.request({ method: 'GET', path: '/api/user', query: { email: 'admin@example.com' } });
      const id = (found.body?.user as JsonObject).id as string;
      await client.request({ method: 'PATCH', path: `/api/user/${id}`, body: { user: { firstName: 'Ada L.', password: 'chosen by Ada 42' } } });
    },
  },
};

function readJson<T>(file: string): T | undefined {
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as T) : undefined;
}

/** Bring an emulator to the case's state and write its live.json. */
async function capture(name: string, s: Scenario): Promise<void> {
  const dir = join(GOLDEN_ROOT, name);
  const emu = await startEmulator({ licensed: s.licensed ?? true, version: s.version ?? '1.69.0', defaultTenantId: DEFAULT_TENANT_ID, now: () => NOW });
  try {
    const client = createClient({ url: emu.url, apiKey: emu.apiKey, retry: { attempts: 1 } });
    if (s.apply) {
      const env = readJson<Record<string, string>>(join(dir, 'env.json')) ?? {};
      // The case's --var values the applied file declares (a --var must name a declared variable; a setup file may
      // declare fewer than the case's own file).
      const declared = Object.keys((parse(readFileSync(join(dir, s.apply), 'utf8')) as { variables?: Record<string, unknown> } | null)?.variables ?? {});
      const vars = Object.fromEntries(Object.entries(readJson<Record<string, string>>(join(dir, 'vars.json')) ?? {}).filter(([k]) => declared.includes(k)));
      const { plan, result } = await apply({ files: [join(dir, s.apply)], load: { env, vars }, client });
      const bad = [...plan.diagnostics.filter((d) => d.severity === 'error'), ...result.diagnostics, ...result.outcomes.flatMap((o) => o.error ?? [])];
      if (bad.length > 0 || result.summary.failed > 0) throw new Error(`${name}: setup failed: ${bad.map((d) => d.message).join('; ')}`);
    }
    await s.then?.(client);
    // A kind FusionAuth cannot list (API keys) is read by the ids the case's file addresses, as `plan` reads it.
    const file = join(dir, 'kickstand.yaml');
    const caseVars = readJson<Record<string, string>>(join(dir, 'vars.json')) ?? {};
    // Families are looked up through the entries' first Adults: the bodies too, as `plan` passes them.
    const desired = existsSync(file) ? await loadConfig([file], { env: readJson<Record<string, string>>(join(dir, 'env.json')) ?? {}, vars: caseVars, allowUnknownFields: true }) : undefined;
    const live = await fetchLiveState(client, KINDS.map((k) => k.name) as KindName[], KINDS, desired ? { ids: addressedIds(desired), bodies: addressedBodies(desired) } : {});
    const out = { serverVersion: live.serverVersion, licensed: live.licensed, objects: live.objects };
    writeFileSync(join(dir, 'live.json'), `${JSON.stringify(out, null, 2)}\n`);
    console.log(`${name}/live.json written`);
  } finally {
    await emu.stop();
  }
}

const only = process.argv.slice(2);
for (const [name, s] of Object.entries(SCENARIOS)) {
  if (only.length === 0 || only.includes(name)) await capture(name, s);
}

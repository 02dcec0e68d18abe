import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { diffOverlay, flattenBody, type DiffRules } from '../../src/core/diff.js';
import { applyMergePatch } from '../../src/core/normalize.js';
import type { JsonObject } from '../../src/core/types.js';
import { kindByName } from '../../src/kinds/index.js';

const application = kindByName('application');
const messenger = kindByName('messenger');
const tenant = kindByName('tenant');

const rulesOf = (k: typeof tenant, secrets: string[] = []): DiffRules => ({
  serverFields: k.serverFields, setFields: k.setFields, secretFields: k.secretFields, secrets,
});

/** FusionAuth's documented tenant response: hundreds of fields a config file never mentions (reference §11.3). */
const liveTenant = (JSON.parse(readFileSync(new URL('./fixtures/tenant-response.json', import.meta.url), 'utf8')) as { tenant: JsonObject }).tenant;
const liveTwilio = (JSON.parse(readFileSync(new URL('./fixtures/twilio-response.json', import.meta.url), 'utf8')) as { messenger: JsonObject }).messenger;

describe('diffOverlay', () => {
  it('exactFields: an object the file states in full loses the keys it leaves out, and only where the file writes it', () => {
    const rules: DiffRules = { serverFields: [], setFields: ['grants.*'], secretFields: [], secrets: [], exactFields: ['grants'] };
    const live: JsonObject = { grants: { a: ['GET', 'POST'], b: ['GET'] }, other: { x: 1, y: 2 } };
    const { fields, patch } = diffOverlay({ grants: { a: ['POST', 'GET'] }, other: { x: 1 } }, live, rules);
    // `b` goes; the set of `a` is unchanged; `other` is an ordinary overlay, whose `y` is a server default.
    expect(fields).toEqual([{ path: 'grants.b', before: ['GET'], after: null, sensitive: false }]);
    expect(applyMergePatch(live, patch)).toEqual({ grants: { a: ['GET', 'POST'] }, other: { x: 1, y: 2 } });
    // Written empty: every key goes. Not written: nothing is compared.
    expect(applyMergePatch(live, diffOverlay({ grants: {} }, live, rules).patch)).toEqual({ grants: {}, other: { x: 1, y: 2 } });
    expect(diffOverlay({ other: { x: 1 } }, live, rules).fields).toEqual([]);
  });

  it('keyedLists: elements matched by key, compared as overlays; live elements kept unless complete; the patch is the list to end with', () => {
    const base: DiffRules = { serverFields: [], setFields: [], secretFields: [], secrets: [] };
    const additive: DiffRules = { ...base, keyedLists: [{ path: 'members', key: 'userId' }] };
    const complete: DiffRules = { ...base, keyedLists: [{ path: 'members', key: 'userId', complete: true }] };
    const A = 'aaaaaaaa-0000-4000-8000-000000000001';
    const B = 'bbbbbbbb-0000-4000-8000-000000000002';
    const live: JsonObject = { members: [{ userId: A, role: 'Adult', owner: true, insertInstant: 1 }, { userId: B, role: 'Child', owner: false, insertInstant: 2 }] };
    // A part of the list, the key in another case, server fields left out: nothing to do.
    expect(diffOverlay({ members: [{ userId: A.toUpperCase(), role: 'Adult' }] }, live, additive).fields).toEqual([]);
    // A changed element keeps the live ones beside it; a new one is appended.
    const C = 'cccccccc-0000-4000-8000-000000000003';
    const { fields, patch } = diffOverlay({ members: [{ userId: B, role: 'Teen' }, { userId: C, role: 'Adult' }] }, live, additive);
    expect(fields.map((f) => f.path)).toEqual(['members']);
    expect(patch).toEqual({ members: [(live.members as JsonObject[])[0], { userId: B, role: 'Teen', owner: false, insertInstant: 2 }, { userId: C, role: 'Adult' }] });
    // Complete: the element the file leaves out goes, and is a change by itself.
    expect(diffOverlay({ members: [{ userId: A, role: 'Adult' }] }, live, complete).patch).toEqual({ members: [(live.members as JsonObject[])[0]] });
    expect(diffOverlay({ members: [{ userId: A }, { userId: B }] }, live, complete).fields).toEqual([]);
  });

  it('finds no change when the desired overlay matches a live object full of server defaults', () => {
    const desired: JsonObject = {
      name: 'Playtronics Co.',
      phoneConfiguration: {
        // Uppercase ids in the file compare equal to FusionAuth's lowercase ones.
        messengerId: '5152BA23-3E89-4089-B76A-AFD69C689AFA',
        verifyPhoneNumber: true,
        verificationStrategy: 'FormField',
        unverified: { behavior: 'Allow' },
      },
      registrationConfiguration: {},
    };
    const { fields, patch } = diffOverlay(desired, liveTenant, rulesOf(tenant));
    expect(fields).toEqual([]);
    expect(patch).toEqual({});
  });

  it('reports one nested change as a merge patch of exactly that field', () => {
    const desired: JsonObject = { name: 'Playtronics Co.', phoneConfiguration: { verifyPhoneNumber: true, unverified: { behavior: 'Gated' } } };
    const { fields, patch } = diffOverlay(desired, liveTenant, rulesOf(tenant));
    expect(fields).toEqual([{ path: 'phoneConfiguration.unverified.behavior', before: 'Allow', after: 'Gated', sensitive: false }]);
    expect(patch).toEqual({ phoneConfiguration: { unverified: { behavior: 'Gated' } } });
    // The patch applied to the live object gives the desired values and leaves every default alone.
    const merged = applyMergePatch(liveTenant, patch) as JsonObject;
    expect(diffOverlay(desired, merged, rulesOf(tenant)).fields).toEqual([]);
    expect((merged.emailConfiguration as JsonObject).host).toBe((liveTenant.emailConfiguration as JsonObject).host);
  });

  it('compares set fields as sets and ordered arrays in order', () => {
    const reordered = diffOverlay({ messageTypes: ['Voice', 'SMS'] }, liveTwilio, rulesOf(messenger));
    expect(reordered.fields).toEqual([]);
    const live: JsonObject = { oauthConfiguration: { authorizedRedirectURLs: ['https://a/cb', 'https://b/cb'], enabledGrants: ['authorization_code', 'refresh_token'] } };
    const d = diffOverlay({ oauthConfiguration: { authorizedRedirectURLs: ['https://b/cb', 'https://a/cb'], enabledGrants: ['refresh_token', 'authorization_code'] } }, live, rulesOf(application));
    expect(d.fields.map((f) => f.path)).toEqual(['oauthConfiguration.authorizedRedirectURLs']);
    // Arrays go whole into the merge patch (RFC 7396 replaces arrays).
    expect(d.patch).toEqual({ oauthConfiguration: { authorizedRedirectURLs: ['https://b/cb', 'https://a/cb'] } });
    const fewer = diffOverlay({ messageTypes: ['SMS'] }, liveTwilio, rulesOf(messenger));
    expect(fewer.patch).toEqual({ messageTypes: ['SMS'] });
  });

  it('compares objects inside arrays as overlays (server-filled element fields do not count)', () => {
    const desired: JsonObject = { connectorPolicies: [{ connectorId: 'E3306678-A53A-4964-9040-1C96F36DDA72', domains: ['*'] }, { connectorId: '27f22280-7e55-4d1c-b9f8-239bf9cc1a5e', domains: ['*'], migrate: true }] };
    expect(diffOverlay(desired, liveTenant, rulesOf(tenant)).fields).toEqual([]);
  });

  it('treats an explicit null as unset: a change only when live has a value', () => {
    const d = diffOverlay({ data: { description: null, absent: null } }, liveTenant, rulesOf(tenant));
    expect(d.fields).toEqual([{ path: 'data.description', before: 'No more secrets, Marty.', after: null, sensitive: false }]);
    expect(d.patch).toEqual({ data: { description: null } });
  });

  it('builds a nested object the live side lacks from the desired leaves', () => {
    const d = diffOverlay({ data: { nested: { a: 1 } } }, { name: 'x' }, rulesOf(tenant));
    expect(d.fields).toEqual([{ path: 'data.nested.a', after: 1, sensitive: false }]);
    expect(d.patch).toEqual({ data: { nested: { a: 1 } } });
  });

  it('never compares server fields', () => {
    const d = diffOverlay({ id: '00000000-0000-0000-0000-000000000000', state: 'Inactive', userDeletePolicy: { unverified: { enabledInstant: 1 } }, name: 'Playtronics Co.' }, liveTenant, rulesOf(tenant));
    expect(d.fields).toEqual([]);
  });

  it('marks secret fields, wildcard secret fields and values holding a secret as sensitive', () => {
    const live: JsonObject = { authToken: 'old-token-value', headers: { 'X-Key': 'old' }, url: 'https://x' };
    const d = diffOverlay(
      { authToken: 'new-token-value', headers: { 'X-Key': 'new' }, url: 'https://hooks.example/SECRET-IN-URL', name: 'n' },
      live, rulesOf(messenger, ['SECRET-IN-URL']),
    );
    const byPath = Object.fromEntries(d.fields.map((f) => [f.path, f.sensitive]));
    expect(byPath).toEqual({ authToken: true, 'headers.X-Key': true, url: true, name: false });
    // A whole secret-bearing object set to null is sensitive too (its before value holds the secrets).
    const unset = diffOverlay({ headers: null }, live, rulesOf(messenger));
    expect(unset.fields).toEqual([{ path: 'headers', before: { 'X-Key': 'old' }, after: null, sensitive: true }]);
  });

  it('does not mutate its inputs', () => {
    const desired: JsonObject = { messageTypes: ['Voice', 'SMS'], data: { foo: 'baz' }, headers: null };
    const live: JsonObject = structuredClone(liveTwilio);
    const dCopy = structuredClone(desired), lCopy = structuredClone(live);
    const d = diffOverlay(desired, live, rulesOf(messenger));
    expect(d.fields.length).toBe(1);
    (d.patch.data as JsonObject).foo = 'changed';
    d.fields[0]!.after = 'changed';
    expect(desired).toEqual(dCopy);
    expect(live).toEqual(lCopy);
  });
});

describe('flattenBody', () => {
  it('lists every written leaf with sensitivity', () => {
    const f = flattenBody({ name: 'n', authToken: 't0ken', headers: { A: 'b' }, messageTypes: ['SMS'], data: {} }, rulesOf(messenger));
    expect(f).toEqual([
      { path: 'name', after: 'n', sensitive: false },
      { path: 'authToken', after: 't0ken', sensitive: true },
      { path: 'headers.A', after: 'b', sensitive: true },
      { path: 'messageTypes', after: ['SMS'], sensitive: false },
      { path: 'data', after: {}, sensitive: false },
    ]);
  });
});

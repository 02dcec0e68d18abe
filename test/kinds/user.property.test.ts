/**
 * Property over real HTTP (issue 13): for generated valid files with users — login ids of every kind (emails in any
 * case, usernames, E.164 phone numbers), names, data, time zones, preferred languages, create options, verified users,
 * registrations to an application of the files and to the FusionAuth admin application with roles in any order — apply
 * then plan is empty: nothing the server fills in, sorts (roles) or manages (identities, verification, passwords) shows
 * as a change. The runs share one server, so each run after the first also updates the users of the one before (the same
 * keys, so the same derived ids): apply then plan is empty for updates too.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { againstEmulator } from '../support/against-emulator.js';

const { applyOf, planOf } = againstEmulator();

const APP_ROLES = ['viewer', 'editor', 'owner'];
const ADMIN_ROLES = ['admin', 'user_manager', 'user_support_viewer'];

const word = fc.stringMatching(/^[A-Za-z][A-Za-z0-9 ]{0,10}[A-Za-z0-9]$/);
const data = fc.dictionary(fc.stringMatching(/^[a-z]{1,6}$/), fc.oneof(word, fc.integer({ min: -5, max: 5000 }), fc.boolean()), { maxKeys: 3 });
const registration = (applicationId: string, roles: string[]) => fc.record({
  applicationId: fc.constant(applicationId),
  roles: fc.shuffledSubarray(roles),
  data: fc.option(data, { nil: undefined }),
  timezone: fc.option(fc.constantFrom('America/Denver', 'Europe/Paris', 'UTC'), { nil: undefined }),
  preferredLanguages: fc.option(fc.uniqueArray(fc.constantFrom('en', 'fr', 'de'), { minLength: 1 }), { nil: undefined }),
}, { requiredKeys: ['applicationId', 'roles'] });

const user = (i: number) => fc.record({
  login: fc.oneof(
    fc.stringMatching(/^[a-z]{1,8}$/).chain((n) => fc.mixedCase(fc.constant(`${n}${i}@example.com`))).map((email) => ({ email })),
    fc.stringMatching(/^[a-z]{1,8}$/).map((n) => ({ username: `${n}${i}` })),
    fc.integer({ min: 1000, max: 9999 }).map((n) => ({ phoneNumber: `+130355${i}${n}` })),
  ),
  firstName: fc.option(word, { nil: undefined }),
  lastName: fc.option(word, { nil: undefined }),
  data: fc.option(data, { nil: undefined }),
  timezone: fc.option(fc.constantFrom('America/Denver', 'Asia/Tokyo'), { nil: undefined }),
  preferredLanguages: fc.option(fc.uniqueArray(fc.constantFrom('en', 'fr', 'es'), { minLength: 1 }), { nil: undefined }),
  create: fc.constantFrom({}, { verified: true }, { skipVerification: true }, { passwordChangeRequired: true }, { active: false }, { verified: true, active: false }),
  registrations: fc.tuple(fc.option(registration('portal', APP_ROLES), { nil: undefined }), fc.option(registration('fusionauth', ADMIN_ROLES), { nil: undefined })),
});

const files = fc.tuple(user(0), user(1), user(2)).map((users) => ({
  applications: [{ key: 'portal', name: 'Portal', roles: APP_ROLES.map((name) => ({ name })) }],
  users: users.map((u, i) => {
    const registrations = u.registrations.filter((r) => r !== undefined);
    const entry: Record<string, unknown> = { key: `user-${i}`, ...u.login, password: `generated password ${i}`, ...u.create };
    for (const f of ['firstName', 'lastName', 'data', 'timezone', 'preferredLanguages'] as const) if (u[f] !== undefined) entry[f] = u[f];
    if (registrations.length > 0) entry.registrations = registrations;
    return entry;
  }),
}));

describe('apply then plan against the emulator, with users', () => {
  it('is empty for generated valid files', async () => {
    await fc.assert(fc.asyncProperty(files, async (f) => {
      const yaml = stringify(f);
      await applyOf(yaml);
      const again = await planOf(yaml);
      expect(again.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
      expect(again.changes.filter((c) => c.action !== 'noop').map((c) => ({ key: c.key, fields: c.fields.map((x) => [x.path, x.before, x.after]) }))).toEqual([]);
    }), { numRuns: 12, seed: 1301 });
  });
});

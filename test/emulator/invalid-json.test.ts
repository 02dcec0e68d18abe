/**
 * Every `[invalidJSON]` a kind or the users side reports for a value its JSON binding cannot convert carries the live
 * 1.46 wording (leo-technologies-llc/fusion_auth: "Invalid JSON in the request body. The property was [role.isSuperRole].
 * The error was [Possible conversion error]. The detailed exception was [...]."; terraform-provider-fusionauth #105 for
 * webhook.eventsEnabled), alone in the reply: Jackson's binding fails the whole request before any validation runs.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { start, type Client, type Res } from './helpers.js';

let c: Client;
beforeAll(async () => {
  c = await start();
});
afterAll(async () => {
  await c.e.stop();
});

/** The reply is exactly one `[invalidJSON]` field error at `property`, in the live wording, and nothing else. */
function expectInvalidJson(r: Res, property: string): void {
  expect(r.status, r.text).toBe(400);
  const escaped = property.replace(/[.[\]]/g, '\\$&');
  expect(r.body).toEqual({
    fieldErrors: {
      [property]: [{
        code: '[invalidJSON]',
        message: expect.stringMatching(new RegExp(`^Invalid JSON in the request body\\. The property was \\[${escaped}\\]\\. The error was \\[Possible conversion error\\]\\. The detailed exception was \\[.+\\]\\.$`, 's')),
      }],
    },
    generalErrors: [],
  });
}

describe('enum values outside the enum (Jackson binding, prime-mvc JacksonContentHandler: "not one of the values accepted for Enum class")', () => {
  it('key.algorithm and key.type: the binding error alone, before the name and material rules', async () => {
    // No name either: validation would add [blank]key.name, but binding stops the request first.
    expectInvalidJson(await c.post('/api/key/generate', { key: { algorithm: 'PS256' } }), 'key.algorithm');
    expectInvalidJson(await c.post('/api/key/import', { key: { type: 'DSA', publicKey: 'x' } }), 'key.type');
  });

  it('key.algorithm on a rename (PUT binds the whole Key too)', async () => {
    const created = await c.post('/api/key/generate', { key: { algorithm: 'ES256', name: 'enum rename' } });
    expect(created.status, created.text).toBe(200);
    expectInvalidJson(await c.put(`/api/key/${created.body.key.id as string}`, { key: { name: 'renamed', algorithm: 'PS256' } }), 'key.algorithm');
  });

  it('theme.type (ThemeType)', async () => {
    expectInvalidJson(await c.post('/api/theme', { theme: { name: 'Typed', type: 'fancy' } }), 'theme.type');
  });

  it('webhook.eventsEnabled with a key that names no EventType (terraform-provider-fusionauth #105, a live server), the key named in the detail', async () => {
    const r = await c.post('/api/webhook', { webhook: { url: 'https://hooks.example/x', eventsEnabled: { 'user.create': true, 'user.created': true } } });
    expectInvalidJson(r, 'webhook.eventsEnabled');
    expect(r.body.fieldErrors['webhook.eventsEnabled'][0].message).toContain('"user.created"');
  });
});

describe('the users side uses the same wording (live 1.46 users_test.exs: loginId)', () => {
  it('a typed User field and a user search criterion', async () => {
    const user = await c.post('/api/user', { user: { email: 'json@example.com', password: 'password', birthDate: 'yesterday' } });
    expect(user.status).toBe(400);
    expect(user.body.fieldErrors['user.birthDate'][0].message).toMatch(/^Invalid JSON in the request body\. The property was \[user\.birthDate\]\. The error was \[Possible conversion error\]\. The detailed exception was \[.+\]\.$/);
    expectInvalidJson(await c.post('/api/user/search', { search: { queryString: '*', startRow: 'two' } }), 'search.startRow');
  });
});

/**
 * `GET /api/user?loginId=…[&loginIdTypes=…]` of the emulator (src/emulator/users/users.ts `retrieveByQuery`), real HTTP.
 *
 * Source: FusionAuth/fusionauth-typescript-client `test/FusionAuthClientTest.ts`, "Retrieve user by loginId - default
 * loginIdTypes" and "- specified loginIdTypes" (run by FusionAuth's CI against a live server seeded by its kickstart):
 * with the tenant header of the user's tenant, `dinesh@fusionauth.io` is found without `loginIdTypes` and with
 * `["email"]`, and `["username"]` answers 404 ("there is no one with the username dinesh@fusionauth.io"). The client
 * sends a list as the parameter repeated (`loginIdTypes=email&loginIdTypes=username`).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { start, type Client } from './helpers.js';

let c: Client | undefined;
afterEach(async () => {
  await c?.e.stop();
  c = undefined;
});

describe('user lookup by login id (fusionauth-typescript-client suite)', () => {
  it('finds by email and by username by default; loginIdTypes narrows to the types named, else 404 with an empty body', async () => {
    c = await start();
    const tenant = c.e.defaultTenantId;
    const created = await c.post('/api/user', { user: { email: 'dinesh@fusionauth.io', username: 'dinesh', firstName: 'Dinish', password: 'password' } }, { tenantId: tenant });
    expect(created.status, created.text).toBe(200);
    const lookup = (query: string) => c!.get(`/api/user?${query}`, { tenantId: tenant });

    for (const q of ['loginId=dinesh%40fusionauth.io', 'loginId=dinesh%40fusionauth.io&loginIdTypes=email', 'loginId=dinesh', 'loginId=dinesh&loginIdTypes=username', 'loginId=dinesh&loginIdTypes=email&loginIdTypes=username']) {
      const r = await lookup(q);
      expect(r.status, q).toBe(200);
      expect(r.body.user.firstName, q).toBe('Dinish');
    }
    for (const q of ['loginId=dinesh%40fusionauth.io&loginIdTypes=username', 'loginId=dinesh&loginIdTypes=email', 'loginId=nobody%40fusionauth.io']) {
      const r = await lookup(q);
      expect(r.status, q).toBe(404);
      expect(r.text, q).toBe('');
    }
  });

  it('with the tenant header the lookup stays in that tenant: the same email in another tenant is not found there', async () => {
    c = await start({ licensed: true });
    const other = await c.post('/api/tenant', { tenant: { name: 'Typescript Tenant' } });
    expect(other.status, other.text).toBe(200);
    const otherId = other.body.tenant.id as string;
    expect((await c.post('/api/user', { user: { email: 'dinesh@fusionauth.io', firstName: 'Dinish', password: 'password' } }, { tenantId: c.e.defaultTenantId })).status).toBe(200);
    expect((await c.get('/api/user?loginId=dinesh%40fusionauth.io', { tenantId: c.e.defaultTenantId })).status).toBe(200);
    expect((await c.get('/api/user?loginId=dinesh%40fusionauth.io&loginIdTypes=email', { tenantId: otherId })).status).toBe(404);
  });
});

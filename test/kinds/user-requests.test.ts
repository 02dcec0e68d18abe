/**
 * What a plan over many users costs (issue 13: "a plan over many users stays one request per kind plus a constant"):
 * the users and their registrations are read through the search API, 10,000 a page (src/kinds/user.ts `USER_SEARCH`), so
 * a plan of n users sends the server's version and license, one read of the FusionAuth application (the Default
 * tenant, for users written without a tenant) and ceil(n / 10,000) searches — registrations cost nothing more; paging itself is pinned by exact request sequences
 * in search-listed.test.ts. Counted
 * in the emulator's request log; the 10,000-user figure is the benchmark's (`npm run bench -- --only users`).
 */
import { describe, expect, it } from 'vitest';
import { USER_SEARCH } from '../../src/kinds/user.js';
import { againstEmulator } from '../support/against-emulator.js';

const { emu, client, planOf } = againstEmulator();

/** Import n users (each registered to the FusionAuth admin application) with a pre-hashed password: fast to seed. */
async function seed(n: number): Promise<void> {
  for (let from = 0; from < n; from += 1000) {
    const users = Array.from({ length: Math.min(1000, n - from) }, (_, j) => ({
      email: `user-${from + j}@example.com`, password: 'aGFzaA==', encryptionScheme: 'salted-pbkdf2-hmac-sha256', salt: 'c2FsdA==', factor: 1, active: true,
      registrations: [{ applicationId: '3c219e58-ed0e-4b18-ad48-f4f92793ae32', roles: ['user_support_viewer'] }],
    }));
    await client().request({ method: 'POST', path: '/api/user/import', body: { users } });
  }
}

const fileOf = (n: number) => `users:\n${Array.from({ length: n }, (_, i) => `  - key: user-${i}
    email: user-${i}@example.com
    registrations:
      - applicationId: fusionauth
        roles: [user_support_viewer]
`).join('')}`;

describe('the requests of a plan of n users', () => {
  it.each([10, 1000, 2500])('%i users (each with a registration): ceil(n / page size) searches and 3 other reads, all adopted, nothing to change', async (n) => {
    await seed(n);
    const before = emu().requests.length;
    const p = await planOf(fileOf(n));
    const sent = emu().requests.slice(before).map((r) => `${r.method} ${r.path}`);
    const pages = Math.max(1, Math.ceil(n / USER_SEARCH.pageSize));
    expect(sent.filter((r) => r === 'POST /api/user/search')).toHaveLength(pages);
    expect(sent.filter((r) => r !== 'POST /api/user/search').sort()).toEqual([
      'GET /api/application/3c219e58-ed0e-4b18-ad48-f4f92793ae32', 'GET /api/reactor', 'GET /api/system/version',
    ]);
    expect(p.changes.filter((c) => c.action !== 'noop')).toEqual([]);
    expect(p.changes.filter((c) => c.kind === 'user' && c.match === 'adopted-by-name')).toHaveLength(n);
  });
});

/**
 * The search-listed convention (src/kinds/api.ts `searchListed`, users): the exact requests of a listing against
 * a server that pages with `startRow` (the database engine, [SITE:docs/apis/users/search.mdx]) and one that hands out
 * `nextResults` tokens (Elasticsearch 1.48+, the only way past its 10,000-result window: [SITE:docs/lifecycle/
 * manage-users/search/search.mdx] "Extended Pagination" — with a token "you may only supply the numberOfResults"),
 * the stop after the page that completes `total`, and the bound on pages.
 */
import { describe, expect, it } from 'vitest';
import type { Json, JsonObject } from '../../src/core/types.js';
import type { ApiClient, ApiRequest } from '../../src/fusionauth/types.js';
import { searchListed } from '../../src/kinds/api.js';
import { WIRE } from '../../src/fusionauth/wire.js';

const uuid = (i: number) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`;

/** A server holding n users that answers searches by startRow, or by tokens when `tokens` is set. */
function server(n: number, tokens: boolean): { client: ApiClient; sent: JsonObject[] } {
  const sent: JsonObject[] = [];
  const client: ApiClient = {
    baseUrl: 'http://search.test',
    async request<T>(req: ApiRequest) {
      const search = (req.body as JsonObject).search as JsonObject;
      sent.push(search);
      const size = search.numberOfResults as number;
      const start = typeof search.nextResults === 'string' ? Number(search.nextResults) : (search.startRow as number);
      const users = Array.from({ length: Math.max(0, Math.min(size, n - start)) }, (_, j) => ({ id: uuid(start + j) }));
      const body: Json = { users, total: n, ...(tokens ? { nextResults: String(start + users.length) } : {}) };
      return { status: 200, body: body as T };
    },
  };
  return { client, sent };
}

const api = (pageSize: number, maxPages = 100) => searchListed(WIRE.user, { searchPath: '/api/user/search', criteria: { queryString: '*' }, pageSize, maxPages });

describe('searchListed', () => {
  it('pages with startRow (database engine): ceil(n / page) requests, the last page short, every object once', async () => {
    const { client, sent } = server(25, false);
    const { objects } = await api(10).list(client, {});
    expect(objects).toHaveLength(25);
    expect(sent).toEqual([0, 10, 20].map((startRow) => ({ queryString: '*', numberOfResults: 10, startRow, accurateTotal: true })));
  });

  it('stops after the page that completes the total (n a multiple of the page: n / page requests, no empty page)', async () => {
    const { client, sent } = server(30, false);
    expect((await api(10).list(client, {})).objects).toHaveLength(30);
    expect(sent).toHaveLength(3);
  });

  it('no users: one request', async () => {
    const { client, sent } = server(0, false);
    expect((await api(10).list(client, {})).objects).toEqual([]);
    expect(sent).toHaveLength(1);
  });

  it('follows nextResults tokens (Elasticsearch 1.48+) with numberOfResults only, past any startRow window', async () => {
    const { client, sent } = server(25, true);
    expect((await api(10).list(client, {})).objects).toHaveLength(25);
    expect(sent).toEqual([
      { queryString: '*', numberOfResults: 10, startRow: 0, accurateTotal: true },
      { nextResults: '10', numberOfResults: 10 },
      { nextResults: '20', numberOfResults: 10 },
    ]);
  });

  it('refuses to read past its bound of pages, naming it', async () => {
    const { client } = server(50, false);
    await expect(api(10, 3).list(client, {})).rejects.toThrow("FusionAuth's user search still had results after 3 pages of 10; kickstand reads at most 30 users");
  });
});

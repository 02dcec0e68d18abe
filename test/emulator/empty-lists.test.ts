/**
 * An empty list is left out of a reply's envelope, as FusionAuth's Jackson configuration leaves it out:
 * fusionauth-issues #1275 (1.28, closed as a "current limitation": `GET /api/group` with no groups answers `{}`; the
 * maintainer: "We have it set to trim all empty lists") and the .NET client suite against a live server
 * (`Retrieve_RefreshTokens_Test`: `refreshTokens` null for a user without refresh tokens). Error bodies keep their
 * empty `generalErrors` list (live 1.46, errors.ts).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { start, twilio, type Client } from './helpers.js';

let c: Client;
beforeAll(async () => {
  c = await start();
});
afterAll(async () => {
  await c.e.stop();
});

describe('retrieve-all of nothing answers {} (crud.ts `many`)', () => {
  it.each([
    ['/api/messenger'],
    ['/api/webhook'],
    ['/api/lambda'],
    ['/api/email/template'],
    ['/api/message/template'],
  ])('%s', async (path) => {
    const r = await c.get(path);
    expect(r.status).toBe(200);
    expect(r.text).toBe('{}');
  });

  it('the envelope comes back with the first object and goes again with the last', async () => {
    const created = await c.post('/api/messenger', twilio('Only one'));
    expect(created.status, created.text).toBe(200);
    const id = created.body.messenger.id as string;
    expect((await c.get('/api/messenger')).body.messengers.map((m: { id: string }) => m.id)).toEqual([id]);
    expect((await c.del(`/api/messenger/${id}`)).status).toBe(200);
    expect((await c.get('/api/messenger')).text).toBe('{}');
  });
});

describe('a search without a hit answers the total only', () => {
  it.each([
    ['/api/tenant/search?name=nothing-matches-this'],
    ['/api/key/search?name=nothing-matches-this'],
    ['/api/webhook/search?url=nothing-matches-this'],
    ['/api/user/search?queryString=nothing-matches-this'],
  ])('%s', async (path) => {
    const r = await c.get(path);
    expect(r.status, r.text).toBe(200);
    expect(r.body).toEqual({ total: 0 });
  });
});

describe('error bodies are not trimmed', () => {
  it('a field error keeps "generalErrors": [] (live 1.46)', async () => {
    const r = await c.post('/api/messenger', { messenger: { type: 'Twilio' } });
    expect(r.status).toBe(400);
    expect(r.body.generalErrors).toEqual([]);
  });
});

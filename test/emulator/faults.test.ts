/** Fault injection and latency: seeded, repeatable, rate respected; each fault kind's wire shape. */
import { afterEach, describe, expect, it } from 'vitest';
import { FaultInjector, Latency, mulberry32 } from '../../src/emulator/faults.js';
import { start, twilio, type Client } from './helpers.js';

const clients: Client[] = [];
async function emu(...args: Parameters<typeof start>): Promise<Client> {
  const c = await start(...args);
  clients.push(c);
  return c;
}
afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.e.stop()));
});

/** Status of a GET, or 0 when the connection was reset. */
async function status(c: Client, path = '/api/tenant'): Promise<number> {
  try {
    return (await c.get(path)).status;
  } catch {
    return 0;
  }
}

describe('FaultInjector', () => {
  it('is repeatable: the same seed gives the same faults', () => {
    const a = new FaultInjector({ rate: 0.5, seed: 42 });
    const b = new FaultInjector({ rate: 0.5, seed: 42 });
    const seqA = Array.from({ length: 200 }, () => a.draw());
    expect(Array.from({ length: 200 }, () => b.draw())).toEqual(seqA);
    const other = new FaultInjector({ rate: 0.5, seed: 43 });
    expect(Array.from({ length: 200 }, () => other.draw())).not.toEqual(seqA);
  });
  it('respects the rate (fixed seed, 2000 draws) and uses every configured kind', () => {
    const f = new FaultInjector({ rate: 0.2, seed: 7 });
    const draws = Array.from({ length: 2000 }, () => f.draw());
    const hits = draws.filter((d) => d !== undefined);
    expect(hits.length / draws.length).toBeGreaterThan(0.17);
    expect(hits.length / draws.length).toBeLessThan(0.23);
    expect(new Set(hits)).toEqual(new Set(['500', '503', '429', 'reset', '409']));
  });
  it('rate 0 never faults, rate 1 always does, only with the given kinds', () => {
    const none = new FaultInjector({ rate: 0, seed: 1 });
    expect(Array.from({ length: 100 }, () => none.draw()).every((d) => d === undefined)).toBe(true);
    const all = new FaultInjector({ rate: 1, seed: 1, kinds: ['503'] });
    expect(Array.from({ length: 100 }, () => all.draw()).every((d) => d === '503')).toBe(true);
  });
  it('rejects a rate outside 0..1 and unknown kinds', () => {
    expect(() => new FaultInjector({ rate: 1.5 })).toThrow(RangeError);
    expect(() => new FaultInjector({ rate: 0.5, kinds: ['418' as never] })).toThrow(/unknown fault kind/);
  });
  it('mulberry32 is deterministic and in [0, 1)', () => {
    const a = mulberry32(123);
    const b = mulberry32(123);
    for (let i = 0; i < 100; i++) {
      const x = a();
      expect(x).toBe(b());
      expect(x).toBeGreaterThanOrEqual(0);
      expect(x).toBeLessThan(1);
    }
  });
});

describe('faults over HTTP', () => {
  it('the same seed faults the same requests in two emulators', async () => {
    const a = await emu({ faults: { rate: 0.4, seed: 99 } });
    const b = await emu({ faults: { rate: 0.4, seed: 99 } });
    const seqA: number[] = [];
    const seqB: number[] = [];
    for (let i = 0; i < 30; i++) seqA.push(await status(a));
    for (let i = 0; i < 30; i++) seqB.push(await status(b));
    expect(seqB).toEqual(seqA);
    expect(seqA.some((s) => s !== 200)).toBe(true);
    expect(seqA.some((s) => s === 200)).toBe(true);
  });
  it('429 and 503 carry Retry-After; 500 has an empty body', async () => {
    const c = await emu({ faults: { rate: 1, seed: 1, kinds: ['429'], retryAfterSeconds: 3 } });
    const r = await c.get('/api/tenant');
    expect(r.status).toBe(429);
    expect(r.headers.get('retry-after')).toBe('3');
    c.e.setFaults({ rate: 1, seed: 1, kinds: ['503'] });
    const u = await c.get('/api/tenant');
    expect(u.status).toBe(503);
    expect(u.headers.get('retry-after')).toBe('1');
    c.e.setFaults({ rate: 1, seed: 1, kinds: ['500'] });
    const s = await c.get('/api/tenant');
    expect(s.status).toBe(500);
    expect(s.text).toBe('');
  });
  it('409 carries [retryableConflict] and changes nothing', async () => {
    const c = await emu({ faults: { rate: 1, seed: 1, kinds: ['409'] } });
    const r = await c.post('/api/messenger', twilio('Conflicted'));
    expect(r.status).toBe(409);
    expect(r.body.generalErrors[0].code).toBe('[retryableConflict]');
    c.e.setFaults(undefined);
    expect((await c.get('/api/messenger')).body.messengers).toBeUndefined();
  });
  it('reset drops the connection before the request is applied; reset-after applies it first', async () => {
    const c = await emu({ faults: { rate: 1, seed: 1, kinds: ['reset'] } });
    await expect(c.post('/api/messenger', twilio('Lost'))).rejects.toThrow();
    c.e.setFaults({ rate: 1, seed: 1, kinds: ['reset-after'] });
    await expect(c.post('/api/messenger', twilio('Applied'))).rejects.toThrow();
    c.e.setFaults(undefined);
    expect((await c.get('/api/messenger')).body.messengers.map((m: { name: string }) => m.name)).toEqual(['Applied']);
    const faults = c.e.requests.map((r) => [r.status, r.fault]);
    expect(faults.slice(0, 2)).toEqual([[0, 'reset'], [0, 'reset-after']]);
  });
  it('faults never hit the /_emulator endpoints and can be set over HTTP', async () => {
    const c = await emu({ faults: { rate: 1, seed: 1, kinds: ['500'] } });
    expect((await c.get('/_emulator/requests')).status).toBe(200);
    expect((await c.put('/_emulator/faults', { rate: 0 })).status).toBe(200);
    expect(await status(c)).toBe(200);
    expect((await c.put('/_emulator/faults', { rate: 1, seed: 5, kinds: ['503'] })).status).toBe(200);
    expect(await status(c)).toBe(503);
    expect((await c.put('/_emulator/faults', { rate: 1, kinds: ['teapot'] })).status).toBe(400);
  });
});

describe('latency', () => {
  it('Latency draws the fixed delay plus seeded jitter below the bound', () => {
    const a = new Latency(50, 20, 3);
    const b = new Latency(50, 20, 3);
    for (let i = 0; i < 50; i++) {
      const d = a.draw();
      expect(d).toBe(b.draw());
      expect(d).toBeGreaterThanOrEqual(50);
      expect(d).toBeLessThan(70);
    }
    expect(new Latency(0, 0).draw()).toBe(0);
  });
  it('is waited out before each FusionAuth request is answered, and setLatency changes it (no wall-clock comparison)', async () => {
    const waits: number[] = [];
    const c = await emu({ latencyMs: 60, sleep: async (ms) => void waits.push(ms) });
    await c.get('/api/tenant');
    expect(waits).toEqual([60]);
    c.e.setLatency(80, 10);
    await c.get('/api/tenant');
    expect(waits).toHaveLength(2);
    expect(waits[1]).toBeGreaterThanOrEqual(80);
    expect(waits[1]).toBeLessThan(90);
    await c.get('/_emulator/requests');
    c.e.setLatency(0);
    await c.get('/api/tenant');
    expect(waits).toHaveLength(2);
    expect(c.e.requests.map((r) => r.status)).toEqual([200, 200, 200]);
  });
});

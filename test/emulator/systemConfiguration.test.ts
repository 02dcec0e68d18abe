/**
 * The system configuration (reference §7) over HTTP: the one object of a fresh instance with its defaults, the methods
 * at its path, the rules of the decompiled `DefaultSystemConfigurationService.validate`, the values the JSON binding
 * refuses, the server's normalisation, and what each PATCH flavour does to its lists — the plain PATCH that kickstart
 * files send appends, so it never converges.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { allCodes, codes, start, type Client } from './helpers.js';

const PATH = '/api/system-configuration';
let c: Client;
beforeEach(async () => {
  c = await start();
});
afterEach(() => c.e.stop());

/** The stored configuration, as GET returns it. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- why: tests dig into the reply JSON
const current = async (): Promise<any> => (await c.get(PATH)).body.systemConfiguration;
/** A PUT of the current configuration with `change` merged in at the top level. */
const putWith = async (change: Record<string, unknown>) => c.put(PATH, { systemConfiguration: { ...(await current()), ...change } });

describe('a fresh instance', () => {
  it('holds the defaults of the domain classes, the bootstrap report time zone, usage data on and the webhook event log off, without an id', async () => {
    const r = await c.get(PATH);
    expect(r.status).toBe(200);
    const s = r.body.systemConfiguration;
    expect(s).toMatchObject({
      reportTimezone: 'America/Denver',
      auditLogConfiguration: { delete: { enabled: false, numberOfDaysToRetain: 365 } },
      loginRecordConfiguration: { delete: { enabled: false, numberOfDaysToRetain: 365 } },
      eventLogConfiguration: { numberToRetain: 10000 },
      corsConfiguration: { enabled: false, allowCredentials: false, debug: false, allowedHeaders: [], allowedMethods: [], allowedOrigins: [], exposedHeaders: [], preflightMaxAgeInSeconds: 0 },
      trustedProxyConfiguration: { trustPolicy: 'All', trusted: [] },
      // A real 1.60.2 instance's schema-time row (/work/notes/builtins.md DUMP-1.60).
      usageDataConfiguration: { enabled: true, numberOfDaysToRetain: 366 },
      webhookEventLogConfiguration: { enabled: false, delete: { enabled: true, numberOfDaysToRetain: 30 } },
      uiConfiguration: {},
      data: {},
    });
    expect(s).not.toHaveProperty('id');
    expect(Number.isInteger(s.insertInstant)).toBe(true);
  });
});

describe('the methods at its path', () => {
  it('answers DELETE with 405 and has no object below its path', async () => {
    expect((await c.del(PATH)).status).toBe(405);
    expect((await c.get(`${PATH}/6b1d0000-0000-4000-8000-000000000001`)).status).toBe(404);
  });

  it('takes a POST as a PUT (SystemConfigurationAction.post calls put)', async () => {
    const r = await c.post(PATH, { systemConfiguration: { ...(await current()), reportTimezone: 'Europe/Paris' } });
    expect(r.status).toBe(200);
    expect((await current()).reportTimezone).toBe('Europe/Paris');
  });

  it('keeps insertInstant, moves lastUpdateInstant, and neither keeps nor shows a cookie encryption key sent to it', async () => {
    const before = await current();
    const r = await c.put(PATH, { systemConfiguration: { ...before, insertInstant: 1, lastUpdateInstant: 2, cookieEncryptionKey: 'sent-by-a-client' } });
    expect(r.status).toBe(200);
    const after = await current();
    expect(after.insertInstant).toBe(before.insertInstant);
    expect(after.lastUpdateInstant).not.toBe(2);
    expect(JSON.stringify(after)).not.toContain('cookieEncryptionKey');
  });

  it('refuses a body without its envelope, and a PUT without reportTimezone, which has no default', async () => {
    expect(codes(await c.put(PATH, { reportTimezone: 'UTC' }), 'systemConfiguration')).toEqual(['[missing]systemConfiguration']);
    const r = await c.put(PATH, { systemConfiguration: { eventLogConfiguration: { numberToRetain: 5 } } });
    expect(allCodes(r)).toEqual(['systemConfiguration.reportTimezone: [missing]systemConfiguration.reportTimezone']);
  });

  it('fills every field a PUT leaves out with its default (a PUT replaces the whole object)', async () => {
    await putWith({ eventLogConfiguration: { numberToRetain: 5 }, uiConfiguration: { headerColor: '303030' } });
    const r = await c.put(PATH, { systemConfiguration: { reportTimezone: 'UTC' } });
    expect(r.status).toBe(200);
    expect(r.body.systemConfiguration).toMatchObject({ reportTimezone: 'UTC', eventLogConfiguration: { numberToRetain: 10000 }, uiConfiguration: {} });
  });
});

describe('validation (DefaultSystemConfigurationService.validate)', () => {
  const cases: Array<[string, Record<string, unknown>, string[]]> = [
    ['audit log days with deletion on', { auditLogConfiguration: { delete: { enabled: true, numberOfDaysToRetain: 0 } } },
      ['systemConfiguration.auditLogConfiguration.delete.numberOfDaysToRetain: [invalid]systemConfiguration.auditLogConfiguration.delete.numberOfDaysToRetain']],
    ['login record days with deletion on', { loginRecordConfiguration: { delete: { enabled: true, numberOfDaysToRetain: -3 } } },
      ['systemConfiguration.loginRecordConfiguration.delete.numberOfDaysToRetain: [invalid]systemConfiguration.loginRecordConfiguration.delete.numberOfDaysToRetain']],
    ['webhook event log days with deletion on', { webhookEventLogConfiguration: { enabled: true, delete: { enabled: true, numberOfDaysToRetain: 0 } } },
      ['systemConfiguration.webhookEventLogConfiguration.delete.numberOfDaysToRetain: [invalid]systemConfiguration.webhookEventLogConfiguration.delete.numberOfDaysToRetain']],
    ['event log size', { eventLogConfiguration: { numberToRetain: 0 } },
      ['systemConfiguration.eventLogConfiguration.numberToRetain: [invalid]systemConfiguration.eventLogConfiguration.numberToRetain']],
    ['preflight max age below -1', { corsConfiguration: { preflightMaxAgeInSeconds: -2 } },
      ['systemConfiguration.corsConfiguration.preflightMaxAgeInSeconds: [tooSmall]systemConfiguration.corsConfiguration.preflightMaxAgeInSeconds']],
    ['the wildcard origin beside another', { corsConfiguration: { allowedOrigins: ['*', 'https://app.example'] } },
      ['systemConfiguration.corsConfiguration.allowedOrigins: [invalid]systemConfiguration.corsConfiguration.allowedOrigins']],
    ['a trusted proxy that is no address', { trustedProxyConfiguration: { trustPolicy: 'OnlyConfigured', trusted: ['10.0.0.0/8', 'proxy.example', '10.0.0.1/33'] } }, [
      'systemConfiguration.trustedProxyConfiguration.trusted[1]: [invalid]systemConfiguration.trustedProxyConfiguration.trusted',
      'systemConfiguration.trustedProxyConfiguration.trusted[2]: [invalid]systemConfiguration.trustedProxyConfiguration.trusted',
    ]],
  ];

  it.each(cases)('%s', async (_what, change, expected) => {
    const r = await putWith(change);
    expect(r.status).toBe(400);
    expect(allCodes(r)).toEqual(expected);
  });

  it('accepts what the rules allow: days of 0 while deletion is off, -1 as max age, the wildcard alone, IPv4/IPv6 addresses and ranges', async () => {
    const r = await putWith({
      auditLogConfiguration: { delete: { enabled: false, numberOfDaysToRetain: 0 } },
      corsConfiguration: { preflightMaxAgeInSeconds: -1, allowedOrigins: ['*'] },
      trustedProxyConfiguration: { trustPolicy: 'OnlyConfigured', trusted: ['123.123.123.123', '10.0.0.0/8', '2001:db8::/32', '::1'] },
    });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
  });
});

describe('values the JSON binding cannot convert: [invalidJSON] before any validation', () => {
  it.each([
    ['a trust policy', { trustedProxyConfiguration: { trustPolicy: 'Some' } }, 'systemConfiguration.trustedProxyConfiguration.trustPolicy'],
    ['an HTTP method', { corsConfiguration: { allowedMethods: ['GET', 'FETCH'] } }, 'systemConfiguration.corsConfiguration.allowedMethods[1]'],
    ['a time zone', { reportTimezone: 'Mars/Olympus_Mons' }, 'systemConfiguration.reportTimezone'],
    ['an origin that is no URI', { corsConfiguration: { allowedOrigins: ['https://a b.example'] } }, 'systemConfiguration.corsConfiguration.allowedOrigins[0]'],
  ])('%s', async (_what, change, field) => {
    // Together with a validation error, which the failed binding never reaches.
    const r = await putWith({ ...change, eventLogConfiguration: { numberToRetain: 0 } });
    expect(allCodes(r)).toEqual([`${field}: [invalidJSON]`]);
  });

  it('accepts the time zones ZoneId parses: regions, their old aliases, UTC and offsets', async () => {
    for (const tz of ['America/Denver', 'US/Mountain', 'UTC', 'Z', '+02:00', 'UTC+2', 'Etc/GMT-3']) {
      expect((await putWith({ reportTimezone: tz })).status, tz).toBe(200);
    }
  });
});

describe('normalisation (SystemConfiguration.normalize)', () => {
  it('keeps each allowed CORS method once, in the server\'s own order (a HashSet), not the order sent', async () => {
    const r = await putWith({ corsConfiguration: { enabled: true, allowedMethods: ['POST', 'GET', 'POST', 'OPTIONS'] } });
    expect(r.body.systemConfiguration.corsConfiguration.allowedMethods).toEqual(['GET', 'OPTIONS', 'POST']);
  });

  it('drops null trusted proxies', async () => {
    const r = await putWith({ trustedProxyConfiguration: { trustPolicy: 'OnlyConfigured', trusted: [null, '10.0.0.1'] } });
    expect(r.body.systemConfiguration.trustedProxyConfiguration.trusted).toEqual(['10.0.0.1']);
  });
});

describe('PATCH of the CORS lists: each flavour', () => {
  const origins = async (): Promise<string[]> => (await current()).corsConfiguration.allowedOrigins;
  const kickstartPatch = { systemConfiguration: { corsConfiguration: { enabled: true, allowedOrigins: ['https://app.example'] } } };

  it('application/json (what kickstart files send) appends: the same PATCH on every start grows the list', async () => {
    await putWith({ corsConfiguration: { allowedOrigins: ['https://admin.example'] } });
    for (let start = 0; start < 3; start++) expect((await c.patch(PATH, kickstartPatch)).status).toBe(200);
    expect(await origins()).toEqual(['https://admin.example', 'https://app.example', 'https://app.example', 'https://app.example']);
  });

  it('application/json appends to the wildcard too, which the validator then refuses', async () => {
    await putWith({ corsConfiguration: { allowedOrigins: ['*'] } });
    const r = await c.patch(PATH, kickstartPatch);
    expect(allCodes(r)).toEqual(['systemConfiguration.corsConfiguration.allowedOrigins: [invalid]systemConfiguration.corsConfiguration.allowedOrigins']);
  });

  it('application/merge-patch+json replaces the list: the same PATCH twice leaves what it says', async () => {
    await putWith({ corsConfiguration: { allowedOrigins: ['https://admin.example'] } });
    for (let start = 0; start < 2; start++) expect((await c.patch(PATH, kickstartPatch, { contentType: 'application/merge-patch+json' })).status).toBe(200);
    expect(await origins()).toEqual(['https://app.example']);
    const other = await current();
    expect(other.corsConfiguration.enabled).toBe(true);
    expect(other.reportTimezone).toBe('America/Denver');
  });

  it('application/json-patch+json applies its operations to the envelope', async () => {
    await putWith({ corsConfiguration: { allowedOrigins: ['https://admin.example'] } });
    const r = await c.patch(PATH, [{ op: 'add', path: '/systemConfiguration/corsConfiguration/allowedOrigins/-', value: 'https://app.example' }], { contentType: 'application/json-patch+json' });
    expect(r.status).toBe(200);
    expect(await origins()).toEqual(['https://admin.example', 'https://app.example']);
  });

  it('validates the patched object as a whole, whatever the flavour', async () => {
    const r = await c.patch(PATH, { systemConfiguration: { reportTimezone: null } }, { contentType: 'application/merge-patch+json' });
    expect(allCodes(r)).toEqual(['systemConfiguration.reportTimezone: [missing]systemConfiguration.reportTimezone']);
  });
});

describe('the state file', () => {
  it('keeps the configuration across a restart, and the reloaded one is the one later writes replace', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kickstand-sysconf-'));
    try {
      const statePath = join(dir, 'state.json');
      const a = await start({ statePath });
      await a.patch(PATH, { systemConfiguration: { reportTimezone: 'Asia/Tokyo' } }, { contentType: 'application/merge-patch+json' });
      const before = (await a.get(PATH)).body;
      await a.e.stop();
      const b = await start({ statePath });
      try {
        expect((await b.get(PATH)).body).toEqual(before);
        await b.patch(PATH, { systemConfiguration: { eventLogConfiguration: { numberToRetain: 7 } } }, { contentType: 'application/merge-patch+json' });
        expect((await b.get(PATH)).body.systemConfiguration).toMatchObject({ reportTimezone: 'Asia/Tokyo', eventLogConfiguration: { numberToRetain: 7 } });
        expect(b.e.snapshot() as unknown as { systemConfiguration: unknown[] }).toMatchObject({ systemConfiguration: [expect.anything()] });
        expect((b.e.snapshot() as unknown as { systemConfiguration: unknown[] }).systemConfiguration).toHaveLength(1);
      } finally {
        await b.e.stop();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

/**
 * The system configuration as a kickstand section, through the generic singleton parts: the loader (a mapping, one
 * file only), the JSON schema, `kickstand validate` with the rules of FusionAuth's validator, the plan (an update of
 * the declared fields, never a create), apply (one merge patch), the renderings (no id, no key shown), and the point of
 * it all — a CORS list a kickstart file would append to on every start converges.
 */
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import type { JsonObject, Plan } from '../../src/core/types.js';
import { apply, plan } from '../../src/engine.js';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { createClient } from '../../src/fusionauth/client.js';
import type { ApiClient, ApiRequest } from '../../src/fusionauth/types.js';
import { renderApplyHuman, renderPlanHuman } from '../../src/render/human.js';
import { renderApplyJson, renderPlanJson } from '../../src/render/json.js';
import { renderApplyMarkdown, renderPlanMarkdown } from '../../src/render/markdown.js';
import { loadErrors, runCli, tmpFiles } from '../config/helpers.js';
import { desiredOf as desiredState, res } from '../core/helpers.js';

const PATH = '/api/system-configuration';

describe('the systemConfiguration section in the files', () => {
  it('is one mapping: one resource, keyed by the section, without an id', async () => {
    const dir = tmpFiles({ 'kickstand.yaml': 'systemConfiguration:\n  reportTimezone: Europe/Berlin\n  corsConfiguration:\n    enabled: true\n' });
    const desired = await loadConfig([dir], { env: {} });
    expect(desired.resources).toHaveLength(1);
    expect(desired.resources[0]).toMatchObject({ kind: 'systemConfiguration', key: 'systemConfiguration', body: { reportTimezone: 'Europe/Berlin', corsConfiguration: { enabled: true } } });
    expect(desired.resources[0]!.id).toBeUndefined();
  });

  it('refuses a list (the schema says a mapping) and fields it does not have', async () => {
    const asList = await loadErrors([tmpFiles({ 'k.yaml': 'systemConfiguration:\n  - reportTimezone: UTC\n' })]);
    expect(asList.errors.map((d) => `${d.where?.path}: ${d.message}`)).toEqual(['systemConfiguration: must be a mapping, not a list']);
    const unknown = await loadErrors([tmpFiles({ 'k.yaml': 'systemConfiguration:\n  key: main\n  reportTimezone: UTC\n' })]);
    expect(unknown.errors.map((d) => d.where?.path)).toEqual(['systemConfiguration.key']);
  });

  it('may be written in one file only: a second is an error naming both places', async () => {
    const dir = tmpFiles({ 'a.yaml': 'systemConfiguration:\n  reportTimezone: UTC\n', 'b.yaml': '\nsystemConfiguration:\n  eventLogConfiguration:\n    numberToRetain: 500\n' });
    const { errors } = await loadErrors([dir]);
    expect(errors).toHaveLength(1);
    expect(errors[0]!.message).toBe(`systemConfiguration is written twice: here and at ${join(dir, 'a.yaml')}:1:1; write it in one file`);
    expect(errors[0]!.where).toMatchObject({ file: join(dir, 'b.yaml'), line: 2 });
  });

  it('kickstand validate reports the rules of FusionAuth\'s validator offline, each at its line', async () => {
    const dir = tmpFiles({
      'kickstand.yaml': [
        'systemConfiguration:',
        '  reportTimezone: Mars/Olympus',
        '  auditLogConfiguration:',
        '    delete:',
        '      enabled: true',
        '      numberOfDaysToRetain: 0',
        '  eventLogConfiguration:',
        '    numberToRetain: 0',
        '  corsConfiguration:',
        '    preflightMaxAgeInSeconds: -5',
        '    allowedOrigins: ["*", "https://app.example"]',
        '  trustedProxyConfiguration:',
        '    trustPolicy: OnlyConfigured',
        '    trusted: [10.0.0.0/8, "2001:db8::/32", proxy.example, 300.1.1.1]',
        '',
      ].join('\n'),
    });
    const r = await runCli(['validate', dir]);
    expect(r.code).toBe(1);
    const f = join(dir, 'kickstand.yaml');
    expect(r.stdout.split('\n')).toEqual([
      `${f}:2:3  systemConfiguration.reportTimezone  error: "Mars/Olympus" is not a time zone (for example America/Denver or UTC)`,
      `${f}:6:7  systemConfiguration.auditLogConfiguration.delete.numberOfDaysToRetain  error: must be at least 1 day while delete.enabled is true`,
      `${f}:8:5  systemConfiguration.eventLogConfiguration.numberToRetain  error: must be at least 1`,
      `${f}:10:5  systemConfiguration.corsConfiguration.preflightMaxAgeInSeconds  error: must be -1 or more`,
      `${f}:11:5  systemConfiguration.corsConfiguration.allowedOrigins  error: the wildcard "*" must be the only allowed origin`,
      `${f}:14:44  systemConfiguration.trustedProxyConfiguration.trusted[2]  error: must be an IPv4 or IPv6 address, or a range in CIDR notation (10.0.0.0/8)`,
      `${f}:14:59  systemConfiguration.trustedProxyConfiguration.trusted[3]  error: must be an IPv4 or IPv6 address, or a range in CIDR notation (10.0.0.0/8)`,
      '7 errors',
      '',
    ]);
  });

  it('kickstand validate reports an origin FusionAuth cannot bind as a URI', async () => {
    const dir = tmpFiles({ 'k.yaml': 'systemConfiguration:\n  corsConfiguration:\n    allowedOrigins: [https://app.example, "https://app example"]\n' });
    const r = await runCli(['validate', dir]);
    expect(r.stdout.split('\n')).toEqual([
      `${join(dir, 'k.yaml')}:3:43  systemConfiguration.corsConfiguration.allowedOrigins[1]  error: "https://app example" is not a URI (spaces and <>"{}|\\^\` are not allowed)`,
      '1 error',
      '',
    ]);
  });

  it('kickstand validate accepts the documented example and the time zones FusionAuth takes', async () => {
    for (const tz of ['America/Denver', 'US/Mountain', 'UTC', '+02:00']) {
      const r = await runCli(['validate', tmpFiles({ 'k.yaml': `systemConfiguration:\n  reportTimezone: "${tz}"\n  corsConfiguration:\n    allowedOrigins: ["*"]\n` })]);
      expect(r, tz).toMatchObject({ code: 0 });
    }
  });
});

describe('plan and apply against the emulator', () => {
  let emu: Emulator;
  let client: ApiClient;
  let sent: ApiRequest[];
  beforeEach(async () => {
    emu = await startEmulator();
    sent = [];
    const inner = createClient({ url: emu.url, apiKey: emu.apiKey, retry: { attempts: 1 } });
    client = { baseUrl: inner.baseUrl, request: (req) => { sent.push(req); return inner.request(req); } };
  });
  afterEach(() => emu.stop());

  /** The stored configuration, read over HTTP. */
  const live = async (): Promise<JsonObject> => (await client.request<JsonObject>({ method: 'GET', path: PATH })).body!.systemConfiguration as JsonObject;
  const origins = async (): Promise<unknown> => (await live()).corsConfiguration;
  const desiredOf = (yaml: string) => loadConfig([tmpFiles({ 'kickstand.yaml': yaml })], { env: {} });
  const CORS = 'systemConfiguration:\n  corsConfiguration:\n    enabled: true\n    allowedOrigins: [https://app.example]\n    allowedMethods: [POST, GET, OPTIONS]\n';

  it('a CORS list that a kickstart PATCH grows on every start converges to the file\'s list, and stays there', async () => {
    // What a kickstart file does on each of two starts: a plain JSON PATCH, which appends to the list.
    for (let start = 0; start < 2; start++) {
      await client.request({ method: 'PATCH', path: PATH, body: { systemConfiguration: { corsConfiguration: { allowedOrigins: ['https://app.example'] } } }, contentType: 'application/json' });
    }
    expect(await origins()).toMatchObject({ allowedOrigins: ['https://app.example', 'https://app.example'] });

    const desired = await desiredOf(CORS);
    const first = await plan({ desired, client });
    expect(first.plan.diagnostics).toEqual([]);
    expect(first.plan.changes.map((c) => [c.action, c.match, c.id, c.fields.map((f) => f.path)])).toEqual([
      ['update', 'singleton', undefined, ['corsConfiguration.enabled', 'corsConfiguration.allowedOrigins', 'corsConfiguration.allowedMethods']],
    ]);
    sent = [];
    const { result } = await apply({ plan: first.plan, desired, client });
    expect(result.outcomes.map((o) => o.status)).toEqual(['applied']);
    // One merge patch of the declared fields; a declared list travels whole.
    expect(sent).toEqual([{
      method: 'PATCH', path: PATH, contentType: 'application/merge-patch+json',
      body: { systemConfiguration: { corsConfiguration: { enabled: true, allowedOrigins: ['https://app.example'], allowedMethods: ['POST', 'GET', 'OPTIONS'] } } },
    }]);
    expect(await origins()).toMatchObject({ allowedOrigins: ['https://app.example'], allowedMethods: ['GET', 'OPTIONS', 'POST'] });

    // The server keeps the methods in its own order (a set): the file's order is not a change.
    for (let run = 0; run < 2; run++) {
      const again = await plan({ desired, client });
      expect(again.plan.changes.map((c) => c.action)).toEqual(['noop']);
      await apply({ plan: again.plan, desired, client });
    }
    expect(await origins()).toMatchObject({ allowedOrigins: ['https://app.example'] });
  });

  it('is never created, even on a fresh server, and reading it costs one GET', async () => {
    const desired = await desiredOf('systemConfiguration:\n  reportTimezone: America/Denver\n');
    const out = await plan({ desired, client });
    expect(out.plan.changes.map((c) => c.action)).toEqual(['noop']);
    expect(sent.filter((r) => r.path === PATH).map((r) => r.method)).toEqual(['GET']);
  });

  it('keeps every field the file does not write, and a duplicated method is the set it stands for', async () => {
    await client.request({ method: 'PATCH', path: PATH, contentType: 'application/merge-patch+json', body: { systemConfiguration: { uiConfiguration: { headerColor: '303030' }, eventLogConfiguration: { numberToRetain: 500 } } } });
    const desired = await desiredOf('systemConfiguration:\n  corsConfiguration:\n    allowedMethods: [GET, GET, POST]\n');
    const { result } = await apply({ desired, client });
    expect(result.outcomes.map((o) => o.status)).toEqual(['applied']);
    expect(await live()).toMatchObject({ uiConfiguration: { headerColor: '303030' }, eventLogConfiguration: { numberToRetain: 500 }, reportTimezone: 'America/Denver' });
    expect((await plan({ desired, client })).plan.changes.map((c) => c.action)).toEqual(['noop']);
  });

  it('refuses fields of a later FusionAuth on an older server', async () => {
    await emu.stop();
    emu = await startEmulator({ version: '1.48.0' });
    client = createClient({ url: emu.url, apiKey: emu.apiKey, retry: { attempts: 1 } });
    const desired = await desiredOf('systemConfiguration:\n  trustedProxyConfiguration:\n    trustPolicy: OnlyConfigured\n');
    const out = await plan({ desired, client });
    expect(out.plan.diagnostics.filter((d) => d.severity === 'error').map((d) => d.message)).toEqual([expect.stringMatching(/trustedProxyConfiguration.*1\.49\.0/)]);
  });

  it('a write FusionAuth refuses fails with its field errors at the file position, named by the kind alone', async () => {
    // Past the offline rules (built by hand): an origin FusionAuth cannot bind.
    const desired = desiredState([res('systemConfiguration', 'systemConfiguration', { corsConfiguration: { allowedOrigins: ['https://a b.example'] } }, { lines: { 'corsConfiguration.allowedOrigins': 7 } })]);
    const { result } = await apply({ desired, client });
    expect(result.outcomes.map((o) => [o.status, o.match])).toEqual([['failed', 'singleton']]);
    expect(result.outcomes[0]!.error!.map((d) => [d.where?.line, d.where?.path, d.message])).toEqual([
      [7, 'corsConfiguration.allowedOrigins[0]', expect.stringMatching(/\[invalidJSON\]/)],
    ]);
    expect(renderApplyHuman(result, { color: false })).toMatch(/^~ system configuration failed \(\d+ ms\)$/m);
    expect(renderApplyMarkdown(result)).toContain('**system configuration failed:**');
  });

  describe('renderings show the kind, never an id or a key', () => {
    let updated: Plan;
    beforeEach(async () => {
      updated = (await plan({ desired: await desiredOf(CORS), client })).plan;
    });

    it('human', () => {
      const text = renderPlanHuman(updated, { color: false });
      expect(text).toMatch(/~ system configuration\n/);
      expect(text).not.toMatch(/system configuration systemConfiguration|systemConfiguration \(/);
      expect(text).not.toMatch(/[0-9a-f]{8}-[0-9a-f]{4}-/);
    });

    it('markdown: the table row has no key, the section is titled by the kind', () => {
      const md = renderPlanMarkdown(updated);
      expect(md).toContain('| update | system configuration |  |  | 3 |');
      expect(md).toContain('<summary><code>~</code> system configuration</summary>');
      expect(md).not.toContain('systemConfiguration');
      expect(md).not.toMatch(/[0-9a-f]{8}-[0-9a-f]{4}-/);
    });

    it('JSON: the change has no id, and is matched as the singleton', () => {
      const change = (JSON.parse(renderPlanJson(updated)) as { changes: JsonObject[] }).changes[0]!;
      expect(change).toMatchObject({ action: 'update', kind: 'systemConfiguration', match: 'singleton' });
      expect(change).not.toHaveProperty('id');
    });

    it('the apply result: human and markdown name the kind alone, JSON marks the outcome as the singleton', async () => {
      const { result } = await apply({ plan: updated, desired: await desiredOf(CORS), client });
      const human = renderApplyHuman(result, { color: false });
      expect(human).toMatch(/^~ system configuration updated \(\d+ ms\)$/m);
      const md = renderApplyMarkdown(result);
      expect(md).toMatch(/\| applied \| update \| system configuration \| {2}\| \d+ ms \|/);
      expect(`${human}${md}`).not.toContain('systemConfiguration');
      const outcome = (JSON.parse(renderApplyJson(result)) as { outcomes: JsonObject[] }).outcomes[0]!;
      expect(Object.keys(outcome)).toEqual(['kind', 'title', 'key', 'match', 'action', 'status', 'durationMs']);
      expect(outcome).toMatchObject({ kind: 'systemConfiguration', match: 'singleton', status: 'applied' });
    });
  });
});

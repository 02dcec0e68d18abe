/**
 * An explicit `null` unsets a field (README): the schema accepts it for every optional field of every kind — not for
 * required fields, the entry's key or id, a discriminator or a child's key field — the loader and every kind's rules
 * take it without failing, messages about a field's type never offer "null", and a plan that unsets a field removes
 * it on the emulator and then converges.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config/load.js';
import type { Json, JsonObject } from '../../src/core/types.js';
import { createClient } from '../../src/fusionauth/client.js';
import { plan, apply } from '../../src/engine.js';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { generateConfig, writeConfig } from '../hardening/helpers.js';
import { loadErrors, tmpFiles } from '../config/helpers.js';

const tenantWith = (fields: string): string => `tenants:\n  - key: t\n    name: T\n${fields}`;

let emu: Emulator;
beforeAll(async () => {
  emu = await startEmulator({ licensed: true });
});
afterAll(async () => {
  await emu.stop();
});

describe('null in the files', () => {
  it('is accepted for optional fields at any depth, and for references', async () => {
    const dir = tmpFiles({
      'k.yaml': tenantWith('    issuer: null\n    data: null\n    phoneConfiguration:\n      messengerId: null\n      unverified: null\n    externalIdentifierConfiguration: null\n') +
        'applications:\n  - key: a\n    name: A\n    tenantId: null\n    oauthConfiguration:\n      logoutURL: null\n      authorizedRedirectURLs: null\n    roles:\n      - name: admin\n        description: null\n',
    });
    const state = await loadConfig([join(dir, 'k.yaml')], { env: {} });
    expect(state.resources.find((r) => r.kind === 'tenant')!.body).toMatchObject({ issuer: null, phoneConfiguration: { messengerId: null, unverified: null } });
  });

  it('is refused for required fields, the key, the id, a discriminator and a role\'s name, with the type it must be', async () => {
    const cases: Array<[string, string, string]> = [
      ['tenants:\n  - key: t\n    name: null\n', 'tenants[0].name', 'must be a string, not null'],
      ['tenants:\n  - key: null\n    name: T\n', 'tenants[0].key', 'must be a string, not null'],
      ['tenants:\n  - key: t\n    id: null\n    name: T\n', 'tenants[0].id', 'must be a string, not null'],
      ['messengers:\n  - key: m\n    name: M\n    type: null\n', 'messengers[0].type', 'must be one of: Twilio, Generic, Kafka'],
      ['messageTemplates:\n  - key: m\n    name: M\n    type: SMS\n    defaultTemplate: null\n', 'messageTemplates[0].defaultTemplate', 'must be a string, not null'],
      ['applications:\n  - key: a\n    name: A\n    roles:\n      - name: null\n', 'applications[0].roles[0].name', 'must be a string, not null'],
    ];
    for (const [text, path, message] of cases) {
      const { errors } = await loadErrors([join(tmpFiles({ 'k.yaml': text }), 'k.yaml')]);
      expect(errors.filter((e) => e.where?.path === path).map((e) => e.message), path).toContain(message);
    }
  });

  it('is never offered in messages about a field\'s type or value', async () => {
    const { errors } = await loadErrors([join(tmpFiles({
      'k.yaml': tenantWith('    issuer: 5\n    phoneConfiguration:\n      verificationStrategy: Bad\n    externalIdentifierConfiguration: yes please\n'),
    }), 'k.yaml')]);
    expect(errors.map((e) => [e.where?.path, e.message]).sort()).toEqual([
      ['tenants[0].externalIdentifierConfiguration', 'must be a mapping, not a string'],
      ['tenants[0].issuer', 'must be a string, not a number'],
      ['tenants[0].phoneConfiguration.verificationStrategy', 'must be one of: ClickableLink, FormField (got "Bad")'],
    ]);
  });

  it('every field of every kind set to null, one at a time: load and plan succeed or report errors, never crash', async () => {
    const client = createClient({ url: emu.url, apiKey: emu.apiKey });
    const doc = generateConfig({ messengers: 2, templates: 1, tenants: 1, applications: 1 });
    const paths: Array<Array<string | number>> = [];
    const walk = (v: Json, at: Array<string | number>): void => {
      if (v === null || typeof v !== 'object') return;
      if (Array.isArray(v)) v.forEach((x, i) => walk(x, [...at, i]));
      else for (const [k, x] of Object.entries(v)) {
        // Below the section's list: every field of an entry, at any depth (list items are not fields, and neither are
        // the entries of maps: `data`, messenger `headers`).
        if (at.length >= 2) paths.push([...at, k]);
        if (k !== 'data' && k !== 'headers') walk(x, [...at, k]);
      }
    };
    walk(doc, []);
    expect(paths.length).toBeGreaterThan(40);
    for (const path of paths) {
      const copy = structuredClone(doc);
      let parent = copy as Json;
      for (const seg of path.slice(0, -1)) parent = (parent as Record<string | number, Json>)[seg]!;
      (parent as JsonObject)[path[path.length - 1] as string] = null;
      const where = path.join('.');
      try {
        const desired = await loadConfig([writeConfig(copy)], { env: {} });
        // The planner, preflight and every kind's plan checks take the null too (errors, if any, are diagnostics).
        await plan({ desired, client });
      } catch (e) {
        expect(e, where).toBeInstanceOf(ConfigError);
        const required = ['key', 'name', 'type', 'defaultTemplate'].includes(String(path[path.length - 1])) && (path.length === 3 || String(path[path.length - 1]) === 'name');
        for (const d of (e as ConfigError).diagnostics) {
          if (!required) expect(d.message, `${where}: ${d.message}`).not.toMatch(/not null/);
        }
      }
    }
  });
});

describe('a plan that unsets a field', () => {
  it('null in a field that needs a newer FusionAuth is no use of the feature: no version error', async () => {
    const old = await startEmulator({ version: '1.50.0' });
    try {
      const client = createClient({ url: old.url, apiKey: old.apiKey });
      const dir = tmpFiles({ 'k.yaml': tenantWith('    phoneConfiguration: null\n'), 'set.yaml': tenantWith('    phoneConfiguration:\n      verifyPhoneNumber: false\n') });
      const unset = await plan({ files: [join(dir, 'k.yaml')], load: { env: {} }, client });
      expect(unset.plan.diagnostics).toEqual([]);
      const set = await plan({ files: [join(dir, 'set.yaml')], load: { env: {} }, client });
      expect(set.plan.diagnostics.map((d) => d.message)).toEqual(['phoneConfiguration needs FusionAuth 1.59.0 or later; the server runs 1.50.0']);
    } finally {
      await old.stop();
    }
  });

  it('removes the field on the server with a merge patch, then converges', async () => {
    const client = createClient({ url: emu.url, apiKey: emu.apiKey });
    const app = (logout: string) => `applications:\n  - key: a\n    name: A\n    oauthConfiguration:\n      logoutURL: ${logout}\n      authorizedRedirectURLs: [https://a.example/cb]\n`;
    const dir = tmpFiles({ 'set.yaml': app('https://a.example/bye'), 'unset.yaml': app('null') });
    await apply({ files: [join(dir, 'set.yaml')], load: { env: {} }, client });
    const stored = () => emu.snapshot().applications.find((a) => a.name === 'A')!;
    expect((stored().oauthConfiguration as JsonObject).logoutURL).toBe('https://a.example/bye');

    emu.clearLog();
    const { plan: p } = await plan({ files: [join(dir, 'unset.yaml')], load: { env: {} }, client });
    expect(p.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(p.changes.map((c) => [c.action, c.after])).toEqual([['update', { oauthConfiguration: { logoutURL: null } }]]);
    const { result } = await apply({ plan: p, files: [join(dir, 'unset.yaml')], load: { env: {} }, client });
    expect(result.summary).toMatchObject({ applied: 1, failed: 0 });
    const patch = emu.requests.find((r) => r.method === 'PATCH')!;
    expect(patch).toBeDefined();
    expect(stored().oauthConfiguration as JsonObject).not.toHaveProperty('logoutURL');
    expect((stored().oauthConfiguration as JsonObject).authorizedRedirectURLs).toEqual(['https://a.example/cb']);

    const again = await plan({ files: [join(dir, 'unset.yaml')], load: { env: {} }, client });
    expect(again.plan.changes.map((c) => c.action)).toEqual(['noop']);
  });
});

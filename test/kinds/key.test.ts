/**
 * The key kind's real rules, through kickstand's own plan and apply against the emulator over HTTP: generate or import
 * by the entry's material, rename by PUT, every other change an error (a replace with --allow-replace), write-only
 * private keys and secrets, the protected built-in keys and how a file references them, value version gates, and the
 * offline rules `kickstand validate` reports.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import type { JsonObject } from '../../src/core/types.js';
import { plan } from '../../src/engine.js';
import { startEmulator } from '../../src/emulator/index.js';
import { createClient } from '../../src/fusionauth/client.js';
import { renderPlanHuman } from '../../src/render/human.js';
import { renderPlanJson } from '../../src/render/json.js';
import { loadErrors, runCli, tmpFiles } from '../config/helpers.js';
import { againstEmulator } from '../support/against-emulator.js';

const SHADOW_256 = '092dbedc-30af-4149-9c61-b578f2c72f59';
/** The documented RSA certificate (keys/rsa-response.json), PEM-armoured, indented for a YAML block scalar. */
const CERT = (JSON.parse(readFileSync(new URL('../data/api-examples/keys/rsa-response.json', import.meta.url), 'utf8')) as { key: { certificate: string } }).key.certificate;
const block = (text: string, indent = 6) => `|-\n${text.split('\n').map((l) => `${' '.repeat(indent)}${l}`).join('\n')}`;

const { emu, files, planOf, applyOf } = againstEmulator();
const errors = (p: { diagnostics: Array<{ severity: string; message: string }> }) => p.diagnostics.filter((d) => d.severity === 'error').map((d) => d.message);
const writes = () => emu().requests.filter((r) => r.method !== 'GET').map((r) => `${r.method} ${r.path.replace(/[0-9a-f-]{36}/, '<id>')}`);

const KEYS = `keys:
  - key: rsa
    name: Access tokens
    algorithm: RS256
    length: 2048
  - key: ec
    name: Id tokens
    algorithm: ES256
  - key: shared
    name: Shared HMAC
    type: HMAC
    algorithm: HS256
    secret: cnry-hmac-secret-3f1a
  - key: partner
    name: Partner certificate
    certificate: ${block(CERT)}
`;

describe('create', () => {
  it('generates an entry without key material and imports one with it, at the planned ids; the next plan is empty', async () => {
    const { plan: p } = await applyOf(KEYS);
    expect(p.changes.map((c) => `${c.key} ${c.action}`)).toEqual(['ec create', 'partner create', 'rsa create', 'shared create']);
    expect(writes().sort()).toEqual(['POST /api/key/generate/<id>', 'POST /api/key/generate/<id>', 'POST /api/key/import/<id>', 'POST /api/key/import/<id>']);
    const live = emu().snapshot().keys;
    for (const c of p.changes) expect(live.find((k) => k.id === c.id)?.name).toBe((c.after as JsonObject).name);
    expect((await planOf(KEYS)).changes.every((c) => c.action === 'noop')).toBe(true);
  });

  it('sends the secret once and never compares it (FusionAuth never returns it); it is masked in the plan', async () => {
    await applyOf(KEYS);
    const changed = await planOf(KEYS.replace('cnry-hmac-secret-3f1a', 'cnry-hmac-secret-9b2c'));
    expect(changed.changes.every((c) => c.action === 'noop')).toBe(true);
    emu().reset();
    const fresh = await planOf(KEYS);
    for (const text of [renderPlanHuman(fresh, { color: false }), renderPlanJson(fresh)]) expect(text).not.toContain('cnry-hmac-secret');
  });
});

describe('update', () => {
  it('a rename is a PUT of the key; the next plan is empty', async () => {
    await applyOf(KEYS);
    emu().clearLog();
    const renamed = KEYS.replace('name: Id tokens', 'name: OIDC id tokens');
    const { plan: p } = await applyOf(renamed);
    expect(p.changes.filter((c) => c.action !== 'noop').map((c) => [c.key, c.fields.map((f) => f.path)])).toEqual([['ec', ['name']]]);
    expect(writes()).toEqual(['PUT /api/key/<id>']);
    expect((await planOf(renamed)).changes.every((c) => c.action === 'noop')).toBe(true);
  });

  it('a new algorithm, length or certificate is an error naming the field; --allow-replace deletes and re-creates under the same id', async () => {
    await applyOf(KEYS);
    const other = KEYS.replace('algorithm: ES256', 'algorithm: ES384');
    const p = await planOf(other);
    expect(errors(p)).toEqual([expect.stringMatching(/^algorithm cannot change from "ES256" to "ES384": FusionAuth only lets a key's name change.*--allow-replace/)]);
    expect(errors(await planOf(KEYS.replace('length: 2048', 'length: 4096')))).toEqual([expect.stringMatching(/^length cannot change from 2048 to 4096/)]);
    const id = p.changes.find((c) => c.key === 'ec')!.id;
    emu().clearLog();
    const { plan: replaced } = await applyOf(other, true);
    expect(replaced.changes.find((c) => c.key === 'ec')!.action).toBe('replace');
    expect(writes()).toEqual(['DELETE /api/key/<id>', 'POST /api/key/generate/<id>']);
    expect(emu().snapshot().keys.find((k) => k.id === id)).toMatchObject({ algorithm: 'ES384', length: 384 });
  });
});

describe('the built-in keys', () => {
  const DEFAULT_KEY = `keys:
  - key: signing
    name: Default signing key
    algorithm: HS256
tenants:
  - key: acme
    name: Acme
    jwtConfiguration:
      accessTokenKeyId: signing
      idTokenKeyId: ${SHADOW_256}
`;

  it('a file adopts the Default signing key by name and references it by key', async () => {
    const p = await planOf(DEFAULT_KEY);
    const defaultKeyId = (emu().snapshot().tenants.find((t) => t.id === emu().defaultTenantId)!.jwtConfiguration as JsonObject).accessTokenKeyId;
    expect(p.changes.map((c) => `${c.key} ${c.action} ${c.match}`)).toEqual(['signing noop adopted-by-name', 'acme create new']);
    expect(p.changes[1]!.after).toMatchObject({ jwtConfiguration: { accessTokenKeyId: defaultKeyId, idTokenKeyId: SHADOW_256 } });
    await applyOf(DEFAULT_KEY);
  });

  it('is protected: no replace of it, even with --allow-replace', async () => {
    const p = await planOf(DEFAULT_KEY.replace('algorithm: HS256', 'algorithm: HS512'), true);
    expect(p.changes[0]!.action).not.toBe('replace');
    expect(errors(p)).toEqual([expect.stringMatching(/algorithm cannot change.*This key is protected: kickstand never deletes or replaces it/)]);
  });

  it('the shadow keys cannot be renamed ([shadow]key.name): a plan error, no write', async () => {
    const p = await planOf(`keys:\n  - key: oidc\n    id: ${SHADOW_256}\n    name: Mine now\n    algorithm: HS256\n`);
    expect(errors(p)).toEqual([expect.stringMatching(/refuses to rename the OpenID Connect shadow keys/)]);
  });
});

describe('versions', () => {
  it('Ed25519 needs FusionAuth 1.62 and secrets 1.64: plan errors on older servers', async () => {
    const old = await startEmulator({ version: '1.61.0' });
    try {
      const yaml = `keys:\n  - key: ed\n    name: Ed\n    algorithm: Ed25519\n  - key: s\n    name: S\n    type: Secret\n    secret: cnry-secret-77aa\n`;
      const p = (await plan({ files: [files(yaml)], load: { env: {} }, client: createClient({ url: old.url, apiKey: old.apiKey }) })).plan;
      expect(errors(p).sort()).toEqual([
        'algorithm Ed25519 needs FusionAuth 1.62.0 or later; the server runs 1.61.0',
        'type Secret needs FusionAuth 1.64.0 or later; the server runs 1.61.0',
      ]);
    } finally {
      await old.stop();
    }
    expect(errors(await planOf(`keys:\n  - key: ed\n    name: Ed\n    algorithm: Ed25519\n`))).toEqual([]);
  });
});

describe('offline rules', () => {
  it.each([
    [{ name: 'K' }, 'algorithm', /needs algorithm/],
    [{ name: 'K', algorithm: 'RS256' }, 'length', /needs length: 2048, 3072 or 4096/],
    [{ name: 'K', algorithm: 'RS256', length: 1024 }, 'length', /2048, 3072 or 4096 bits, not 1024/],
    [{ name: 'K', algorithm: 'ES512', length: 512 }, 'length', /ES512 key is 521 long/],
    [{ name: 'K', algorithm: 'HS256', length: 256 }, 'length', /HMAC key has no length/],
    [{ name: 'K', algorithm: 'RS256', length: 2048, type: 'EC' }, 'type', /RS256 key is of type RSA/],
    [{ name: 'K', algorithm: 'None' }, 'algorithm', /does not generate secrets/],
    [{ name: 'K', type: 'HMAC', secret: 's' }, 'algorithm', /HS256, HS384 or HS512/],
    [{ name: 'K', certificate: 'MIICrjCCAZagAwIBAQIQ' }, 'certificate', /PEM form/],
    [{ name: 'K', certificate: CERT, length: 2048 }, 'length', /derives the length of an imported key/],
    [{ name: 'K', type: 'RSA', certificate: CERT, secret: 's' }, 'secret', /only HMAC keys and secrets have a secret, not RSA keys/],
    [{ name: 'K', type: 'Secret', secret: 's', kid: 'other' }, 'kid', /kid is its name/],
    // fusionauth-issues #3085: FusionAuth generates a new pair for an algorithm sent with only a certificate.
    [{ name: 'K', certificate: CERT, algorithm: 'RS256' }, 'algorithm', /would generate a new key pair instead of importing the certificate's key/],
  ])('%j: %s', async (entry, path, message) => {
    const dir = tmpFiles({ 'k.json': JSON.stringify({ keys: [{ key: 'k', ...entry }] }) });
    const { errors: errs } = await loadErrors([join(dir, 'k.json')]);
    expect(errs).toEqual([expect.objectContaining({ message: expect.stringMatching(message), where: expect.objectContaining({ path: `keys[0].${path}` }) })]);
  });

  it('kickstand validate reports them with the file and line (the entry\'s, for a missing field), and accepts a valid file', async () => {
    const dir = tmpFiles({ 'bad.yaml': 'keys:\n  - key: rsa\n    name: RSA\n    algorithm: RS256\n', 'good.yaml': KEYS });
    const bad = await runCli(['validate', join(dir, 'bad.yaml')]);
    expect(bad.code).toBe(1);
    expect(bad.stdout + bad.stderr).toMatch(/bad\.yaml:2:\d+\s+keys\[0\]\.length\s+error: an RSA key to generate needs length/);
    expect((await runCli(['validate', join(dir, 'good.yaml')])).code).toBe(0);
  });

  it('loads a valid file of every shape', async () => {
    await expect(loadConfig([files(KEYS)], { env: {} })).resolves.toMatchObject({ resources: expect.arrayContaining([expect.objectContaining({ kind: 'key', key: 'partner' })]) });
  });
});

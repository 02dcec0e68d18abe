/** State persistence: a JSON file written after every change and loaded at start. */
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { connect } from '../../src/cli/connect.js';
import { startEmulator } from '../../src/emulator/index.js';
import { MAX_STATE_FILE_BYTES, readStateFile } from '../../src/emulator/store.js';
import { ID, smsTemplate, start, twilio } from './helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'kickstand-emulator-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('persistence', () => {
  it('round-trips every kind and the Default tenant id through the state file', async () => {
    const statePath = join(dir, 'nested', 'state.json');
    const a = await start({ statePath, defaultTenantId: ID.defaultTenant });
    await a.post(`/api/messenger/${ID.m1}`, twilio());
    await a.post(`/api/message/template/${ID.t1}`, smsTemplate());
    await a.post(`/api/tenant/${ID.tenant1}`, { tenant: { name: 'Persisted', phoneConfiguration: { messengerId: ID.m1, verifyPhoneNumber: true, verificationTemplateId: ID.t1 } } });
    await a.post(`/api/application/${ID.app1}`, { application: { name: 'App', roles: [{ name: 'user' }] } }, { tenantId: ID.tenant1 });
    await a.del(`/api/application/${ID.app1}`);
    const before = a.e.snapshot();
    await a.e.stop();

    const file = JSON.parse(readFileSync(statePath, 'utf8'));
    expect(file.formatVersion).toBe(1);
    expect(file.defaultTenantId).toBe(ID.defaultTenant);

    // A different requested Default tenant id does not win over the file's.
    const b = await start({ statePath, defaultTenantId: ID.tenant2 });
    try {
      expect(b.e.snapshot()).toEqual(before);
      expect(b.e.defaultTenantId).toBe(ID.defaultTenant);
      expect((await b.get(`/api/application/${ID.app1}`)).body.application.state).toBe('Inactive');
      // Referential checks still know the boot objects' theme and forms after a reload.
      expect((await b.post('/api/tenant', { tenant: { name: 'After reload' } })).status).toBe(200);
      expect((await b.del(`/api/tenant/${ID.defaultTenant}`)).body.fieldErrors.tenantId[0].code).toBe('[fusionAuth]tenantId');
    } finally {
      await b.e.stop();
    }
  });
  it('writes the boot state at start and is not touched by reads', async () => {
    const statePath = join(dir, 'boot.json');
    const a = await start({ statePath });
    const first = readFileSync(statePath, 'utf8');
    await a.get('/api/tenant');
    expect(readFileSync(statePath, 'utf8')).toBe(first);
    await a.post('/api/tenant', { tenant: { name: 'Changed' } });
    expect(readFileSync(statePath, 'utf8')).not.toBe(first);
    await a.e.stop();
  });
  it('refuses a file that is not an emulator state', async () => {
    const statePath = join(dir, 'bad.json');
    writeFileSync(statePath, '{"hello": "world"}');
    await expect(startEmulator({ statePath })).rejects.toThrow(/not a kickstand emulator state file/);
  });
  it('reset() rewrites the file with the boot state', async () => {
    const statePath = join(dir, 'reset.json');
    const a = await start({ statePath });
    await a.post('/api/tenant', { tenant: { name: 'Gone after reset' } });
    a.e.reset();
    await a.e.stop();
    const b = await start({ statePath });
    try {
      expect(b.e.snapshot().tenants.map((t) => t.name)).toEqual(['Default']);
    } finally {
      await b.e.stop();
    }
  });
});

/** The permission bits of a file or folder. */
const mode = (path: string): number => statSync(path).mode & 0o777;

describe('state file permissions (it holds secrets)', () => {
  it('writes the file 0600 and creates its missing folders 0700', async () => {
    const statePath = join(dir, 'private', 'deeper', 'state.json');
    const a = await start({ statePath });
    try {
      expect(mode(statePath)).toBe(0o600);
      expect(mode(join(dir, 'private'))).toBe(0o700);
      expect(mode(join(dir, 'private', 'deeper'))).toBe(0o700);
      await a.post('/api/tenant', { tenant: { name: 'Rewritten' } });
      expect(mode(statePath)).toBe(0o600);
    } finally {
      await a.e.stop();
    }
  });
  it('leaves a folder the user already had as it was, and tightens a 0644 file from an older version on its next write', async () => {
    const shared = join(dir, 'shared');
    mkdirSync(shared);
    chmodSync(shared, 0o755);
    const statePath = join(shared, 'state.json');
    const a = await start({ statePath });
    await a.e.stop();
    chmodSync(statePath, 0o644);
    const b = await start({ statePath });
    try {
      await b.post('/api/tenant', { tenant: { name: 'Tightened' } });
      expect(mode(statePath)).toBe(0o600);
      expect(mode(shared)).toBe(0o755);
    } finally {
      await b.e.stop();
    }
  });
  it('the file is 0600 whatever the umask, and a stale temporary file of the same process is replaced, not reused', async () => {
    const statePath = join(dir, 'umask.json');
    const stale = `${statePath}.${process.pid}.tmp`;
    writeFileSync(stale, 'stale');
    chmodSync(stale, 0o666);
    const old = process.umask(0);
    try {
      const a = await start({ statePath });
      await a.e.stop();
    } finally {
      process.umask(old);
    }
    expect(mode(statePath)).toBe(0o600);
    expect(existsSync(stale)).toBe(false);
  });
});

describe('reading the state file', () => {
  it('is bounded: a file over the limit is refused by name without being read', () => {
    const statePath = join(dir, 'huge.json');
    writeFileSync(statePath, '');
    truncateSync(statePath, MAX_STATE_FILE_BYTES + 1); // sparse: no disk used
    expect(() => readStateFile(statePath)).toThrow(`emulator state file ${statePath} is over the limit of ${MAX_STATE_FILE_BYTES} bytes`);
  });
  it('names the file when it is a folder or not JSON, and treats a missing file as a fresh start', () => {
    expect(() => readStateFile(dir)).toThrow(`emulator state file ${dir} is a folder, not a file`);
    const broken = join(dir, 'broken.json');
    writeFileSync(broken, '{"formatVersion": 1,');
    expect(() => readStateFile(broken)).toThrow(`emulator state file ${broken} is not valid JSON`);
    expect(readStateFile(join(dir, 'absent.json'))).toBeUndefined();
  });
});

describe('the embedded emulator folder (kickstand --emulator)', () => {
  it('makes .kickstand 0700 also when it existed, and writes its state and settings 0600', async () => {
    const own = join(dir, 'project', '.kickstand');
    mkdirSync(own, { recursive: true });
    chmodSync(own, 0o755);
    const c = await connect({ emulator: true, emulatorDir: own, emulatorLicensed: true });
    await c.close();
    expect(mode(own)).toBe(0o700);
    expect(mode(join(own, 'emulator-state.json'))).toBe(0o600);
    expect(mode(join(own, 'emulator-settings.json'))).toBe(0o600);
  });
  it('creates a missing --emulator-dir 0700 but leaves an existing one that is not .kickstand as it was', async () => {
    const created = join(dir, 'fresh-emu');
    await (await connect({ emulator: true, emulatorDir: created })).close();
    expect(mode(created)).toBe(0o700);
    const users = join(dir, 'users-folder');
    mkdirSync(users);
    chmodSync(users, 0o755);
    await (await connect({ emulator: true, emulatorDir: users })).close();
    expect(mode(users)).toBe(0o755);
    expect(mode(join(users, 'emulator-state.json'))).toBe(0o600);
  });
});

/** State persistence: a JSON file written after every change and loaded at start. */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startEmulator } from '../../src/emulator/index.js';
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

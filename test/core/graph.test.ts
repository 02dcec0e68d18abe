/**
 * The configuration graph: built from the loaded files alone (every reference of every entry, written as a key or a
 * UUID, and each child's parent), generic over the registry; and the part of it a plan changes.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import { changeGraph, configGraph } from '../../src/core/graph.js';
import { derivedId } from '../../src/core/match.js';
import type { Change, ConfigGraph } from '../../src/core/types.js';
import { KINDS } from '../../src/kinds/index.js';
import { tmpFiles } from '../config/helpers.js';

const ACME_ID = '0a1b2c3d-0000-4000-8000-0000000000ac';
const LAMBDA_ID = '9e8d7c6b-0000-4000-8000-00000000001a';
const KEY_ID = '5f4e3d2c-0000-4000-8000-0000000000e1';

const FILES = `
messengers:
  - key: sms
    name: SMS
    type: Twilio
    url: https://api.twilio.com
    accountSID: AC1
    authToken: token-value
    fromPhoneNumber: '+15555550100'
messageTemplates:
  - key: verify
    name: Verify
    type: SMS
    defaultTemplate: 'Code \${code}'
tenants:
  - key: acme
    id: ${ACME_ID}
    name: Acme
    phoneConfiguration:
      messengerId: sms
      verificationTemplateId: verify
    multiFactorConfiguration:
      sms:
        messengerId: sms
    lambdaConfiguration:
      loginValidationId: ${LAMBDA_ID}
applications:
  - key: web
    name: Web
    tenantId: ${ACME_ID}
    jwtConfiguration:
      accessTokenKeyId: ${KEY_ID}
    roles:
      - name: admin
  - key: api
    name: API
    tenantId: acme
`;

/** `from -> to` (`-.->` for a parent link) over the nodes' refs. */
const edgesOf = (g: ConfigGraph): string[] => g.edges.map((e) => `${e.from} ${e.via === 'parent' ? '-.->' : '->'} ${e.to}`);

async function loaded() {
  const dir = tmpFiles({ 'k.yaml': FILES });
  return loadConfig([join(dir, 'k.yaml')], { env: {} });
}

describe('configGraph', () => {
  it('draws every reference (by key or by UUID), each child\'s parent, and the objects the files use without declaring', async () => {
    const desired = await loaded();
    const g = configGraph(desired, KINDS);
    expect(g.nodes.map((n) => `${n.ref}${n.external ? ' (external)' : ''}`)).toEqual([
      `key:${KEY_ID} (external)`, `lambda:${LAMBDA_ID} (external)`,
      'messenger:sms', 'messageTemplate:verify', 'tenant:acme', 'application:api', 'application:web', 'applicationRole:web/admin',
    ]);
    // In node order; the same messenger through two fields is one edge; a UUID naming a declared entry (web's tenant)
    // is that entry.
    expect(edgesOf(g)).toEqual([
      `tenant:acme -> lambda:${LAMBDA_ID}`, 'tenant:acme -> messenger:sms', 'tenant:acme -> messageTemplate:verify',
      'application:api -> tenant:acme',
      `application:web -> key:${KEY_ID}`, 'application:web -> tenant:acme',
      'applicationRole:web/admin -.-> application:web',
    ]);
    const byRef = new Map(g.nodes.map((n) => [n.ref, n]));
    expect(byRef.get('tenant:acme')).toEqual({ ref: 'tenant:acme', kind: 'tenant', title: 'tenant', key: 'acme', id: ACME_ID, name: 'Acme' });
    expect(byRef.get('messenger:sms')!.id).toBe(derivedId('messenger', 'sms', desired.idNamespace));
    // A kind kickstand does not manage gets words for a title from its wire name.
    expect(byRef.get(`lambda:${LAMBDA_ID}`)).toMatchObject({ kind: 'lambda', title: 'lambda', id: LAMBDA_ID });
    expect(byRef.get(`key:${KEY_ID}`)!.title).toBe('key');
  });

  it('reads references from the registry\'s wire facts: a reference field added to a kind is drawn without a change here', async () => {
    const desired = await loaded();
    const tenant = KINDS.find((k) => k.name === 'tenant')!;
    const extended = KINDS.map((k) => (k === tenant ? { ...k, wire: { ...k.wire, refs: [...k.wire.refs, { path: 'data.partnerTenantId', kind: 'tenant' }] } } : k));
    const acme = desired.resources.find((r) => r.key === 'acme')!;
    const other = { ...acme, key: 'partner', id: '0a1b2c3d-0000-4000-8000-0000000000bb', body: { name: 'Partner', data: { partnerTenantId: ACME_ID } }, refs: [] };
    const g = configGraph({ ...desired, resources: [...desired.resources, other] }, extended);
    expect(edgesOf(g)).toContain('tenant:partner -> tenant:acme');
  });
});

describe('changeGraph', () => {
  const change = (kind: string, key: string, action: Change['action'], extra: Partial<Change> = {}): Change => ({
    action, kind, title: kind, key, match: 'derived-id', level: 0, fields: [], secretPaths: [], ...extra,
  });

  it('keeps the changed objects, their neighbours as context, and the edges that touch a change; children of a created parent are created', async () => {
    const g = configGraph(await loaded(), KINDS);
    const sub = changeGraph(g, [
      change('messenger', 'sms', 'noop'), change('messageTemplate', 'verify', 'update'), change('tenant', 'acme', 'noop'),
      change('application', 'web', 'create', { id: '11111111-0000-4000-8000-000000000001', name: 'Web (new)' }), change('application', 'api', 'noop'),
      change('messenger', 'gone', 'delete', { id: '22222222-0000-4000-8000-000000000002', name: 'Old' }),
    ]);
    expect(sub.nodes.map((n) => `${n.ref}${n.action ? ` ${n.action}` : ''}`)).toEqual([
      `key:${KEY_ID}`, 'messageTemplate:verify update', 'tenant:acme', 'application:web create', 'applicationRole:web/admin create', 'messenger:gone delete',
    ]);
    expect(edgesOf(sub)).toEqual([
      'tenant:acme -> messageTemplate:verify', `application:web -> key:${KEY_ID}`, 'application:web -> tenant:acme', 'applicationRole:web/admin -.-> application:web',
    ]);
    const web = sub.nodes.find((n) => n.ref === 'application:web')!;
    expect(web).toMatchObject({ id: '11111111-0000-4000-8000-000000000001', name: 'Web (new)' });
    expect(sub.nodes.find((n) => n.ref === 'messenger:gone')).toEqual({
      ref: 'messenger:gone', kind: 'messenger', title: 'messenger', key: 'gone', id: '22222222-0000-4000-8000-000000000002', name: 'Old', action: 'delete',
    });
  });

  it('is empty when nothing changes', async () => {
    const g = configGraph(await loaded(), KINDS);
    expect(changeGraph(g, [change('tenant', 'acme', 'noop')])).toEqual({ nodes: [], edges: [] });
  });
});

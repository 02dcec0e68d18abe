/** The renderings of a plan computed by the real planner: secrets the planner meets never reach any output. */
import { describe, expect, it } from 'vitest';
import { computePlan } from '../../src/core/plan.js';
import type { DesiredState, SourceMap } from '../../src/core/types.js';
import { renderPlanHuman } from '../../src/render/human.js';
import { renderPlanJson } from '../../src/render/json.js';
import { renderPlanMarkdown } from '../../src/render/markdown.js';
import type { LiveState } from '../../src/state/fetch.js';
import { PLAN } from '../core/helpers.js';

const pos = { file: 'kickstand.yaml', line: 1, column: 1 };
const source: SourceMap = { file: 'kickstand.yaml', entry: pos, pos: () => pos };
const DEFAULT_TENANT = 'd7d09513-a3f5-401c-9685-34ab6c552453';

const desired: DesiredState = {
  idNamespace: '8f0d5c36-9a7b-4e1f-8c2d-3b4a5e6f7a8b',
  secrets: ['CANARY-variable-41d8'],
  diagnostics: [],
  files: ['kickstand.yaml'],
  resources: [
    { kind: 'messenger', key: 'sms', source, refs: [],
      body: { name: 'SMS', type: 'Twilio', url: 'https://api.twilio.com', accountSID: 'AC1', authToken: 'CANARY-token-new', fromPhoneNumber: '+15555550100' } },
    { kind: 'tenant', key: 'acme', source, refs: [{ path: 'phoneConfiguration.messengerId', kind: 'messenger', key: 'sms' }],
      body: { name: 'Acme', issuer: 'https://acme.example/CANARY-variable-41d8', phoneConfiguration: { messengerId: 'sms', verifyPhoneNumber: false } } },
    { kind: 'application', key: 'web', source, refs: [], body: { name: 'Web' } },
    { kind: 'applicationRole', key: 'web/admin', source, refs: [], parent: { kind: 'application', key: 'web' }, body: { name: 'admin', description: 'Staff' } },
  ],
};

const live: LiveState = {
  serverVersion: '1.65.0',
  licensed: true,
  defaults: { tenant: DEFAULT_TENANT },
  parentIds: { applicationRole: new Map([['e5b2d8f1-6a3c-4e97-b0d4-1f8a2c6e9b75', '11111111-2222-4333-8444-555555555555']]) },
  objects: {
    applicationRole: [{ id: 'e5b2d8f1-6a3c-4e97-b0d4-1f8a2c6e9b75', name: 'admin', description: 'Old' }],
    messenger: [{ id: 'f49c3b86-91fe-48f7-ae46-d166eead0166', name: 'SMS', type: 'Twilio', url: 'https://api.twilio.com', accountSID: 'AC1', authToken: 'CANARY-token-old', fromPhoneNumber: '+15555550100' }],
    tenant: [],
    application: [
      { id: '3c219e58-ed0e-4b18-ad48-f4f92793ae32', name: 'FusionAuth', tenantId: DEFAULT_TENANT },
      { id: '11111111-2222-4333-8444-555555555555', name: 'Web', tenantId: DEFAULT_TENANT, roles: [{ id: 'e5b2d8f1-6a3c-4e97-b0d4-1f8a2c6e9b75', name: 'admin', description: 'Old' }],
        oauthConfiguration: { clientId: '11111111-2222-4333-8444-555555555555', clientSecret: 'CANARY-client-secret' } },
    ],
  },
};

describe('renderings of a real plan', () => {
  const plan = computePlan(desired, live, { ...PLAN, target: 'http://localhost:9011' });
  const outputs = { human: renderPlanHuman(plan, { color: true }), markdown: renderPlanMarkdown(plan), json: renderPlanJson(plan) };

  it('shows the changes the planner found', () => {
    expect(plan.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const human = renderPlanHuman(plan, { color: false });
    expect(human).toContain('~ messenger sms "SMS" (id f49c3b86…, adopted by name)\n  ~ authToken: (sensitive) → (sensitive)');
    expect(human).toContain('  + phoneConfiguration.messengerId: "f49c3b86-91fe-48f7-ae46-d166eead0166" (messenger sms)');
    expect(human).toContain('~ application role web/admin "admin" (id e5b2d8f1…)\n  ~ description: "Old" → "Staff"');
  });

  it.each(Object.keys(outputs))('%s contains no secret from the files or the server', (name) => {
    expect(outputs[name as keyof typeof outputs]).not.toMatch(/CANARY/);
  });
});

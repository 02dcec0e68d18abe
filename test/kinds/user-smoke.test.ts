import { describe, expect, it } from 'vitest';
import { againstEmulator } from '../support/against-emulator.js';

const env = againstEmulator();

describe('smoke', () => {
  it('applies users', async () => {
    const yaml = `
applications:
  - key: portal
    name: Portal
    roles:
      - name: viewer
users:
  - key: admin
    email: Admin@Example.com
    password: "correct horse battery staple"
    firstName: Ada
    registrations:
      - applicationId: fusionauth
        roles: [admin]
      - applicationId: portal
        roles: [viewer]
  - key: bob
    username: bob
    password: "another password 1"
    verified: true
    registrations:
      - applicationId: portal
`;
    const out = await env.applyOf(yaml);
    console.log(JSON.stringify(out.plan.changes.map((c) => [c.action, c.kind, c.key, c.match, c.tenantId, c.after]), null, 0));
    const again = await env.planOf(yaml);
    console.log(JSON.stringify(again.changes.map((c) => [c.action, c.kind, c.key, c.match, c.fields]), null, 0));
    console.log(JSON.stringify(again.diagnostics));
    expect(again.changes.filter((c) => c.action !== 'noop')).toEqual([]);
  });
});

import { describe, expect, it } from 'vitest';
import { MASK } from '../../src/core/mask.js';
import { renderPlanHuman } from '../../src/render/human.js';
import { renderPlanJson } from '../../src/render/json.js';
import { renderPlanMarkdown } from '../../src/render/markdown.js';
import { redactPlan } from '../../src/render/redact.js';
import { change, plan } from './fixtures.js';

const CANARY = 'CANARY-9d2f7e41b3';

/** A plan that carries canaries in every place a secret can hide. */
function secretPlan() {
  return plan([
    change({
      action: 'update', kind: 'messenger', key: 'gateway', name: 'Gateway',
      before: { name: 'Gateway', type: 'Generic', authToken: `${CANARY}-token-old`, headers: { 'X-Api-Key': `${CANARY}-hdr-old`, Accept: 'json' } },
      after: { authToken: `${CANARY}-token-new`, headers: { 'X-Api-Key': `${CANARY}-hdr-new` } },
      fields: [
        { path: 'authToken', before: `${CANARY}-token-old`, after: `${CANARY}-token-new`, sensitive: true },
        // A parent path whose value holds a secret below it (headers.* is secret): only the secret part is masked.
        { path: 'headers', before: { 'X-Api-Key': `${CANARY}-hdr-old`, Accept: 'json' }, after: { 'X-Api-Key': `${CANARY}-hdr-new` }, sensitive: false },
      ],
    }),
    change({
      action: 'update', kind: 'tenant', key: 'acme', level: 1,
      before: { name: 'Acme', emailConfiguration: { host: 'smtp.acme.example', password: `${CANARY}-smtp` }, captchaConfiguration: { secretKey: `${CANARY}-captcha` } },
      after: { issuer: `https://acme.example/${CANARY}-var` },
      // Not a secret field, but its value comes from a sensitive variable: the planner marks it sensitive.
      fields: [{ path: 'issuer', before: 'https://acme.example', after: `https://acme.example/${CANARY}-var`, sensitive: true }],
    }),
    change({
      action: 'noop', kind: 'application', key: 'web', level: 2,
      before: { name: 'Web', oauthConfiguration: { clientSecret: `${CANARY}-client`, clientId: 'abc' } },
    }),
    change({
      action: 'update', kind: 'applicationRole', key: 'api/admin', level: 3, parent: { kind: 'application', key: 'api', id: 'b0000000-0000-4000-8000-000000000002' },
      before: { name: 'admin', description: 'x' }, after: { description: `${CANARY}-role` },
      fields: [{ path: 'description', before: 'x', after: `${CANARY}-role`, sensitive: true }],
    }),
  ], {
    // A masked value copied elsewhere is masked there too.
    diagnostics: [{ severity: 'warning', message: `value ${CANARY}-token-new looks like a token` }],
  });
}

describe('redactPlan', () => {
  it('masks secret paths of the kind, nested and wildcard, in before and after', () => {
    const r = redactPlan(secretPlan());
    const [m, t, a] = r.changes;
    expect(m!.before).toEqual({ name: 'Gateway', type: 'Generic', authToken: MASK, headers: { 'X-Api-Key': MASK, Accept: MASK } });
    expect(m!.after).toEqual({ authToken: MASK, headers: { 'X-Api-Key': MASK } });
    expect(t!.before).toEqual({ name: 'Acme', emailConfiguration: { host: 'smtp.acme.example', password: MASK }, captchaConfiguration: { secretKey: MASK } });
    expect(a!.before).toEqual({ name: 'Web', oauthConfiguration: { clientSecret: MASK, clientId: 'abc' } });
  });

  it('masks sensitive field changes and the same paths in before/after', () => {
    const r = redactPlan(secretPlan());
    expect(r.changes[0]!.fields[0]).toEqual({ path: 'authToken', before: MASK, after: MASK, sensitive: true });
    expect(r.changes[0]!.fields[1]).toEqual({ path: 'headers', before: { 'X-Api-Key': MASK, Accept: MASK }, after: { 'X-Api-Key': MASK }, sensitive: false });
    expect(r.changes[1]!.fields[0]).toEqual({ path: 'issuer', before: MASK, after: MASK, sensitive: true });
    expect(r.changes[1]!.after).toEqual({ issuer: MASK });
    expect(r.changes[3]!.after).toEqual({ description: MASK });
    expect(r.changes[3]!.fields[0]!.after).toBe(MASK);
  });

  it('marks a field below a secret path sensitive even when the planner did not', () => {
    const p = plan([change({ action: 'update', kind: 'messenger', key: 'g', fields: [{ path: 'headers.Authorization', before: 'Bearer old-value-1', after: 'Bearer new-value-2', sensitive: false }] })]);
    expect(redactPlan(p).changes[0]!.fields[0]).toEqual({ path: 'headers.Authorization', before: MASK, after: MASK, sensitive: true });
  });

  it('keeps null and absent values: an unset secret is shown as unset', () => {
    const p = plan([change({ action: 'update', kind: 'messenger', key: 'g', fields: [{ path: 'authToken', before: 'old-secret-value', after: null, sensitive: true }] })]);
    expect(redactPlan(p).changes[0]!.fields[0]).toEqual({ path: 'authToken', before: MASK, after: null, sensitive: true });
  });

  it('masks a masked value wherever else its text occurs', () => {
    expect(redactPlan(secretPlan()).diagnostics[0]!.message).toBe(`value ${MASK} looks like a token`);
  });

  it('does not modify its input and is idempotent', () => {
    const input = secretPlan();
    const copy = structuredClone(input);
    const once = redactPlan(input);
    expect(input).toEqual(copy);
    expect(redactPlan(once)).toEqual(once);
  });

  it('removes credentials from the target URL', () => {
    expect(redactPlan(plan([], { target: 'https://admin:hunter2-pass@auth.acme.example' })).target).toBe('https://auth.acme.example');
  });

  it('leaves no canary in any rendering', () => {
    const p = secretPlan();
    for (const text of [renderPlanJson(p), renderPlanHuman(p, { color: false }), renderPlanHuman(p, { color: true }), renderPlanMarkdown(p)]) {
      expect(text).not.toContain(CANARY);
      expect(text).toContain(MASK);
    }
  });
});

import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { Plan } from '../../src/core/types.js';
import { applyOutputs, caseOptions, GOLDEN_ROOT, listCases, loadApply, loadPlan, loadSecrets, planOutputs } from './harness.js';

const update = process.env.UPDATE_GOLDEN === '1';
const cases = listCases();

/**
 * What each plan case is about, checked besides the golden bytes so that a regenerated output that lost its point
 * fails: the actions in plan order (`kind:key action`) and the error messages' gist.
 */
const EXPECTED: Record<string, { actions: string[]; errors?: RegExp[]; warnings?: number; unmanaged?: string[]; graph?: string[] }> = {
  'create': { actions: ['messenger:twilio create', 'messageTemplate:phone-verification create', 'tenant:phone-gated create', 'application:phone-app create'] },
  'no-changes': { actions: ['messenger:twilio noop', 'messageTemplate:phone-verification noop', 'tenant:phone-gated noop', 'application:phone-app noop'] },
  'update-nested': { actions: ['messenger:twilio noop', 'messageTemplate:phone-verification noop', 'tenant:phone-gated update', 'application:phone-app noop'] },
  'references-resolved': { actions: ['messenger:twilio create', 'messageTemplate:phone-verification create', 'tenant:phone-gated update', 'application:phone-app create', 'application:staff-portal create'] },
  'secrets-masked': { actions: ['messenger:relay create', 'messenger:twilio update', 'tenant:phone-gated update', 'application:phone-app update'], warnings: 3 },
  'adoption-by-name': { actions: ['messenger:twilio noop', 'messageTemplate:phone-verification create', 'tenant:phone-gated update', 'application:phone-app create'] },
  'preflight-unlicensed': { actions: ['messenger:twilio create', 'messageTemplate:phone-verification create', 'tenant:phone-gated create', 'application:phone-app create'], errors: [/license/], warnings: 1 },
  'preflight-old-server': { actions: ['messenger:twilio create', 'messageTemplate:phone-verification create', 'tenant:phone-gated create', 'application:phone-app create'], errors: [/messageTypes.*1\.65\.0/, /phoneConfiguration.*1\.59\.0/, /phoneVerificationIdTimeToLiveInSeconds.*1\.59\.0/] },
  'immutable-error': { actions: ['messenger:sms update'], errors: [/type/] },
  'replace': { actions: ['messenger:sms replace'] },
  'application-roles': { actions: ['application:phone-app noop', 'applicationRole:phone-app/admin update', 'applicationRole:phone-app/member noop', 'applicationRole:phone-app/support create'] },
  'api-keys-create': { actions: ['tenant:acme create', 'apiKey:ci-deploy create', 'apiKey:support create'] },
  'api-keys-update': { actions: ['tenant:acme noop', 'apiKey:ci-deploy update', 'apiKey:support update'] },
  // The copy comes after the theme it copies (a level of its own), the tenant after both.
  'theme-create': { actions: ['theme:fusionauth noop', 'theme:plain create', 'theme:brand create', 'tenant:acme create'] },
  'theme-update': { actions: ['theme:brand update'] },
  // A pull-request plan (--show-unmanaged --graph --title production --allow-replace): an application moved to another
  // tenant is replaced (its consequence shown), a role and an application the files do not mention are listed as
  // unmanaged, the Default tenant and the FusionAuth application as built-in.
  'pull-request': {
    actions: ['messenger:sms create', 'tenant:acme update', 'application:portal replace', 'application:shop noop', 'applicationRole:shop/admin noop'],
    unmanaged: ['tenant Default built-in', 'application FusionAuth built-in', 'application Old app', 'application Tenant manager built-in', 'applicationRole legacy in shop'],
    graph: ['messenger:sms create', 'tenant:acme update', 'application:portal replace', 'application:shop'],
  },
  'config-kinds-create': { actions: ['systemConfiguration:systemConfiguration update', 'lambda:roles-claim create', 'emailTemplate:welcome create', 'tenant:acme create', 'application:portal create'] },
  'config-kinds-update': { actions: ['systemConfiguration:systemConfiguration update', 'lambda:roles-claim update', 'emailTemplate:welcome update'] },
  'keys-webhooks-create': {
    actions: ['key:access-tokens create', 'key:default-signing noop', 'key:partner-hmac create', 'key:webhook-signing create', 'tenant:acme create', 'webhook:audit create'],
  },
  // Users with their registrations in their create requests; the admin's literal password against a remote server warned about.
  'users-create': { actions: ['tenant:acme create', 'application:portal create', 'user:admin create', 'user:member create', 'user:verified create'], warnings: 1 },
  // The admin changed their own name and password out of band: the name is not declared, the password not compared.
  'users-update': {
    actions: [
      'application:portal noop', 'user:admin update', 'user:member noop', 'applicationRole:portal/editor noop', 'applicationRole:portal/viewer noop',
      'userRegistration:admin/fusionauth noop', 'userRegistration:admin/portal create', 'userRegistration:member/portal update',
    ],
    warnings: 2,
  },
  'families-create': { actions: ['family:parkers create'] },
  // The Robins' family exists with an id kickstand did not choose: adopted through its first Adult.
  'families-update': { actions: ['family:parkers update', 'family:robins update'] },
  'keys-webhooks-update': {
    actions: ['key:access-tokens noop', 'key:default-signing noop', 'key:partner-hmac noop', 'key:webhook-signing update', 'tenant:acme noop', 'tenant:beta create', 'webhook:audit update'],
  },
};

/** The summary a plan must carry: counted from its changes. */
function countedSummary(plan: Plan): Plan['summary'] {
  const s = { create: 0, update: 0, replace: 0, delete: 0, noop: 0 };
  for (const c of plan.changes) s[c.action] += 1;
  return s;
}

describe('golden renderings', () => {
  it('has the cases the issue asks for', () => {
    const names = cases.map((c) => c.name);
    for (const n of [...Object.keys(EXPECTED), 'apply-success', 'apply-failure']) {
      expect(names).toContain(n);
    }
  });

  it('plans the shipped phone-gating example unmodified in create, no-changes, adoption-by-name and preflight-old-server', () => {
    const example = fileURLToPath(new URL('../../examples/phone-gating/', import.meta.url));
    // Only the schema comment differs: the case directory is one level deeper than examples/phone-gating.
    const strip = (t: string) => t.replace(/^# yaml-language-server: .*\n/, '');
    for (const n of ['create', 'no-changes', 'adoption-by-name', 'preflight-old-server']) {
      const dir = join(GOLDEN_ROOT, n);
      expect(strip(readFileSync(join(dir, 'kickstand.yaml'), 'utf8')), `${n}/kickstand.yaml is a copy of the example`).toBe(strip(readFileSync(join(example, 'kickstand.yaml'), 'utf8')));
      expect(readFileSync(join(dir, 'sms/verify.ftl'), 'utf8')).toBe(readFileSync(join(example, 'sms/verify.ftl'), 'utf8'));
    }
  });

  it('tests no hand-written plan: every plan comes from kickstand.yaml + live.json', () => {
    for (const c of cases) expect(existsSync(join(c.dir, 'plan.json')), `${c.name}/plan.json`).toBe(false);
  });

  for (const c of cases) {
    it(c.name, async () => {
      const plan = await loadPlan(c);
      const result = loadApply(c);
      expect(plan ?? result, `${c.name} holds no plan.json, kickstand.yaml or apply.json`).toBeDefined();
      if (plan) {
        expect(plan.summary, 'the summary must match the changes').toEqual(countedSummary(plan));
        const want = EXPECTED[c.name];
        expect(want, `${c.name}: add its expectations to EXPECTED`).toBeDefined();
        expect(plan.changes.map((ch) => `${ch.kind}:${ch.key} ${ch.action}`)).toEqual(want!.actions);
        const errors = plan.diagnostics.filter((d) => d.severity === 'error').map((d) => d.message);
        expect(errors.length).toBe(want!.errors?.length ?? 0);
        for (const re of want!.errors ?? []) expect(errors.some((m) => re.test(m)), `${c.name}: an error matching ${re}`).toBe(true);
        expect(plan.diagnostics.filter((d) => d.severity === 'warning').length).toBe(want!.warnings ?? 0);
        expect(plan.unmanaged?.map((u) => `${u.kind} ${u.name ?? u.id}${u.parent ? ` in ${u.parent.key}` : ''}${u.builtIn ? ' built-in' : ''}`)).toEqual(want!.unmanaged);
        expect(plan.graph?.nodes.map((n) => `${n.ref}${n.action ? ` ${n.action}` : ''}`)).toEqual(want!.graph);
      }
      const outputs = { ...(plan ? planOutputs(plan, caseOptions(c.dir)) : {}), ...(result ? applyOutputs(result) : {}) };
      const secrets = loadSecrets(c);
      for (const [file, text] of Object.entries(outputs)) {
        for (const s of secrets) expect(text.includes(s), `${c.name}/${file} prints the secret ${s.slice(0, 4)}…`).toBe(false);
        expect(text).not.toMatch(/CANARY/i);
        expect(text.includes('\u001b['), 'golden files carry no escape codes').toBe(false);
        if (file.endsWith('.json')) expect(JSON.parse(text)).toMatchObject({ formatVersion: 2 });
        const path = join(c.dir, file);
        if (update) writeFileSync(path, text);
        else {
          expect(existsSync(path), `missing ${c.name}/${file}; run UPDATE_GOLDEN=1 npx vitest run test/golden`).toBe(true);
          expect(text).toBe(readFileSync(path, 'utf8'));
        }
      }
    });
  }
});

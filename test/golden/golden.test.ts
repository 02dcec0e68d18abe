import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Plan } from '../../src/core/types.js';
import { applyOutputs, listCases, loadApply, loadPlan, loadSecrets, planOutputs } from './harness.js';

const update = process.env.UPDATE_GOLDEN === '1';
const cases = listCases();

/** The summary a hand-written plan must carry: counted from its changes. */
function countedSummary(plan: Plan): Plan['summary'] {
  const s = { create: 0, update: 0, replace: 0, delete: 0, noop: 0 };
  for (const c of plan.changes) s[c.action] += 1;
  return s;
}

describe('golden renderings', () => {
  it('has the cases the issue asks for', () => {
    const names = cases.map((c) => c.name);
    for (const n of ['create', 'update-nested', 'no-changes', 'references-resolved', 'secrets-masked', 'adoption-by-name', 'preflight-errors', 'replace', 'application-roles', 'apply-failure']) {
      expect(names).toContain(n);
    }
  });

  for (const c of cases) {
    it(c.name, async () => {
      const plan = await loadPlan(c);
      const result = loadApply(c);
      expect(plan ?? result, `${c.name} holds no plan.json, kickstand.yaml or apply.json`).toBeDefined();
      if (plan) expect(plan.summary, 'the summary of plan.json must match its changes').toEqual(countedSummary(plan));
      const outputs = { ...(plan ? planOutputs(plan) : {}), ...(result ? applyOutputs(result) : {}) };
      const secrets = loadSecrets(c);
      for (const [file, text] of Object.entries(outputs)) {
        for (const s of secrets) expect(text.includes(s), `${c.name}/${file} prints the secret ${s.slice(0, 4)}…`).toBe(false);
        expect(text).not.toMatch(/CANARY/i);
        expect(text.includes('\u001b['), 'golden files carry no escape codes').toBe(false);
        if (file.endsWith('.json')) expect(JSON.parse(text)).toMatchObject({ formatVersion: 1 });
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

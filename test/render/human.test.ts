import { describe, expect, it } from 'vitest';
import { renderApplyHuman, renderOutcomeLine, renderPlanHuman } from '../../src/render/human.js';
import { applyResult, change, plan } from './fixtures.js';

const ESC = '\u001b[';
const err = (message: string) => ({ severity: 'error' as const, message });

describe('renderPlanHuman', () => {
  const p = plan([
    change({ action: 'create', kind: 'messenger', key: 'sms', name: 'SMS', match: 'new', after: { name: 'SMS', type: 'Twilio', authToken: 'tok-123456', messageTypes: ['SMS', 'Voice'] } }),
    change({
      action: 'update', kind: 'tenant', key: 'acme', name: 'Acme Corp', id: '1b2c9d4e-7f3a-5b6c-8d9e-0a1b2c3d4e5f', match: 'adopted-by-name', level: 1,
      fields: [
        { path: 'phoneConfiguration.unverified.behavior', before: 'Allow', after: 'Gated', sensitive: false },
        { path: 'phoneConfiguration.messengerId', after: '6b1d3f0e-8c2a-5f4b-9d1e-2a7c4b8e9f01', sensitive: false },
        { path: 'logoutURL', before: 'https://old.example', after: null, sensitive: false },
      ],
    }),
    change({ action: 'noop', kind: 'application', key: 'web', level: 2, id: '4f8a2c1d-6e3b-5d7f-a9c2-8b1e4d6f0a27' }),
  ]);

  it('prints a Terraform-like block per change, without colour when asked', () => {
    const text = renderPlanHuman(p, { color: false });
    expect(text).not.toContain(ESC);
    expect(text).toContain('+ messenger sms "SMS" (id 6b1d3f0e…)\n  + name: "SMS"\n  + type: "Twilio"\n  + authToken: (sensitive)\n  + messageTypes: ["SMS", "Voice"]');
    expect(text).toContain('~ tenant acme "Acme Corp" (id 1b2c9d4e…, adopted by name)');
    expect(text).toContain('  ~ phoneConfiguration.unverified.behavior: "Allow" → "Gated"');
    // A reference to a resource of the plan is labelled with its kind and key.
    expect(text).toContain('  + phoneConfiguration.messengerId: "6b1d3f0e-8c2a-5f4b-9d1e-2a7c4b8e9f01" (messenger sms)');
    expect(text).toContain('  - logoutURL\n');
    expect(text).not.toContain('application web');
    expect(text.endsWith('Plan: 1 to create, 1 to update, 0 to replace. 1 unchanged.\n')).toBe(true);
  });

  it('colours symbols with ANSI escapes only when asked', () => {
    const text = renderPlanHuman(p, { color: true });
    expect(text).toContain(`${ESC}32m+${ESC}39m ${ESC}1mmessenger sms`);
    expect(text).toContain(`${ESC}33m~${ESC}39m`);
    // eslint-disable-next-line no-control-regex -- stripping the escapes is the point of this assertion
    expect(text.replace(/\u001b\[\d+m/g, '')).toBe(renderPlanHuman(p, { color: false }));
  });

  it('says so when nothing changes', () => {
    const text = renderPlanHuman(plan([change({ action: 'noop', kind: 'tenant', key: 'acme' })]), { color: false });
    expect(text).toBe('FusionAuth 1.65.0 at https://auth.acme.example (licensed)\n\nNo changes. Your FusionAuth configuration matches the files.\n');
  });

  it('mentions deletes only when there are some', () => {
    const text = renderPlanHuman(plan([change({ action: 'delete', kind: 'messenger', key: 'old' })]), { color: false });
    expect(text).toContain('- messenger old (id 6b1d3f0e…)');
    expect(text).toContain('Plan: 0 to create, 0 to update, 0 to replace, 1 to delete. 0 unchanged.');
  });

  it('with errors prints diagnostics first and no changes, singular or plural', () => {
    const withWarning = { severity: 'warning' as const, message: 'unknown field', where: { file: 'k.yaml', line: 3, column: 1 } };
    const one = renderPlanHuman(plan(p.changes, { diagnostics: [withWarning, err('phoneConfiguration needs 1.59.0')] }), { color: false });
    expect(one).toBe('FusionAuth 1.65.0 at https://auth.acme.example (licensed)\n\nerror: phoneConfiguration needs 1.59.0\nk.yaml:3:1  warning: unknown field\n\nPlan failed: 1 error.\n');
    const two = renderPlanHuman(plan(p.changes, { diagnostics: [err('a'), err('b')] }), { color: false });
    expect(two).toContain('Plan failed: 2 errors.');
  });

  it('marks the fields that force a replacement', () => {
    // The plan says which field forces the replace: a JSON plan renders on its own.
    const r = plan([change({ action: 'replace', kind: 'messenger', key: 'sms', fields: [{ path: 'type', before: 'Generic', after: 'Twilio', sensitive: false, forcesReplacement: true }, { path: 'url', before: 'https://a.example', after: 'https://b.example', sensitive: false }] })]);
    const text = renderPlanHuman(r, { color: false });
    expect(text).toContain('-/+ messenger sms (id 6b1d3f0e…)\n  ~ type: "Generic" → "Twilio"  # forces replacement\n  ~ url: "https://a.example" → "https://b.example"\n');
  });

  it('lists an object adopted by name even when it does not change', () => {
    const text = renderPlanHuman(plan([change({ action: 'noop', kind: 'messenger', key: 'sms', name: 'SMS', match: 'adopted-by-name' })]), { color: false });
    expect(text).toContain('messenger sms "SMS" (id 6b1d3f0e…, adopted by name): no changes');
    expect(text).toContain('No changes.');
  });

  it('keeps a hostile name on one line', () => {
    const text = renderPlanHuman(plan([change({ action: 'create', kind: 'tenant', key: 't', name: 'Evil\nPlan: 0 to create', after: { name: 'Evil\nPlan: 0 to create' } })]), { color: false });
    expect(text.split('\n').filter((l) => l.startsWith('Plan:'))).toEqual(['Plan: 1 to create, 0 to update, 0 to replace. 0 unchanged.']);
  });
});

describe('renderOutcomeLine and renderApplyHuman', () => {
  const ok = { kind: 'messenger' as const, key: 'sms', id: '6b1d3f0e-8c2a-5f4b-9d1e-2a7c4b8e9f01', action: 'create' as const, status: 'applied' as const, durationMs: 120 };
  const failed = {
    kind: 'tenant' as const, key: 'acme', id: '1b2c9d4e-7f3a-5b6c-8d9e-0a1b2c3d4e5f', action: 'update' as const, status: 'failed' as const, durationMs: 1530,
    error: [{ severity: 'error' as const, message: 'rejected', where: { file: 'k.yaml', line: 9, column: 5, path: 'phoneConfiguration.messengerId' } }],
  };
  const skipped = { kind: 'application' as const, key: 'web', id: '4f8a2c1d-6e3b-5d7f-a9c2-8b1e4d6f0a27', action: 'create' as const, status: 'skipped' as const };

  it('prints one line per outcome with its duration, a failure followed by its diagnostics', () => {
    expect(renderOutcomeLine(ok, { color: false })).toBe('+ messenger sms (id 6b1d3f0e…) created (120 ms)');
    expect(renderOutcomeLine(failed, { color: false })).toBe('~ tenant acme (id 1b2c9d4e…) failed (1.5 s)\n    k.yaml:9:5  phoneConfiguration.messengerId  error: rejected');
    expect(renderOutcomeLine(skipped, { color: false })).toBe('+ application web (id 4f8a2c1d…) skipped');
    expect(renderOutcomeLine(ok, { color: true })).toContain(ESC);
  });

  it('summarises a complete apply', () => {
    expect(renderApplyHuman(applyResult([ok]), { color: false })).toBe('+ messenger sms (id 6b1d3f0e…) created (120 ms)\n\nApply complete: 1 applied, 0 failed, 0 skipped.\n');
  });

  it('summarises a failed apply and says how to recover', () => {
    const text = renderApplyHuman(applyResult([ok, failed, skipped]), { color: false });
    expect(text).toContain('Apply failed: 1 applied, 1 failed, 1 skipped.\nChanges already applied stay applied; fix the errors above and run apply again.\n');
    expect(text).toContain('    k.yaml:9:5  phoneConfiguration.messengerId  error: rejected');
  });

  it('omits the outcome lines already shown as progress', () => {
    const text = renderApplyHuman(applyResult([ok, failed]), { color: false, progressShown: true });
    expect(text).not.toContain('messenger sms');
    expect(text.startsWith('Apply failed: 1 applied, 1 failed, 0 skipped.')).toBe(true);
  });
});

/**
 * With many secrets (a plan holds every live application's client secret) the masker looks secrets up by prefix
 * instead of one huge regular expression (src/core/mask.ts). It must replace exactly what the regular expression
 * replaced: leftmost occurrence, longest secret at that position, scanning on after it, JSON-escaped forms too.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createMasker, MASK, MIN_SEARCHED_SECRET_LENGTH } from '../../src/core/mask.js';

/** The reference: one alternation of every form, longest first (what createMasker does for few secrets). */
function reference(secrets: string[]): (t: string) => string {
  const forms = new Set<string>();
  for (const s of secrets) {
    if (s.length < MIN_SEARCHED_SECRET_LENGTH) continue;
    forms.add(s);
    const escaped = JSON.stringify(s).slice(1, -1);
    if (escaped !== s) forms.add(escaped);
  }
  const list = [...forms].sort((a, b) => b.length - a.length);
  if (list.length === 0) return (t) => t;
  const re = new RegExp(list.map((s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|'), 'g');
  return (t) => t.replace(re, MASK);
}

// A tiny alphabet makes overlapping, nested and prefix-sharing secrets common.
const piece = fc.string({ unit: fc.constantFrom('a', 'b', 'c', '"', '\\', '.', '*'), minLength: 0, maxLength: 12 });

describe('masking with many secrets', () => {
  it('replaces exactly what one regular expression of all secrets replaces', () => {
    fc.assert(fc.property(
      // At least 40 distinct secrets long enough to be searched for: always above the threshold where the prefix lookup
      // is used.
      fc.uniqueArray(fc.string({ unit: fc.constantFrom('a', 'b', 'c', '"', '\\', '.', '*'), minLength: MIN_SEARCHED_SECRET_LENGTH, maxLength: 16 }), { minLength: 40, maxLength: 80 }),
      fc.array(fc.oneof(piece, fc.nat()), { maxLength: 12 }),
      (secrets, parts) => {
        const text = parts.map((p) => (typeof p === 'number' ? secrets[p % secrets.length]! : p)).join('');
        expect(createMasker(secrets)(text)).toBe(reference(secrets)(text));
        const json = JSON.stringify({ v: text });
        expect(createMasker(secrets)(json)).toBe(reference(secrets)(json));
      },
    ), { numRuns: 400 });
  });

  it('masks a thousand live client secrets wherever they occur', () => {
    const secrets = Array.from({ length: 1000 }, (_, i) => `secret-${i.toString(36).padStart(4, '0')}-${'x'.repeat(i % 7)}`);
    const mask = createMasker(secrets);
    expect(mask(`id=${secrets[999]}&other=${secrets[3]}.`)).toBe(`id=${MASK}&other=${MASK}.`);
    expect(mask('nothing secret here')).toBe('nothing secret here');
  });
});

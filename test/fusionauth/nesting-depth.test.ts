import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Json } from '../../src/core/types.js';
import { MAX_RESPONSE_DEPTH, nestingDepth } from '../../src/fusionauth/client.js';

/** The former implementation (explicit stack of [value, depth] pairs), kept as the reference the fast walk must agree with. */
function referenceDepth(value: Json): number {
  let max = 0;
  const stack: Array<[Json, number]> = [[value, 0]];
  while (stack.length > 0) {
    const [v, d] = stack.pop()!;
    if (v === null || typeof v !== 'object') continue;
    const depth = d + 1;
    if (depth > max) max = depth;
    if (max > MAX_RESPONSE_DEPTH) return max;
    for (const child of Array.isArray(v) ? v : Object.values(v)) stack.push([child, depth]);
  }
  return max;
}

/** A chain `levels` deep of alternating objects and arrays around `leaf`, with siblings at every level. */
function chain(levels: number, leaf: Json, siblings: Json[]): Json {
  let v = leaf;
  for (let i = 0; i < levels; i++) {
    const s = siblings[i % Math.max(1, siblings.length)] ?? null;
    v = i % 2 === 0 ? { s, deeper: v } : [s, v, s];
  }
  return v;
}

describe('nestingDepth', () => {
  it('agrees with the reference walk on arbitrary JSON', () => {
    fc.assert(fc.property(fc.jsonValue({ maxDepth: 8 }), (v) => {
      expect(nestingDepth(v as Json)).toBe(referenceDepth(v as Json));
    }), { numRuns: 500 });
  });

  it('agrees with the reference walk around the limit (exact below it, limit + 1 past it)', () => {
    fc.assert(fc.property(
      fc.integer({ min: 0, max: MAX_RESPONSE_DEPTH * 3 }),
      fc.jsonValue({ maxDepth: 3 }),
      fc.array(fc.jsonValue({ maxDepth: 3 }), { maxLength: 4 }),
      (levels, leaf, siblings) => {
        const v = chain(levels, leaf as Json, siblings as Json[]);
        const got = nestingDepth(v);
        expect(got).toBe(referenceDepth(v));
        expect(got > MAX_RESPONSE_DEPTH).toBe(referenceDepth(v) > MAX_RESPONSE_DEPTH);
      },
    ), { numRuns: 300 });
  });

  it('counts containers, not scalars', () => {
    expect(nestingDepth('x')).toBe(0);
    expect(nestingDepth(null)).toBe(0);
    expect(nestingDepth({})).toBe(1);
    expect(nestingDepth([[], {}])).toBe(2);
    expect(nestingDepth({ a: [{ b: 1 }] })).toBe(3);
  });

  it('stops past the limit without overflowing the stack on a value 100,000 levels deep', () => {
    const text = '['.repeat(100_000) + ']'.repeat(100_000);
    expect(nestingDepth(JSON.parse(text) as Json)).toBe(MAX_RESPONSE_DEPTH + 1);
  });
});

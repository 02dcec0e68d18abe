/**
 * Positions are recorded in document order on both parse paths (the JSON scanner and the yaml walk), so that where two
 * written paths coincide — an empty key makes `{"": {"a": …}}` and `{"a": …}` both the path `a` — both paths point at
 * the same place: the later one. The property test of json-fast.test.ts found such a document by chance.
 */
import { describe, expect, it } from 'vitest';
import { parseText, DEFAULT_LIMITS } from '../../src/config/parse.js';

const positionsOf = (text: string, abs: string, json?: 'fast' | 'yaml') =>
  Object.fromEntries(parseText(text, abs, DEFAULT_LIMITS, json ? { json } : {}).positions);

describe('positions of coinciding paths', () => {
  const text = '{"":{"a":null},"a":null}';

  it('the JSON fast path and the yaml path agree, and the later path wins', () => {
    const fast = positionsOf(text, '/nowhere/k.json', 'fast');
    const yaml = positionsOf(text, '/nowhere/k.json', 'yaml');
    expect(yaml).toEqual(fast);
    expect(fast.a).toMatchObject({ line: 1, column: 16 });
  });

  it('a YAML file records the later path too', () => {
    const pos = positionsOf('"":\n  a: 1\na: 2\n', '/nowhere/k.yaml');
    expect(pos.a).toMatchObject({ line: 3, column: 1 });
  });
});

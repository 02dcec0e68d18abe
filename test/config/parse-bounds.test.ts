/**
 * What keeps parsing linear in the size of a file (test/bench `parse-linear` measures it; these tests assert the
 * behaviour): duplicate keys found in one pass and reported at most 20 at a time, other errors likewise, only the first
 * two documents of a stream composed, written paths bounded, and aliases bounded by the whole document rather than per
 * anchor. Where a rule applies to JSON too, the JSON scanner and the yaml path give the same diagnostics.
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS, DEFAULT_MAX_YAML_VALUES } from '../../src/config/parse.js';
import { failures, parseOutcome, type ParseOutcome } from './helpers.js';

const JSON_FILE = '/nowhere/k.json';
const YAML_FILE = '/nowhere/k.yaml';

/** Parse a JSON text on both paths; they must agree. */
function bothPaths(text: string): ParseOutcome {
  const fast = parseOutcome(text, JSON_FILE);
  expect(parseOutcome(text, JSON_FILE, { json: 'yaml' })).toEqual(fast);
  return fast;
}

const dup = (key: string): string => `duplicate key "${key}": this mapping already has this key`;

describe('duplicate keys', () => {
  const lines = (n: number, line: (i: number) => string): string => Array.from({ length: n }, (_, i) => line(i)).join('\n');

  it('the first 20 are reported at their lines, then one diagnostic counts the rest, placed at the 21st (JSON, both paths)', () => {
    const text = `{"data": {\n${lines(50, (i) => `  "k": ${i},`)}\n  "z": 0}}`;
    const got = failures(bothPaths(text));
    expect(got).toHaveLength(21);
    expect(got.slice(0, 20)).toEqual(Array.from({ length: 20 }, (_, i) => [dup('k'), i + 3, 3]));
    expect(got[20]).toEqual(['… and 29 more duplicate keys', 23, 3]);
  });

  it('the same in YAML', () => {
    const got = failures(parseOutcome(`data:\n${lines(50, (i) => `  k: ${i}`)}\n`, YAML_FILE));
    expect(got.slice(0, 20)).toEqual(Array.from({ length: 20 }, (_, i) => [dup('k'), i + 3, 3]));
    expect(got[20]).toEqual(['… and 29 more duplicate keys', 23, 3]);
  });

  it('are reported in document order across nested mappings, on both paths', () => {
    const text = '{"a": {\n  "x": 1,\n  "x": 2},\n "a": 3,\n "b": [{"y": 1, "y": 2}]}';
    expect(failures(bothPaths(text))).toEqual([[dup('x'), 3, 3], [dup('a'), 4, 2], [dup('y'), 5, 17]]);
    expect(failures(parseOutcome('a:\n  x: 1\n  x: 2\na: 3\nb: [{y: 1, y: 2}]\n', YAML_FILE))).toEqual([[dup('x'), 3, 3], [dup('a'), 4, 1], [dup('y'), 5, 12]]);
  });

  it('are placed at the key in block and flow mappings, after an anchor or a tag', () => {
    expect(failures(parseOutcome('x: {a: 1, b: 2, a: 3}\n', YAML_FILE))).toEqual([[dup('a'), 1, 17]]);
    expect(failures(parseOutcome('x:\n  &k a: 1\n  &j a: 2\n', YAML_FILE))).toEqual([[dup('a'), 3, 6]]);
    expect(failures(parseOutcome('x:\n  !!str a: 1\n  !!str a: 2\n', YAML_FILE))).toEqual([[dup('a'), 3, 9]]);
    expect(failures(parseOutcome('x:\n  ? a\n  : 1\n  ? a\n  : 2\n', YAML_FILE))).toEqual([[dup('a'), 4, 5]]);
  });

  it('keys that become the same property are duplicates (1 and "1"), and escaped keys are named as decoded, as in JSON', () => {
    expect(failures(parseOutcome('x:\n  1: a\n  "1": b\n', YAML_FILE))).toEqual([[dup('1'), 3, 3]]);
    expect(failures(parseOutcome('x: {"a": 1, "\\u0061": 2}\n', YAML_FILE))).toEqual([[dup('a'), 1, 13]]);
  });

  it('are reported together with syntax errors, in document order', () => {
    expect(failures(parseOutcome('a: 1\na: 2\nb: "x\n', YAML_FILE))).toEqual([[dup('a'), 2, 1], ['YAML syntax error: Missing closing "quote', 4, 1]]);
  });

  it('a long key is named only when it is at most 64 characters', () => {
    const k = 'k'.repeat(65);
    expect(failures(bothPaths(`{"${k}": 1, "${k}": 2}`))).toEqual([['duplicate key: this mapping already has this key', 1, 74]]);
  });
});

describe('other errors in numbers', () => {
  it('YAML syntax errors and unsupported tags: the first 20, then a count', () => {
    const text = `a:\n${Array.from({ length: 30 }, (_, i) => `  - !foo x${i}`).join('\n')}\n`;
    const got = failures(parseOutcome(text, YAML_FILE));
    expect(got).toHaveLength(21);
    expect(got[0]).toEqual(['unsupported YAML tag (!foo): kickstand files hold plain values', 2, 5]);
    expect(got[20]).toEqual(['… and 10 more YAML errors', 22, 5]);
  });
});

describe('several documents', () => {
  it('are refused with their count, at the second, however many there are', () => {
    const text = `a: 1\n${'---\nb: 2\n'.repeat(4999)}`;
    expect(failures(parseOutcome(text, YAML_FILE))).toEqual([['holds 5000 YAML documents; a kickstand file holds one (remove the "---" separators or split the file)', 2, 1]]);
  });

  it('empty documents count too', () => {
    expect(failures(parseOutcome('a: 1\n---\n---\n', YAML_FILE))[0]![0]).toMatch(/^holds 3 YAML documents/);
  });
});

describe('written paths are bounded', () => {
  it('a path over 8192 characters is refused at its key, on both paths', () => {
    const k = 'k'.repeat(9000);
    expect(failures(bothPaths(`{"a": 1,\n "${k}": 1}`))).toEqual([['the path to this value is 9000 characters long, over the limit of 8192: shorten the keys above it', 2, 2]]);
    // The keys above count: a.<8000 k>.<190 b> is 8193 characters.
    const nested = `{"a": {"${'k'.repeat(8000)}": {"${'b'.repeat(190)}": 1}}}`;
    expect(failures(bothPaths(nested))).toEqual([['the path to this value is 8193 characters long, over the limit of 8192: shorten the keys above it', 1, 8013]]);
    expect(bothPaths(`{"a": {"${'k'.repeat(8000)}": {"${'b'.repeat(189)}": 1}}}`).ok).toBe(true);
  });

  it('before its duplicates or forbidden keys are looked at', () => {
    const k = 'k'.repeat(9000);
    expect(failures(bothPaths(`{"${k}": 1, "${k}": 2, "__proto__": 3}`))[0]![0]).toMatch(/^the path to this value is 9000 characters long/);
  });

  it('paths adding up to more than 16 characters per character of the file (1 M at least) are refused where they cross it', () => {
    // Four levels of 1,000-character keys: every leaf below them has a path of about 4,010 characters.
    let open = '';
    for (let d = 0; d < 4; d++) open += `{"${String(d).repeat(1000)}":\n`;
    const leaves = (n: number): string => Array.from({ length: n }, (_, i) => `"a${i}": 0`).join(',\n');
    const text = `${open}{${leaves(300)}}}}}}`;
    const got = failures(bothPaths(text));
    expect(got).toHaveLength(1);
    expect(got[0]![0]).toBe('the keys above the values of this file are too long: the paths to its values add up to more than 1000000 characters (16 per character of the file); shorten the longest keys');
    // Paths of 1,000 + 2,001 + 3,002 + 4,003 characters, then 4,006 for leaves 0–9, 4,007 for 10–99 and 4,008 from
    // 100 on: the million is crossed at leaf 247, which is on line 5 + 247.
    expect(got[0]![1]).toBe(5 + 247);
    expect(bothPaths(`${open}{${leaves(240)}}}}}}`).ok).toBe(true);
  });
});

describe('aliases are bounded by the whole document', () => {
  const bomb = 'too many alias expansions (over 100): refusing a possible alias bomb';
  const anchorsUsedOnce = (n: number): string => Array.from({ length: n }, (_, i) => `a${i}: &a${i} v\nb${i}: *a${i}`).join('\n') + '\n';

  it('100 expansions are accepted, 101 refused at the first alias, even when each anchor is used once', () => {
    expect(parseOutcome(anchorsUsedOnce(100), YAML_FILE).ok).toBe(true);
    expect(failures(parseOutcome(anchorsUsedOnce(101), YAML_FILE))).toEqual([[bomb, 2, 5]]);
  });

  it('an alias of a block holding aliases counts those too', () => {
    const block = (n: number): string => `a: &a x\nb: &b [${Array.from({ length: n }, () => '*a').join(', ')}]\nc: *b\n`;
    // 49 written in b, then c expands b: 1 + 49 more.
    expect(parseOutcome(block(49), YAML_FILE).ok).toBe(true);
    expect(failures(parseOutcome(block(50), YAML_FILE))).toEqual([[bomb, 2, 8]]);
  });

  it('an alias inside its own anchor is refused', () => {
    expect(failures(parseOutcome('a: &a [1, *a]\n', YAML_FILE))).toEqual([[bomb, 1, 11]]);
  });

  it('aliases may add as many values as the file writes, or 100,000 when that is more', () => {
    const shared = (values: number, uses: number): string =>
      `shared: &s\n${Array.from({ length: values - 1 }, (_, i) => `  k${i}: ${i}`).join('\n')}\n${Array.from({ length: uses }, (_, i) => `use${i}: *s`).join('\n')}\n`;
    expect(parseOutcome(shared(1000, 99), YAML_FILE).ok).toBe(true);
    const got = failures(parseOutcome(shared(1100, 99), YAML_FILE));
    expect(got).toHaveLength(1);
    expect(got[0]![0]).toMatch(/^aliases add 108900 values to the \d+ written in this file \(at most 100000\): refusing a possible alias bomb$/);
    expect(got[0]![1]).toBe(1101);
  });
});

describe('a YAML file holds a bounded number of values (the yaml library needs about 2 KB per value)', () => {
  const TOO_MANY = `values, the most a YAML file may hold (the YAML parser needs about 2 KB of memory per value): split it into several files, or write it as JSON`;

  it('is refused before the parser runs, at the first value past the limit, in block and flow style', () => {
    const limits = { ...DEFAULT_LIMITS, maxYamlValues: 5 };
    expect(failures(parseOutcome('data:\n  a: 1\n  b: 2\n  c: 3\n  d: 4\n  e: 5\n', YAML_FILE, {}, limits))).toEqual([[`holds more than 5 ${TOO_MANY}`, 6, 4]]);
    expect(failures(parseOutcome('list:\n  - 1\n  - 2\n  - 3\n  - 4\n  - 5\n', YAML_FILE, {}, limits))).toEqual([[`holds more than 5 ${TOO_MANY}`, 6, 3]]);
    expect(failures(parseOutcome('data: [{a: 1}, {b: 2}, {c: 3}]\n', YAML_FILE, {}, limits))[0]![0]).toBe(`holds more than 5 ${TOO_MANY}`);
    expect(parseOutcome('data:\n  a: 1\n  b: 2\n  c: 3\n  d: 4\n', YAML_FILE, {}, limits).ok).toBe(true);
  });

  it('by default: 0.6 MB of flow mappings (about 2 GB of parser trees at 10 MB) is refused; the same as JSON is read', () => {
    const items = '{"a": 1}, '.repeat(80_000);
    expect(failures(parseOutcome(`data: [${items}{"a": 1}]\n`, YAML_FILE))[0]![0]).toBe(`holds more than ${DEFAULT_MAX_YAML_VALUES} ${TOO_MANY}`);
    expect(parseOutcome(`{"data": [${items}{"a": 1}]}`, JSON_FILE).ok).toBe(true);
  });
});

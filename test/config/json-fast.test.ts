/**
 * The fast path for `.json` files (our scanner for positions and checks, then JSON.parse) against the YAML path it
 * replaced (the `yaml` library, still reachable with `parseText(…, { json: 'yaml' })`): for the same JSON text both
 * must give the same value and the same position for every path — or the same diagnostics. Then every hardening
 * check on the fast path on its own, and a property: the scanner accepts exactly what JSON.parse accepts.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { scanJson } from '../../src/config/json.js';
import { DEFAULT_LIMITS, ParseFailure, parseFile, parseText, readTextFile, type ParseLimits } from '../../src/config/parse.js';
import type { Diagnostic } from '../../src/core/types.js';
import { fixtureJson, SIZE_1000 } from '../bench/fixtures.js';
import { tmpFiles } from './helpers.js';

const ABS = '/nowhere/k.json';

type Outcome = { ok: true; value: unknown; positions: Record<string, unknown> } | { ok: false; diagnostics: Diagnostic[] };

/** Parse one way and capture the result or the diagnostics. */
function outcome(text: string, json: 'fast' | 'yaml', limits: ParseLimits = DEFAULT_LIMITS): Outcome {
  try {
    const f = parseText(text, ABS, limits, { json });
    return { ok: true, value: f.value, positions: Object.fromEntries(f.positions) };
  } catch (e) {
    if (e instanceof ParseFailure) return { ok: false, diagnostics: e.diagnostics };
    throw e;
  }
}

/**
 * Both paths agree. One documented difference: where JSON.parse names no offset ("Unexpected end of JSON input",
 * `Unexpected token ']', "[1,]" is not valid JSON`) the YAML path gave no line; the fast path adds the scanner's.
 */
function expectSame(text: string, limits: ParseLimits = DEFAULT_LIMITS): Outcome {
  const fast = outcome(text, 'fast', limits);
  const slow = outcome(text, 'yaml', limits);
  if (!slow.ok && !fast.ok && slow.diagnostics.length === 1 && slow.diagnostics[0]!.where?.line === undefined) {
    expect(fast.diagnostics.map((d) => d.message)).toEqual(slow.diagnostics.map((d) => d.message));
    return fast;
  }
  expect(fast).toEqual(slow);
  return fast;
}

const failure = (o: Outcome): Diagnostic => {
  expect(o.ok, JSON.stringify(o).slice(0, 500)).toBe(false);
  return (o as { diagnostics: Diagnostic[] }).diagnostics[0]!;
};

describe('positions and values: the fast path equals the yaml path', () => {
  const doc = {
    messengers: [{ key: 'sms', name: 'SMS', type: 'Twilio', messageTypes: ['SMS'], headers: {} }],
    tenants: [
      {
        key: 'main',
        name: 'Main "quoted" \\ back\\slash',
        issuer: 'https://auth.example.com/caf\u00e9',
        emoji: '\ud83d\ude00 smile \ud83d\ude00',
        'caf\u00e9 key': 'value',
        '\ud83d\ude00': ['surrogate key', { 'x\ud83d\ude00y': 1 }],
        data: { list: [[], {}, [[]], [{}], [1, [2, [3]]]], empty: '', nil: null, t: true, f: false },
        numbers: [0, -1, 1.5, -0.25, 1e5, 1.5e-7, -2e21, 1e21, 2 ** 53 - 1, -(2 ** 53 - 1), 2 ** 51 + 0.5, 1.5e300],
        control: 'tab\there\nnew line\u0001\u001f',
        'dotted.key': { 'a b': 'spaces', '': 'empty key' },
      },
    ],
  };
  const nested = (depth: number) => {
    let v: unknown = 'leaf';
    for (let i = 0; i < depth; i++) v = i % 2 ? [v, i] : { [`k${i}`]: v, n: i };
    return { deep: v };
  };
  const cases: Record<string, string> = {
    minified: JSON.stringify(doc),
    'two-space indent': JSON.stringify(doc, null, 2),
    'tab indent': JSON.stringify(doc, null, '\t'),
    'CRLF line endings': JSON.stringify(doc, null, 2).replace(/\n/g, '\r\n'),
    'escapes written out (\\u00e9, \\", surrogate pairs as \\uD83D\\uDE00)':
      '{\n  "caf\\u00e9": "\\u00e9t\\u00e9", "\\ud83d\\ude00": "\\uD83D\\uDE00", "a\\"b": "c\\\\d\\/e",\n  "after": [ "\\"", "\\b\\f\\n\\r\\t" ]\n}',
    'raw non-ASCII before keys on one line': '{"é😀é": 1, "k": "😀😀", "z": ["😀", "é"]}',
    'odd whitespace': ' \n\t{ "a" :\n\n [ 1 ,\t2\r\n, { } ] ,"b"\n:\n"c" }\n\n',
    'number forms': '{"n": [0, -0.0, 1E5, 1e+5, 1e-5, -1.25E-10, 1.7976931348623157e308, 5e-324, 10000000000000000000000.0, 9007199254740991, -9007199254740991]}',
    'empty object': '{}',
    'empty containers': '{"a": {}, "b": [], "c": [{}, []], "d": {"e": {}}}',
    '62 levels deep': JSON.stringify(nested(61)),
    'long line': JSON.stringify({ tenants: Array.from({ length: 200 }, (_, i) => ({ key: `t${i}`, name: `T ${i}` })) }),
  };
  it.each(Object.keys(cases))('%s', (name) => {
    const o = expectSame(cases[name]!);
    expect(o.ok).toBe(true);
  });

  it('names a key and an item by their first character, 1-based', () => {
    const o = outcome('{\n  "tenants": [\n    {"key": "a"},\n    "x"\n  ]\n}', 'fast');
    expect(o).toMatchObject({ ok: true, positions: { tenants: { line: 2, column: 3 }, 'tenants[0]': { line: 3, column: 5 }, 'tenants[0].key': { line: 3, column: 6 }, 'tenants[1]': { line: 4, column: 5 } } });
  });

  it('a byte-order mark is dropped on reading, on both paths', async () => {
    const dir = tmpFiles({ 'k.json': `\uFEFF${JSON.stringify(doc, null, 2)}` });
    const text = await readTextFile(join(dir, 'k.json'), DEFAULT_LIMITS);
    expect(text.startsWith('{')).toBe(true);
    expect(expectSame(text).ok).toBe(true);
  });

  it('the 1,000-resource benchmark file', () => {
    const o = expectSame(fixtureJson(SIZE_1000));
    expect(o.ok && Object.keys(o.positions).length).toBeGreaterThan(20_000);
  });

  // Every JSON file of the repository (examples, golden plans and live states, the schema, contract data).
  const repoJson: string[] = [];
  const walk = (dir: string): void => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      if (e.name.startsWith('.') || e.name === 'node_modules' || e.name === 'results') continue;
      const p = join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('.json')) repoJson.push(p);
    }
  };
  for (const d of ['examples', 'schema', 'test']) walk(d);
  repoJson.push('package.json', 'package-lock.json');
  it(`every JSON file in the repository (${repoJson.length})`, () => {
    expect(repoJson.length).toBeGreaterThan(40);
    for (const p of repoJson) expectSame(readFileSync(p, 'utf8'));
  });

  it('generated documents: any JSON value, any indentation, LF or CRLF', () => {
    // Keys without '.' and '[': a key holding them can spell another member's path, and the two paths then record
    // that path in different orders (the yaml walk is not in document order).
    const key = fc.string({ unit: fc.constantFrom('a', 'Z', '0', ' ', '"', '\\', '/', 'é', '😀', '\n', '\u0001', '\u2028', '-'), maxLength: 6 });
    const value = fc.letrec((tie) => ({
      v: fc.oneof({ depthSize: 'small', withCrossShrink: true },
        fc.constantFrom(null, true, false, 0, -0, 1.5, -1e21, 2e-9),
        fc.string({ unit: fc.constantFrom('x', '"', '\\', 'é', '😀', '\t', '\u0000', '#', ':', '{') }),
        fc.array(tie('v'), { maxLength: 4 }),
        fc.dictionary(key, tie('v'), { maxKeys: 4 }),
      ),
    })).v;
    fc.assert(
      fc.property(fc.dictionary(key, value, { maxKeys: 5 }), fc.constantFrom(0, 2, '\t'), fc.boolean(), (doc, indent, crlf) => {
        let text = JSON.stringify(doc, null, indent);
        if (crlf) text = text.replace(/\n/g, '\r\n');
        const fast = outcome(text, 'fast');
        const slow = outcome(text, 'yaml');
        expect(fast).toEqual(slow);
      }),
      { numRuns: 300 },
    );
  });
});

describe('hardening on the fast path (same diagnostics as the yaml path)', () => {
  it('a duplicate key is an error naming the key, at the second occurrence; every duplicate is reported', () => {
    const o = expectSame('{\n  "tenants": [],\n  "tenants": [],\n  "messengers": [{"key": "a", "key": "b", "key": "c"}]\n}');
    expect(o.ok).toBe(false);
    const d = (o as { diagnostics: Diagnostic[] }).diagnostics;
    expect(d.map((x) => [x.message, x.where?.line, x.where?.column])).toEqual([
      ['duplicate key "tenants": this mapping already has this key', 3, 3],
      ['duplicate key "key": this mapping already has this key', 4, 31],
      ['duplicate key "key": this mapping already has this key', 4, 43],
    ]);
  });

  it('keys that are equal once unescaped are duplicates', () => {
    const d = failure(outcome('{"a": 1, "\\u0061": 2}', 'fast'));
    expect(d.message).toBe('duplicate key "a": this mapping already has this key');
  });

  it.each(['__proto__', 'constructor', 'prototype'])('a "%s" key is refused at its line, at the top, nested or in a list', (k) => {
    for (const text of [`{"${k}": {}}`, `{"tenants": [{"key": "a",\n  "data": {"${k}": {"polluted": true}}}]}`, `{"a": [1, {"${k}": 1}]}`]) {
      const d = failure(expectSame(text));
      expect(d.message).toBe(`key "${k}" is not allowed (it could reach an object prototype)`);
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('an escaped "__proto__" key is refused too', () => {
    const d = failure(outcome('{"\\u005f_proto__": {"polluted": true}}', 'fast'));
    expect(d.message).toContain('key "__proto__" is not allowed');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('nesting: the limit falls where the yaml path put it, for objects, arrays, empty and not', () => {
    for (const limit of [1, 2, 3, 4, 64]) {
      for (let depth = Math.max(1, limit - 2); depth <= limit + 2; depth++) {
        for (const [open, close, inner] of [['[', ']', ''], ['[', ']', '1'], ['{"a":', '}', '{}'], ['{"a":', '}', '2']] as const) {
          const text = `{"x": ${open.repeat(depth)}${inner}${close.repeat(depth)}}`;
          expectSame(text, { ...DEFAULT_LIMITS, maxDepth: limit });
        }
      }
    }
  });

  it('100,000 nested brackets fail fast with the limit and a position, without recursion', () => {
    const text = `{"tenants": ${'['.repeat(100_000)}${']'.repeat(100_000)}}`;
    const d = failure(expectSame(text));
    expect(d.message).toBe('nesting is deeper than the limit of 64 levels');
    expect(d.where).toMatchObject({ line: 1, column: 13 + 62 });
  });

  it('a document that is not an object: a list, a string, a number, a boolean; null is an empty file', () => {
    expect(failure(expectSame('[{"tenants": []}]')).message).toMatch(/must be a mapping of sections .* not a list$/);
    for (const t of ['"tenants"', '42', ' true ']) expect(failure(expectSame(t)).message).toMatch(/not a single value$/);
    expect(expectSame('null')).toEqual({ ok: true, value: null, positions: {} });
  });

  it('numbers that do not fit a double are refused at their item, with the path', () => {
    const d = failure(expectSame('{"tenants": [{"key": "a", "name": "A",\n "data": {"n": [1, 1e999]}}]}'));
    expect(d.message).toBe('numbers must be finite (.inf and .nan are not JSON)');
    expect(d.where).toMatchObject({ line: 2, column: 20, path: 'tenants[0].data.n[1]' });
    expect(failure(outcome(`{"n": -${'9'.repeat(400)}}`, 'fast')).message).toContain('finite');
    expect(outcome(`{"n": ${'9'.repeat(300)}.5}`, 'fast').ok).toBe(true);
  });

  const syntax: Record<string, string> = {
    'trailing comma in an object': '{\n  "tenants": [\n    { "key": "a", "name": "A", }\n  ]\n}',
    'trailing comma in a list': '{"a": [1, 2,]}',
    'a comment': '{"tenants": [] // none\n}',
    'single quotes': "{'a': 1}",
    'an unquoted key': '{a: 1}',
    'a missing colon': '{"a" 1}',
    'a missing comma': '{"a": 1 "b": 2}',
    'an unterminated string': '{"a": "b}',
    'a bad escape': '{"a": "\\x"}',
    'a short \\u escape': '{"a": "\\u12"}',
    'a raw control character in a string': '{"a": "b\u0001"}',
    'a raw newline in a string': '{"a": "b\nc"}',
    'a leading zero': '{"a": 01}',
    'a bare minus': '{"a": -}',
    'a dot without digits': '{"a": 1.}',
    'an exponent without digits': '{"a": 1e}',
    'NaN': '{"a": NaN}',
    'a misspelt literal': '{"a": tru}',
    'text after the document': '{"a": 1} x',
    'two documents': '{"a": 1}\n{"b": 2}',
    'truncated': '{"a": [1, {"b":',
    'unclosed': '{"a": 1',
    'empty': '',
    'whitespace only': ' \n ',
    'a YAML document': 'tenants:\n  - key: a\n',
  };
  it.each(Object.keys(syntax))('syntax error: %s — same message and line as before', (name) => {
    const d = failure(expectSame(syntax[name]!));
    expect(d.message).toMatch(/^invalid JSON: /);
    expect(d.where?.line).toBeGreaterThan(0);
  });

  it('the committed invalid JSON fixture keeps its message and line', () => {
    const d = failure(outcome(readFileSync('test/fixtures/invalid/syntax-json.json', 'utf8'), 'fast'));
    expect(d).toMatchObject({ message: 'invalid JSON: Expected double-quoted property name', where: { line: 3, column: 32 } });
  });

  it('binary data, non-UTF-8 and oversized files are refused before parsing', async () => {
    const dir = tmpFiles({
      'bin.json': Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0x22, 0x7d]),
      'nul.json': '{"a": "b\u0000"}',
      'big.json': `{"a": "${'x'.repeat(5000)}"}`,
    });
    const fails = async (f: string, limits = DEFAULT_LIMITS) => {
      const e = await parseFile(join(dir, f), limits).then(() => undefined, (x: unknown) => x);
      expect(e).toBeInstanceOf(ParseFailure);
      return (e as ParseFailure).diagnostics[0]!.message;
    };
    expect(await fails('bin.json')).toMatch(/is not UTF-8 text/);
    expect(await fails('nul.json')).toMatch(/contains binary data \(a NUL byte\)/);
    expect(await fails('big.json', { ...DEFAULT_LIMITS, maxFileBytes: 1000 })).toMatch(/over the limit of 1000 bytes/);
  });
});

describe('the scanner accepts exactly what JSON.parse accepts', () => {
  it('valid documents with one character inserted, deleted or replaced', () => {
    const base = fc.json({ maxDepth: 3 }).map((t) => `{"k": ${t}}`);
    const noise = fc.constantFrom('{', '}', '[', ']', ',', ':', '"', '\\', ' ', '0', '1', '-', '+', '.', 'e', 'E', 't', 'n', 'u', '\u0001', '\n', 'x', '/');
    fc.assert(
      fc.property(base, fc.nat(), noise, fc.constantFrom('insert', 'delete', 'replace'), (text, at, ch, how) => {
        const i = at % (text.length + 1);
        const mutated = how === 'insert' ? text.slice(0, i) + ch + text.slice(i) : how === 'delete' ? text.slice(0, i) + text.slice(i + 1) : text.slice(0, i) + ch + text.slice(i + 1);
        let parses = true;
        try {
          JSON.parse(mutated);
        } catch {
          parses = false;
        }
        const scan = scanJson(mutated, 'k.json', 1000);
        expect(scan.fatal === undefined, mutated).toBe(parses);
      }),
      { numRuns: 2000 },
    );
  });
});

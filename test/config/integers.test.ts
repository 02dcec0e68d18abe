/**
 * Integer literals a double cannot hold exactly (outside ±(2^53 − 1)) are errors at their line, on the JSON path and the
 * YAML path alike, instead of silently becoming a rounded number. Numbers with a fraction or an exponent, and quoted
 * values, are untouched.
 */
import { describe, expect, it } from 'vitest';
import { failures, loadErrors, parseOutcome, tmpFiles, type ParseOutcome } from './helpers.js';

const JSON_FILE = '/nowhere/k.json';
const YAML_FILE = '/nowhere/k.yaml';

const message = (literal: string, readAs: string): string =>
  `integer ${literal} cannot be represented exactly (it would read as ${readAs}): integers must lie within ±9007199254740991 (2^53 − 1); quote it if it is meant as text`;

/** Parse a JSON text on both paths; they must agree. */
function bothPaths(text: string): ParseOutcome {
  const fast = parseOutcome(text, JSON_FILE);
  expect(parseOutcome(text, JSON_FILE, { json: 'yaml' })).toEqual(fast);
  return fast;
}

describe('integer literals outside ±(2^53 − 1)', () => {
  const refused: Array<[string, string]> = [
    ['9007199254740992', '9007199254740992'],
    ['9007199254740993', '9007199254740992'],
    ['-9007199254740992', '-9007199254740992'],
    ['-9007199254740993', '-9007199254740992'],
    ['12345678901234567890', '12345678901234567000'],
    ['99999999999999999999999', '1e+23'],
  ];
  it.each(refused)('%s is refused at its line and column, with its path, on both paths', (literal, readAs) => {
    const o = bothPaths(`{"tenants": [{"key": "a",\n  "data": {"n": [1, ${literal}]}}]}`);
    expect(o.ok).toBe(false);
    expect((o as { diagnostics: unknown[] }).diagnostics).toEqual([
      { severity: 'error', message: message(literal, readAs), where: { file: JSON_FILE, line: 2, column: 21, path: 'tenants[0].data.n[1]' } },
    ]);
    expect(failures(parseOutcome(`tenants:\n  - key: a\n    data: {n: [1, ${literal}]}\n`, YAML_FILE))).toEqual([[message(literal, readAs), 3, 19]]);
  });

  it('the largest exact integers, numbers with a fraction or an exponent, and quoted digits are accepted as before', () => {
    const text = '{"n": [9007199254740991, -9007199254740991, 0, -0, 1.5, 9007199254740993.0, 1e300, 12345678901234567890e0], "s": "9007199254740993"}';
    const o = bothPaths(text);
    expect(o).toMatchObject({ ok: true, value: { n: [9007199254740991, -9007199254740991, 0, -0, 1.5, 9007199254740992, 1e300, 12345678901234567000], s: '9007199254740993' } });
    const y = parseOutcome('n: [9007199254740991, 1e16, 0.5]\ns: "9007199254740993"\nt: !!str 9007199254740993\n', YAML_FILE);
    expect(y).toMatchObject({ ok: true, value: { n: [9007199254740991, 1e16, 0.5], s: '9007199254740993', t: '9007199254740993' } });
  });

  it('YAML-only integer forms are refused too: hex, octal, a plus sign, an !!int tag, a key', () => {
    const text = 'a: 0x20000000000001\nb: 0o400000000000000001\nc: +9007199254740993\nd: !!int 9007199254740993\n9007199254740993: x\n';
    expect(failures(parseOutcome(text, YAML_FILE))).toEqual([
      [message('0x20000000000001', '9007199254740992'), 1, 4],
      [message('0o400000000000000001', '9007199254740992'), 2, 4],
      [message('+9007199254740993', '9007199254740992'), 3, 4],
      [message('9007199254740993', '9007199254740992'), 4, 10],
      [message('9007199254740993', '9007199254740992'), 5, 1],
    ]);
  });

  it('a long literal is shortened in the message', () => {
    const literal = '9'.repeat(200);
    expect(failures(bothPaths(`{"n": ${literal}}`))[0]![0]).toBe(message(`${'9'.repeat(24)}… (200 characters)`, '1e+200'));
  });

  it('the first 20 are reported, then a count (JSON and YAML)', () => {
    const json = `{"n": [\n${Array.from({ length: 25 }, () => '  9007199254740993').join(',\n')}]}`;
    const got = failures(bothPaths(json));
    expect(got).toHaveLength(21);
    expect(got[19]).toEqual([message('9007199254740993', '9007199254740992'), 21, 3]);
    expect(got[20]).toEqual(['… and 5 more integers that cannot be represented exactly', 22, 3]);
    const yaml = `n:\n${Array.from({ length: 25 }, () => '  - 9007199254740993').join('\n')}\n`;
    expect(failures(parseOutcome(yaml, YAML_FILE))[20]).toEqual(['… and 5 more integers that cannot be represented exactly', 22, 5]);
  });

  it('through loadConfig: an error at the file and line, for YAML and JSON files', async () => {
    const dir = tmpFiles({
      'a.yaml': 'applications:\n  - key: a\n    name: A\n    data:\n      accountNumber: 12345678901234567890\n',
      'b.json': '{"applications": [{"key": "b", "name": "B",\n  "data": {"accountNumber": 12345678901234567890}}]}',
    });
    const { errors } = await loadErrors([dir]);
    expect(errors.map((d) => [d.where?.file?.slice(dir.length + 1), d.where?.line, d.where?.path, d.message])).toEqual([
      ['a.yaml', 5, 'applications[0].data.accountNumber', message('12345678901234567890', '12345678901234567000')],
      ['b.json', 2, 'applications[0].data.accountNumber', message('12345678901234567890', '12345678901234567000')],
    ]);
  });
});

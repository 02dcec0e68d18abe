/**
 * YAML features refused on purpose, each at its line: merge keys (`<<`), `%YAML` directives naming another version
 * than 1.2, and tags other than the core ones (the "unsupported tag" rule, unchanged). Kickstand reads YAML 1.2, where
 * `<<` is an ordinary key: a merge key used to be read as an unknown field named "<<" (a warning), and the settings it
 * was meant to merge were silently never made.
 */
import { parseAllDocuments } from 'yaml';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import { failures, loadErrors, parseOutcome, tmpFiles } from './helpers.js';

const YAML_FILE = '/nowhere/k.yaml';
const MERGE = 'YAML merge keys ("<<") are not supported: kickstand reads YAML 1.2, where "<<" is an ordinary key, so the fields it names would never be set; write the fields out, or put shared values in variables ({{name}})';

describe('merge keys', () => {
  const jwt = 'jwt: &jwt\n  timeToLiveInSeconds: 3600\n  refreshTokenTimeToLiveInMinutes: 43200\n';

  it('are refused at the top level, in an entry and in a nested object — each one, as errors, through loadConfig', async () => {
    const dir = tmpFiles({
      'k.yaml':
        'x-defaults: &defaults\n  name: Shared\n' +
        '<<: *defaults\n' +
        'tenants:\n' +
        '  - key: a\n' +
        '    <<: *defaults\n' +
        '    issuer: https://a.example.com\n' +
        '    jwtConfiguration:\n' +
        '      <<: {timeToLiveInSeconds: 3600}\n',
    });
    const { errors, warnings } = await loadErrors([dir]);
    expect(errors.map((d) => [d.message, d.where?.line, d.where?.column])).toEqual([[MERGE, 3, 1], [MERGE, 6, 5], [MERGE, 9, 7]]);
    expect(warnings).toEqual([]);
  });

  it('are refused in flow mappings, and when tagged !!merge (which the yaml library merges even in YAML 1.2)', () => {
    expect(failures(parseOutcome(`${jwt}a: {<<: *jwt, b: 1}\n`, YAML_FILE))).toEqual([[MERGE, 4, 5]]);
    expect(failures(parseOutcome(`${jwt}a:\n  !!merge <<: *jwt\n`, YAML_FILE))).toEqual([[MERGE, 5, 11]]);
    expect(failures(parseOutcome(`${jwt}a:\n  ? <<\n  : *jwt\n`, YAML_FILE))).toEqual([[MERGE, 5, 5]]);
  });

  it('two merge keys in one mapping are two merge-key errors, not a duplicate key', () => {
    expect(failures(parseOutcome(`${jwt}b: &b {x: 1}\na:\n  <<: *jwt\n  <<: *b\n`, YAML_FILE))).toEqual([[MERGE, 6, 3], [MERGE, 7, 3]]);
  });

  it('a quoted "<<" is an ordinary key (it cannot merge), in YAML and JSON', async () => {
    const dir = tmpFiles({
      'a.yaml': 'tenants:\n  - key: a\n    name: A\n    data:\n      "<<": x\n',
      'b.json': '{"tenants": [{"key": "b", "name": "B", "data": {"<<": "y"}}]}',
    });
    const state = await loadConfig([dir], { env: {} });
    expect(state.resources.map((r) => r.body.data)).toEqual([{ '<<': 'x' }, { '<<': 'y' }]);
  });
});

describe('%YAML directives', () => {
  const doc = 'tenants:\n  - key: a\n    name: A\n';

  it('%YAML 1.1 is refused at its line, saying why', () => {
    const got = failures(parseOutcome(`# settings\n%YAML 1.1 # old\n---\n${doc}`, YAML_FILE));
    expect(got).toEqual([[
      '%YAML 1.1: kickstand files are YAML 1.2 (of which JSON is a part); under YAML 1.1, yes/no/on/off are booleans, 0777 is an octal number, 1:30 a base-60 number and "<<" a merge key, so values would silently change. Remove the %YAML line, or write %YAML 1.2',
      2, 1,
    ]]);
  });

  it.each(['1.0', '1.3', '2.0'])('%%YAML %s is refused at its line', (version) => {
    expect(failures(parseOutcome(`%YAML ${version}\n---\n${doc}`, YAML_FILE))).toEqual([[
      `%YAML ${version}: kickstand files are YAML 1.2 (of which JSON is a part); the yaml library does not know YAML ${version} and would read the file as 1.2 anyway. Remove the %YAML line, or write %YAML 1.2`,
      1, 1,
    ]]);
  });

  it('%YAML 1.2 is accepted and reads as no directive does', () => {
    const plain = parseOutcome(doc, YAML_FILE);
    expect(plain.ok).toBe(true);
    const with12 = parseOutcome(`%YAML 1.2\n---\n${doc}`, YAML_FILE);
    expect(with12).toMatchObject({ ok: true, value: (plain as { value: unknown }).value });
  });

  it('why: under %YAML 1.1 the yaml library reads the same text differently (what the refusal prevents)', () => {
    const text = 'a: yes\nb: off\nc: 0777\nd: 1:30\ne: &e {x: 1}\nf: {<<: *e}\n';
    const read = (t: string): unknown => parseAllDocuments(t)[0]!.toJS();
    expect(read(text)).toEqual({ a: 'yes', b: 'off', c: 777, d: '1:30', e: { x: 1 }, f: { '<<': { x: 1 } } });
    expect(read(`%YAML 1.1\n---\n${text}`)).toEqual({ a: true, b: false, c: 511, d: 90, e: { x: 1 }, f: { x: 1 } });
  });
});

describe('tags (unchanged)', () => {
  it.each([
    ['a local tag', 'a: !foo 1\n', 'unsupported YAML tag (!foo): kickstand files hold plain values'],
    ['a language tag', 'a: !!js/function "x"\n', 'unsupported YAML tag (tag:yaml.org,2002:js/function): kickstand files hold plain values'],
    ['a %TAG handle', '%TAG !e! tag:example.com,2000:\n---\na: !e!foo 1\n', 'unsupported YAML tag (tag:example.com,2000:foo): kickstand files hold plain values'],
  ])('%s is refused at its line', (_name, text, message) => {
    const got = failures(parseOutcome(text, YAML_FILE));
    expect(got).toHaveLength(1);
    expect(got[0]![0]).toBe(message);
    expect(got[0]![1]).toBe(text.split('\n').length - 1);
  });

  it.each([
    ['!!binary', 'a: !!binary aGVsbG8=\n', 'binary'],
    ['!!timestamp', 'a: !!timestamp 2001-12-14\n', 'timestamp'],
    ['!!set', 'a: !!set {x, y}\n', 'set'],
  ])('%s is refused as a value that is not JSON', (_name, text, type) => {
    expect(failures(parseOutcome(text, YAML_FILE))).toEqual([[`unsupported value type (${type}); only strings, numbers, booleans, null, lists and mappings are allowed`, 1, 1]]);
  });

  it('core tags that give plain values are accepted', () => {
    expect(parseOutcome('a: !!str 1\nb: !!int "2"\nc: !!bool "true"\n', YAML_FILE)).toMatchObject({ ok: true, value: { a: '1', b: 2, c: true } });
  });
});

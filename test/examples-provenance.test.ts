/**
 * The documented examples under test/data/api-examples keep their provenance: each file comes from the shared corpus
 * (a row of README.tsv, copied by scripts/snapshot-reference.ts) or is the project's own (a row of SOURCES.tsv whose
 * `chars` matches the file), and the snapshot covers the registered kinds' folders plus every folder already there.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  CORPUS_TABLE, EXAMPLE_DIRS, OWN_TABLE, PROVENANCE_COLUMNS, checkExampleProvenance, exampleDirs, snapshotFiles,
} from '../scripts/snapshot-reference.js';

const HEADER = PROVENANCE_COLUMNS.join('\t');

/** A provenance row for `file` with `chars`. */
const row = (file: string, chars: number | string, note = ''): string =>
  [file, 'FusionAuth/fusionauth-site', `astro/src/content/json/${file}`, 'a'.repeat(40), String(chars), 'OK', note].join('\t');

/** A folder holding `files` (relative path → text). */
function tree(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'kickstand-examples-'));
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, rel)), { recursive: true });
    writeFileSync(join(dir, rel), text);
  }
  return dir;
}

/** An examples folder with one corpus file (`tenants/request.json`) and one own file (`keys/response.json`). */
function examples(overrides: Record<string, string> = {}): string {
  return tree({
    [CORPUS_TABLE]: `${HEADER}\n${row('tenants/request.json', 2)}\n`,
    'tenants/request.json': '{}',
    'keys/response.json': '{"name":"é"}',
    [OWN_TABLE]: `${HEADER}\n${row('keys/response.json', 12, 'é is one character, two bytes')}\n`,
    ...overrides,
  });
}

describe('the provenance of the documented examples', () => {
  it('holds for every committed example: one row each, in README.tsv (corpus) or SOURCES.tsv (ours), chars matching', () => {
    expect(checkExampleProvenance()).toEqual([]);
  });

  it('accepts a complete collection, counting characters rather than bytes', () => {
    expect(checkExampleProvenance(examples())).toEqual([]);
  });

  it('names an own file that has no SOURCES.tsv row', () => {
    const dir = examples({ 'keys/generate/post-request.json': '{}' });
    expect(checkExampleProvenance(dir)).toEqual([
      expect.stringMatching(/keys\/generate\/post-request\.json has no provenance: it is not in the corpus, and .*SOURCES\.tsv has no row for it/),
    ]);
  });

  it('names the line whose chars do not match the file', () => {
    const dir = examples({ 'keys/response.json': '{"name":"é!"}' });
    expect(checkExampleProvenance(dir)).toEqual([expect.stringMatching(/SOURCES\.tsv line 2: keys\/response\.json: chars 12, but the file has 13 characters$/)]);
  });

  it('names a row for a file that does not exist, a duplicate row, a corpus file listed as ours, and a chars that is not a number', () => {
    const dir = examples({
      [OWN_TABLE]: [HEADER, row('keys/response.json', 12), row('keys/gone.json', 5), row('keys/response.json', 12),
        row('tenants/request.json', 2), row('keys/response.json', 'x'), ''].join('\n'),
    });
    const problems = checkExampleProvenance(dir);
    expect(problems).toHaveLength(4);
    expect(problems[0]).toMatch(/line 3: .*keys\/gone\.json does not exist/);
    expect(problems[1]).toMatch(/line 4: keys\/response\.json has a row already \(line 2\)/);
    expect(problems[2]).toMatch(/line 5: tenants\/request\.json comes from the corpus/);
    expect(problems[3]).toMatch(/line 6: keys\/response\.json has a row already/);
  });

  it('checks the form of the table: the corpus header, seven columns', () => {
    const dir = examples({ [OWN_TABLE]: `file\tchars\n${row('keys/response.json', 12)}\nkeys/response.json\t12\n` });
    const problems = checkExampleProvenance(dir);
    expect(problems[0]).toMatch(/SOURCES\.tsv line 1: the header must be the corpus's columns/);
    expect(problems[1]).toMatch(/SOURCES\.tsv line 3: 2 columns, not 7/);
    expect(problems).toHaveLength(2);
  });

  it('takes the corpus files from the snapshot when given, so a file the corpus dropped needs a row of its own', () => {
    expect(checkExampleProvenance(examples(), new Set())).toEqual([expect.stringMatching(/tenants\/request\.json has no provenance/)]);
  });
});

describe('the snapshot of the examples', () => {
  const spec = tree({ 'openapi.yaml': 'openapi: 3.0.3\ninfo: {version: "1.0"}\ncomponents: {schemas: {}}\npaths: {}\n' });
  const specPath = join(spec, 'openapi.yaml');
  /** A corpus with one file in each registered kind's folder, plus `extra`. */
  const corpus = (extra: Record<string, string>): string => {
    const files: Record<string, string> = {};
    const rows = [HEADER];
    for (const dir of EXAMPLE_DIRS) {
      files[`${dir}/request.json`] = '{}';
      rows.push(row(`${dir}/request.json`, 2));
    }
    for (const [rel, text] of Object.entries(extra)) {
      files[rel] = text;
      rows.push(row(rel, text.length));
    }
    return tree({ ...files, [CORPUS_TABLE]: `${rows.join('\n')}\n` });
  };

  it('covers the registered kinds\' folders and every folder present, each once', () => {
    const dir = tree({ 'gadgets/response.json': '{}', [`${EXAMPLE_DIRS[0]}/request.json`]: '{}' });
    expect(exampleDirs(dir)).toEqual([...EXAMPLE_DIRS, 'gadgets']);
  });

  it('copies a present folder from the corpus when the corpus has it, and leaves the project\'s own folders alone', () => {
    const ours = tree({ 'api-keys/.keep': '', 'gadgets/response.json': '{"ours":true}' });
    const files = snapshotFiles(specPath, corpus({ 'api-keys/post-request-body.json': '{"a":1}', 'events/x.json': '{}' }), ours);
    expect(files.get('api-examples/api-keys/post-request-body.json')).toBe('{"a":1}');
    expect(files.get(`api-examples/${CORPUS_TABLE}`)).toContain(`${row('api-keys/post-request-body.json', 7)}\n`);
    // Neither a corpus folder nobody asked for, nor the project's own files, are part of the snapshot.
    expect([...files.keys()].filter((k) => k.includes('events/') || k.includes('gadgets/response'))).toEqual([]);
  });

  it('fails, naming the folder, when a folder has no example anywhere', () => {
    const empty = tree({ 'gadgets/.keep': '' });
    expect(() => snapshotFiles(specPath, corpus({}), empty)).toThrow(/no examples for the folder [\w-]+: neither .* nor .* has a \.json file/);
  });
});

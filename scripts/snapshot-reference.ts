/**
 * Snapshot of the shared reference material the tests need, committed under test/data/ so that `npm test` works in
 * any clone, not only where `../shared` sits beside the repository:
 * - `test/data/openapi-components.json`: FusionAuth's OpenAPI component schemas WITHOUT prose (every `description`,
 *   `example` and `examples` removed — structure, names, types and enums only), its endpoints (each path with its
 *   methods), the spec's version, and the SHA-256 of
 *   each description the spec had, so that a test can still prove no spec prose reaches our generated files;
 * - `test/data/api-examples/`: FusionAuth's documented request/response examples (JSON data). A folder the shared corpus
 *   has is copied from it, with its provenance rows from the corpus's README.tsv (README.tsv here). The folders are
 *   the registered kinds' (`KindDef.examples`) plus every folder already in test/data/api-examples, so that examples of
 *   kinds not registered yet are kept and checked too. A file the corpus does not have (a folder the corpus lacks, or
 *   an extra file in one it has) is the project's own, collected from FusionAuth's site: it is taken as it is, and its
 *   provenance is a row of SOURCES.tsv (the corpus's columns), whose `chars` must match the file.
 * `--check` compares instead of writing (CI runs it, where ../shared is present); both modes check every example file
 * has exactly one provenance row. Sources: the first argument or KICKSTAND_OPENAPI for the spec,
 * `../shared/corpus/api-examples` for the examples.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { FileReadError, readFileBoundedSync } from '../src/io/files.js';
import { KINDS } from '../src/kinds/index.js';
import { REPO_ROOT, SHARED_OPENAPI, loadOpenapi, renderJson } from './gen-schema.js';

/** Where the snapshot lives. */
export const DATA_DIR = resolve(REPO_ROOT, 'test/data');
export const COMPONENTS_PATH = join(DATA_DIR, 'openapi-components.json');
export const EXAMPLES_DIR = join(DATA_DIR, 'api-examples');
const CORPUS = resolve(REPO_ROOT, '../shared/corpus/api-examples');
/** The example folders of the registered kinds (`KindDef.examples`), in registry order. */
export const EXAMPLE_DIRS: readonly string[] = KINDS.flatMap((k) => (k.examples ? [k.examples] : []));
/** The provenance table of the files copied from the corpus: the corpus's README.tsv rows for them. */
export const CORPUS_TABLE = 'README.tsv';
/** The provenance table of the project's own examples (collected from FusionAuth's site, not via the corpus). */
export const OWN_TABLE = 'SOURCES.tsv';
/** The columns of both provenance tables, as the corpus's README.tsv has them. */
export const PROVENANCE_COLUMNS = ['file', 'source_repo', 'source_path', 'commit', 'chars', 'length_check', 'note'] as const;

/** Bounds of what the snapshot reads: one example file or table, the files of one tree, the depth of its folders. */
const MAX_FILE_BYTES = 4 * 1024 * 1024;
const MAX_FILES = 5_000;
// `applications/oauth-configuration/response.json` and `keys/generate/post-request.json` are two deep.
const MAX_DEPTH = 4;

const PROSE_KEYS = new Set(['description', 'example', 'examples']);

/** SHA-256 (hex) of a description, as stored in the snapshot. */
export function proseHash(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** The spec reduced to what the generators read, without prose. */
export function snapshotSpec(spec: unknown): unknown {
  const hashes = new Set<string>();
  // `names` marks a map whose keys are names (`properties`, the schemas map), where a key called `description` is a
  // field of FusionAuth's (a role's description), not prose.
  const strip = (v: unknown, names = false): unknown => {
    if (Array.isArray(v)) return v.map((x) => strip(x));
    if (!v || typeof v !== 'object') return v;
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) {
      if (!names && PROSE_KEYS.has(k)) {
        if (k === 'description' && typeof x === 'string') hashes.add(proseHash(x));
        continue;
      }
      out[k] = strip(x, !names && k === 'properties');
    }
    return out;
  };
  const s = spec as { info?: { version?: unknown }; components?: { schemas?: unknown }; paths?: Record<string, Record<string, unknown>> };
  // The endpoints only: each path with its methods (what test/fusionauth/wire.test.ts checks the wire table against).
  const paths: Record<string, string[]> = {};
  for (const [p, ops] of Object.entries(s.paths ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    paths[p] = Object.keys(ops).filter((m) => ['get', 'post', 'put', 'patch', 'delete'].includes(m)).sort();
  }
  return {
    $comment: 'FusionAuth OpenAPI component schemas and endpoints without prose; generated by scripts/snapshot-reference.ts, do not edit.',
    info: { version: s.info?.version },
    paths,
    components: { schemas: strip(s.components?.schemas, true) },
    'x-kickstand-prose-sha256': [...hashes].sort(),
  };
}

/** The path of `p` as messages show it: relative to the repository when inside it. */
function shown(p: string): string {
  const r = relative(REPO_ROOT, p);
  return r && !r.startsWith('..') && !isAbsolute(r) ? r : p;
}

/** A file's text, read bounded; a failure names the file. */
function readText(path: string): string {
  try {
    return readFileBoundedSync(path, MAX_FILE_BYTES).toString('utf8');
  } catch (e) {
    if (e instanceof FileReadError) throw new Error(`${shown(path)} ${e.message}`, { cause: e });
    throw e;
  }
}

function isDir(path: string): boolean {
  try { return statSync(path).isDirectory(); } catch { return false; }
}

/**
 * The `.json` files under `dir` (relative, `/`-separated, sorted), or none when `dir` is not a folder. Bounded: at most
 * MAX_DEPTH folders deep and MAX_FILES entries, or it throws naming the folder.
 */
export function jsonFilesUnder(dir: string): string[] {
  const out: string[] = [];
  let seen = 0;
  const walk = (rel: string, depth: number): void => {
    const abs = rel ? join(dir, rel) : dir;
    for (const e of readdirSync(abs, { withFileTypes: true })) {
      if (++seen > MAX_FILES) throw new Error(`${shown(dir)} holds more than ${MAX_FILES} entries`);
      const r = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) {
        if (depth >= MAX_DEPTH) throw new Error(`${shown(join(dir, r))} is nested deeper than ${MAX_DEPTH} folders`);
        walk(r, depth + 1);
      } else if (e.name.endsWith('.json')) {
        out.push(r);
      }
    }
  };
  if (isDir(dir)) walk('', 0);
  return out.sort();
}

/**
 * The example folders: the registered kinds' (`KindDef.examples`, registry order), then every other folder present in
 * `examplesDir` (sorted) — the project's own collection for kinds that are not registered yet.
 */
export function exampleDirs(examplesDir = EXAMPLES_DIR): string[] {
  const present = isDir(examplesDir)
    ? readdirSync(examplesDir, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name).sort()
    : [];
  return [...new Set([...EXAMPLE_DIRS, ...present])];
}

/** One row of a provenance table, with its line number (1-based, the header is line 1). */
export interface ProvenanceRow {
  line: number;
  file: string;
  chars: string;
  fields: string[];
}

/** The rows of a provenance table (tab-separated, PROVENANCE_COLUMNS), and what is wrong with its form. */
export function parseProvenance(text: string, name: string): { rows: ProvenanceRow[]; problems: string[] } {
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  const problems: string[] = [];
  if (lines[0] !== PROVENANCE_COLUMNS.join('\t')) {
    problems.push(`${name} line 1: the header must be the corpus's columns (${PROVENANCE_COLUMNS.join(', ')}, tab-separated)`);
  }
  const rows: ProvenanceRow[] = [];
  lines.slice(1).forEach((l, i) => {
    const fields = l.split('\t');
    if (fields.length !== PROVENANCE_COLUMNS.length) {
      problems.push(`${name} line ${i + 2}: ${fields.length} columns, not ${PROVENANCE_COLUMNS.length}`);
      return;
    }
    rows.push({ line: i + 2, file: fields[0]!, chars: fields[4]!, fields });
  });
  return { rows, problems };
}

/** The length of a text as the provenance tables count it: Unicode characters (code points), not bytes. */
export function charCount(text: string): number {
  let n = 0;
  for (const _ of text) n++;
  return n;
}

/**
 * What is wrong with the provenance of the examples under `examplesDir`: every `.json` file must come from the corpus
 * (`corpusFiles`; by default the files README.tsv lists) or have exactly one row in SOURCES.tsv whose `chars` is the
 * file's length in characters; every SOURCES.tsv row must name such a file. Each problem names the file and the
 * table's line. No SOURCES.tsv is fine while every file comes from the corpus.
 */
export function checkExampleProvenance(examplesDir = EXAMPLES_DIR, corpusFiles?: ReadonlySet<string>): string[] {
  const problems: string[] = [];
  const tableOf = (name: string): ProvenanceRow[] => {
    const path = join(examplesDir, name);
    if (!existsSync(path)) return [];
    const parsed = parseProvenance(readText(path), shown(path));
    problems.push(...parsed.problems);
    return parsed.rows;
  };
  const fromCorpus = corpusFiles ?? new Set(tableOf(CORPUS_TABLE).map((r) => r.file));
  const ownTable = shown(join(examplesDir, OWN_TABLE));
  const own = new Map<string, ProvenanceRow>();
  for (const row of tableOf(OWN_TABLE)) {
    const path = join(examplesDir, row.file);
    if (own.has(row.file)) problems.push(`${ownTable} line ${row.line}: ${row.file} has a row already (line ${own.get(row.file)!.line})`);
    else if (fromCorpus.has(row.file)) problems.push(`${ownTable} line ${row.line}: ${row.file} comes from the corpus; its provenance is the corpus's row in ${CORPUS_TABLE}`);
    else if (!row.file.endsWith('.json') || !existsSync(path)) problems.push(`${ownTable} line ${row.line}: ${shown(path)} does not exist`);
    else if (!/^\d+$/.test(row.chars)) problems.push(`${ownTable} line ${row.line}: ${row.file}: chars "${row.chars}" is not a number`);
    else {
      const n = charCount(readText(path));
      if (n !== Number(row.chars)) problems.push(`${ownTable} line ${row.line}: ${row.file}: chars ${row.chars}, but the file has ${n} characters`);
    }
    if (!own.has(row.file)) own.set(row.file, row);
  }
  for (const f of jsonFilesUnder(examplesDir)) {
    if (!fromCorpus.has(f) && !own.has(f)) {
      problems.push(`${shown(join(examplesDir, f))} has no provenance: it is not in the corpus, and ${ownTable} has no row for it (${PROVENANCE_COLUMNS.join(', ')})`);
    }
  }
  return problems;
}

/**
 * Every file of the snapshot (relative path → text): the spec's components, and each example folder's files that the
 * corpus has, with their README.tsv rows. The project's own files are not part of it (they are taken as they are).
 */
export function snapshotFiles(specPath: string, corpus = CORPUS, examplesDir = EXAMPLES_DIR): Map<string, string> {
  const files = new Map<string, string>();
  files.set('openapi-components.json', renderJson(snapshotSpec(loadOpenapi(specPath))));
  const tsv = readText(join(corpus, CORPUS_TABLE)).split('\n');
  const rows = [tsv[0]!];
  for (const dir of exampleDirs(examplesDir)) {
    const fromCorpus = jsonFilesUnder(join(corpus, dir));
    if (fromCorpus.length === 0 && jsonFilesUnder(join(examplesDir, dir)).length === 0) {
      throw new Error(`no examples for the folder ${dir}: neither ${shown(join(corpus, dir))} nor ${shown(join(examplesDir, dir))} has a .json file`);
    }
    for (const f of fromCorpus) {
      const rel = `${dir}/${f}`;
      files.set(`api-examples/${rel}`, readText(join(corpus, rel)));
      rows.push(...tsv.filter((l) => l.startsWith(`${rel}\t`)));
    }
  }
  files.set(`api-examples/${CORPUS_TABLE}`, rows.join('\n') + '\n');
  return files;
}

/** The example files of a snapshot that come from the corpus, relative to api-examples/. */
export function corpusFilesOf(files: ReadonlyMap<string, string>): Set<string> {
  const prefix = 'api-examples/';
  return new Set([...files.keys()].filter((k) => k.startsWith(prefix) && k.endsWith('.json')).map((k) => k.slice(prefix.length)));
}

function main(argv: string[]): number {
  const specPath = resolve(REPO_ROOT, argv.find((a) => !a.startsWith('--')) ?? process.env.KICKSTAND_OPENAPI ?? SHARED_OPENAPI);
  const files = snapshotFiles(specPath);
  const check = argv.includes('--check');
  const stale: string[] = [];
  for (const [rel, text] of files) {
    const path = join(DATA_DIR, rel);
    if (check) {
      let current = '';
      try {
        current = readFileBoundedSync(path, MAX_FILE_BYTES).toString('utf8');
      } catch (e) {
        // A missing file counts as stale; any other failure is reported as it is.
        if (!(e instanceof FileReadError && e.reason === 'missing')) throw e;
      }
      if (current !== text) stale.push(rel);
    } else {
      mkdirSync(resolve(path, '..'), { recursive: true });
      writeFileSync(path, text);
    }
  }
  if (check && stale.length > 0) {
    console.error(`test/data is stale (${stale.join(', ')}); run npm run reference:snapshot`);
    return 1;
  }
  const problems = checkExampleProvenance(EXAMPLES_DIR, corpusFilesOf(files));
  if (problems.length > 0) {
    console.error(`the provenance of the examples is incomplete:\n  ${problems.join('\n  ')}`);
    return 1;
  }
  if (!check) console.log(`wrote ${files.size} files under ${DATA_DIR}`);
  return 0;
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  process.exitCode = main(process.argv.slice(2));
}

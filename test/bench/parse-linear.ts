/**
 * The `parse-linear` benchmark's files: for a target size, the texts that used to make parsing super-linear (a YAML
 * mapping with many distinct keys, JSON and YAML mappings with many duplicate keys) and an ordinary large kickstand
 * JSON configuration, plus the measurement itself — parse time (`parseText`) and, where the file is valid, the whole
 * `loadConfig`, per MB and against the smallest size. Linear time shows as a flat ms/MB column.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type * as LoadModule from '../../src/config/load.js';
import type * as ParseModule from '../../src/config/parse.js';
import { fixtureJson, type FixtureSize } from './fixtures.js';

/** The sizes measured, in MB (2^20 bytes); the last is the file size limit. */
export const PARSE_SIZES_MB = [0.1, 0.3, 1, 3, 10];

/** One kind of file: its name, extension, how to make a text of about `bytes`, and whether it is valid. */
export interface ParseCase {
  name: string;
  ext: 'yaml' | 'json';
  make(bytes: number): string;
  /** Valid files are loaded with `loadConfig` too; the others must fail to parse with duplicate-key errors. */
  valid: boolean;
}

/** `head`, then lines from `line(i)` as long as the text stays within `bytes` (ASCII), then `tail`. */
function linesUpTo(head: string, bytes: number, line: (i: number) => string, tail = ''): string {
  const out: string[] = [head];
  let size = head.length + tail.length;
  for (let i = 0; ; i++) {
    const l = line(i);
    if (size + l.length + 1 > bytes) break;
    out.push(l);
    size += l.length + 1;
  }
  return out.join('\n') + tail;
}

/** An ordinary kickstand JSON file of at most `bytes`: the benchmark fixture with as many applications as fit. */
function kickstandJson(bytes: number): string {
  const size = (applications: number): FixtureSize => ({ messengers: 10, messageTemplates: 10, tenants: 30, applications });
  const length = (text: string): number => Buffer.byteLength(text);
  const a = length(fixtureJson(size(100)));
  const perApp = (length(fixtureJson(size(200))) - a) / 100;
  let apps = Math.max(1, Math.floor(100 + (bytes - a) / perApp));
  let text = fixtureJson(size(apps));
  while (length(text) > bytes) {
    apps -= Math.ceil((length(text) - bytes) / perApp);
    text = fixtureJson(size(apps));
  }
  return text;
}

/** (a) to (d) of the benchmark. */
export const PARSE_CASES: ParseCase[] = [
  {
    name: 'YAML, many distinct keys',
    ext: 'yaml',
    valid: true,
    make: (bytes) => linesUpTo('tenants:\n  - key: a\n    name: A\n    data:', bytes, (i) => `      k${i}: ${i}`, '\n'),
  },
  {
    name: 'JSON, many duplicate keys',
    ext: 'json',
    valid: false,
    make: (bytes) => linesUpTo('{"tenants": [{"key": "a", "name": "A", "data": {', bytes, (i) => `  "k": ${i},`, '\n  "z": 0}}]}\n'),
  },
  {
    name: 'YAML, many duplicate keys',
    ext: 'yaml',
    valid: false,
    make: (bytes) => linesUpTo('tenants:\n  - key: a\n    name: A\n    data:', bytes, (i) => `      k: ${i}`, '\n'),
  },
  { name: 'JSON, ordinary kickstand file', ext: 'json', valid: true, make: kickstandJson },
];

/** One measured size of one case. */
export interface ParseRow {
  case: string;
  mb: number;
  bytes: number;
  parseMs: number;
  loadMs?: number;
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
};

/**
 * Measure every case at every size: median of `runs` parses (and loads), after one unmeasured warm-up at the smallest
 * size. Throws when a valid file fails or an invalid one does not fail with duplicate-key errors (the benchmark would
 * measure the wrong thing).
 */
export async function measureParseLinear(parse: typeof ParseModule, load: typeof LoadModule, runs = 3): Promise<ParseRow[]> {
  const dir = mkdtempSync(join(tmpdir(), 'kickstand-bench-parse-'));
  const rows: ParseRow[] = [];
  for (const c of PARSE_CASES) {
    for (const [i, mb] of [PARSE_SIZES_MB[0]!, ...PARSE_SIZES_MB].entries()) {
      const warmUp = i === 0;
      const text = c.make(mb * 2 ** 20);
      const file = join(dir, `kickstand.${c.ext}`);
      writeFileSync(file, text);
      const parseTimes: number[] = [];
      const loadTimes: number[] = [];
      for (let r = 0; r < (warmUp ? 1 : runs); r++) {
        const t0 = performance.now();
        let failure: unknown;
        try {
          // The YAML value bound (a memory bound) is lifted: this measures time against size up to the 10 MB limit.
          parse.parseText(text, file, { ...parse.DEFAULT_LIMITS, maxYamlValues: Infinity });
        } catch (e) {
          failure = e;
        }
        parseTimes.push(performance.now() - t0);
        const diagnostics = failure instanceof parse.ParseFailure ? failure.diagnostics : undefined;
        if (c.valid && failure !== undefined) throw new Error(`${c.name}, ${mb} MB: ${String(failure)}`);
        if (!c.valid && !(diagnostics && diagnostics.length === 21 && diagnostics.every((d) => /duplicate key/.test(d.message)))) {
          throw new Error(`${c.name}, ${mb} MB: expected 20 duplicate keys and a count, got ${String(failure)}`);
        }
        if (c.valid) {
          const t1 = performance.now();
          await load.loadConfig([file], { env: {}, maxYamlValues: Infinity });
          loadTimes.push(performance.now() - t1);
        }
      }
      if (warmUp) continue;
      rows.push({ case: c.name, mb, bytes: Buffer.byteLength(text), parseMs: median(parseTimes), ...(loadTimes.length > 0 ? { loadMs: median(loadTimes) } : {}) });
    }
  }
  return rows;
}

/**
 * Hardened reading of one YAML or JSON file: bytes bounded (io/files.ts), UTF-8 enforced, nesting depth checked
 * before the parser runs, alias bombs and duplicate keys rejected by the `yaml` library's own options, and keys that
 * could reach an object prototype (`__proto__`, `constructor`, `prototype`) rejected anywhere. Every value keeps the
 * position it was written at, so later stages can point at `file:line:column`. `.json` files take a fast path with the
 * same checks: our own scanner (json.ts) for positions and checks, then `JSON.parse` for the value.
 */
import { statSync } from 'node:fs';
import { isAbsolute, relative } from 'node:path';
import { isAlias, isMap, isScalar, isSeq, LineCounter, parseAllDocuments, type Document, type Node as YamlNode, type Scalar } from 'yaml';
import type { Diagnostic, Json, SourcePos } from '../core/types.js';
import { FileReadError, readFileBounded } from '../io/files.js';
import { childPath, FORBIDDEN_KEYS, scanJson } from './json.js';

/** Limits applied to every file kickstand reads (config files, variable files, files read by `{{file}}`). */
export interface ParseLimits {
  /** Largest file accepted, in bytes. */
  maxFileBytes: number;
  /** Deepest nesting of mappings and sequences accepted. */
  maxDepth: number;
  /** Most alias expansions accepted in one document (YAML anchors `&a` / aliases `*a`). */
  maxAliasCount: number;
}

/** Defaults: 10 MB per file, 64 levels of nesting (the deepest FusionAuth object is under 10), 100 alias expansions. */
export const DEFAULT_LIMITS: ParseLimits = { maxFileBytes: 10 * 1024 * 1024, maxDepth: 64, maxAliasCount: 100 };

/** Re-exported from json.ts (where the JSON scanner needs them too without importing this module): the forbidden keys and the dotted path syntax. */
export { childPath, FORBIDDEN_KEYS };

/** A parsed file: its value and where every path in it was written. */
export interface ParsedFile {
  /** The name used in diagnostics: relative to the working directory when inside it, else absolute. */
  file: string;
  /** Absolute path. */
  abs: string;
  /** The document (null for an empty file). */
  value: Json;
  /** Position of every written path (`tenants[0].phoneConfiguration.messengerId`): the key for mappings, the item for sequences. */
  positions: Map<string, SourcePos>;
}

/** A failure while reading a file; carries the diagnostics to report. */
export class ParseFailure extends Error {
  constructor(readonly diagnostics: Diagnostic[]) {
    super(diagnostics.map((d) => d.message).join('; '));
    this.name = 'ParseFailure';
  }
}

/** The name of a file as shown in diagnostics. */
export function displayName(abs: string): string {
  const rel = relative(process.cwd(), abs);
  return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel) ? rel : abs;
}

/**
 * The end of a sentence starting with a file's name, for a file `readFileBounded` refused. A file over the limit
 * whose reported size shows it says how big it is (the shape the messages have always had); a file whose size lies
 * (a kernel file, one still growing) only that it is over.
 */
export function readFailureText(e: FileReadError, path: string, maxBytes: number): string {
  if (e.reason === 'too-large') {
    try {
      const size = statSync(path).size;
      if (size > maxBytes) return `is ${size} bytes, over the limit of ${maxBytes} bytes`;
    } catch {
      // Gone since: say what the read found.
    }
  }
  return e.message;
}

/**
 * Decode a file's bytes as UTF-8 text, refusing binary content: bytes that are not UTF-8, and NUL bytes (which no
 * configuration or template has, and which mark binaries and lists like an environment block). Returns the text, or the end of a
 * sentence starting with the file's name and, when known, where the first bad byte is.
 */
export function decodeText(bytes: Uint8Array): { text: string } | { problem: string; line?: number; column?: number } {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    // Point at the first byte that is not UTF-8: decode leniently and find the first replacement character.
    const lenient = new TextDecoder('utf-8').decode(bytes);
    const bad = lenient.indexOf('\uFFFD');
    return { problem: 'is not UTF-8 text (binary data?)', ...(bad >= 0 ? lineCol(lenient, bad) : {}) };
  }
  const nul = text.indexOf('\u0000');
  if (nul >= 0) return { problem: 'contains binary data (a NUL byte)', ...lineCol(text, nul) };
  return { text };
}

/**
 * Read a file as UTF-8 text with `readFileBounded` (at most `limits.maxFileBytes` bytes whatever the file system says
 * its size is; regular files only, nothing under /proc, /sys or /dev) and `decodeText`. `what` names the kind of file
 * in messages ("variable file").
 */
export async function readTextFile(abs: string, limits: ParseLimits, what = 'file'): Promise<string> {
  const file = displayName(abs);
  let bytes: Buffer;
  try {
    bytes = await readFileBounded(abs, limits.maxFileBytes);
  } catch (e) {
    if (!(e instanceof FileReadError)) throw e;
    throw new ParseFailure([{ severity: 'error', message: `${what} ${file} ${readFailureText(e, abs, limits.maxFileBytes)}`, where: { file } }]);
  }
  const decoded = decodeText(bytes);
  if ('problem' in decoded) {
    const { problem, ...at } = decoded;
    throw new ParseFailure([{ severity: 'error', message: `${what} ${file} ${problem}`, where: { file, ...at } }]);
  }
  return decoded.text.startsWith('\uFEFF') ? decoded.text.slice(1) : decoded.text;
}

/** 1-based line and column of a character offset. */
export function lineCol(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let start = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      start = i + 1;
    }
  }
  return { line, column: offset - start + 1 };
}

/**
 * An upper-bound estimate of the nesting depth of a YAML or JSON text, computed without parsing: block indentation
 * levels, sequence dashes and flow brackets. Why: the `yaml` parser recurses per level, and a few thousand nested
 * brackets exhaust the stack (or, with pretty errors, the heap) before any option of ours can apply.
 * Returns the offset where the limit was first exceeded, or -1.
 */
export function findExcessiveNesting(text: string, maxDepth: number): number {
  const indents: number[] = [];
  let flow = 0;
  let quote: '"' | "'" | '' = '';
  let blockScalarIndent = -1; // indentation of the line that opened a `|` or `>` scalar
  let pos = 0;
  while (pos <= text.length) {
    let end = text.indexOf('\n', pos);
    if (end < 0) end = text.length;
    const line = text.slice(pos, end);
    let i = 0;
    while (i < line.length && line[i] === ' ') i++;
    const blank = i === line.length || line[i] === '#' || line[i] === '\r';
    if (blockScalarIndent >= 0) {
      if (blank || i > blockScalarIndent) {
        pos = end + 1;
        continue;
      }
      blockScalarIndent = -1;
    }
    if (!blank && flow === 0 && quote === '') {
      while (indents.length > 0 && indents[indents.length - 1]! >= i) indents.pop();
      indents.push(i);
      // `- - - x` nests one level per dash on the same line.
      let j = i;
      let dashes = 0;
      while (line[j] === '-' && (line[j + 1] === ' ' || j + 1 === line.length)) {
        dashes++;
        j += 2;
        while (line[j] === ' ') j++;
      }
      if (indents.length + dashes > maxDepth) return pos + i;
    }
    let valueStart = flow === 0; // a `[` or `{` opens a flow collection only where a value starts
    for (let k = i; k < line.length; k++) {
      const c = line[k]!;
      if (quote !== '') {
        if (quote === '"' && c === '\\') k++;
        else if (c === quote) {
          if (quote === "'" && line[k + 1] === "'") k++;
          else quote = '';
        }
        continue;
      }
      if (c === '#' && (k === 0 || line[k - 1] === ' ' || line[k - 1] === '\t')) break;
      if (c === '"' || c === "'") {
        if (flow > 0 || valueStart) quote = c;
        valueStart = false;
        continue;
      }
      if (c === '[' || c === '{') {
        if (flow > 0 || valueStart) {
          flow++;
          if (indents.length + flow > maxDepth) return pos + k;
        }
        continue;
      }
      if ((c === ']' || c === '}') && flow > 0) {
        flow--;
        continue;
      }
      if (c === ' ' || c === '\t') continue;
      if (flow === 0 && (c === '|' || c === '>') && valueStart && /^[|>][0-9+-]*\s*(#.*)?\r?$/.test(line.slice(k))) {
        blockScalarIndent = i;
        break;
      }
      // After `key:` or `- ` a value starts; anything else is inside a plain scalar.
      valueStart = (c === ':' || c === '-' || c === ',') && (line[k + 1] === ' ' || k + 1 === line.length || flow > 0);
    }
    pos = end + 1;
  }
  return -1;
}

/** The mapping key written at an offset (quoted or plain), as ` "name"` for messages; empty when unclear. */
function keyAt(text: string, offset: number): string {
  const q = text[offset];
  let key: string | undefined;
  if (q === '"' || q === "'") {
    const end = text.indexOf(q, offset + 1);
    if (end > offset) key = text.slice(offset + 1, end);
  } else {
    const m = /^[^:\n]*/.exec(text.slice(offset, offset + 200));
    key = m?.[0].trim();
  }
  return key && key.length <= 64 ? ` "${key}"` : '';
}

/** Options of `parseText`. */
export interface ParseTextOptions {
  /**
   * How a `.json` file is read: `fast` (the default) scans it with our JSON scanner for positions and checks, then
   * `JSON.parse`s it; `yaml` reads it through the `yaml` library like a YAML file (after a `JSON.parse` strictness
   * check). Kept for the tests, which compare the two.
   */
  json?: 'fast' | 'yaml';
}

/**
 * Parse the text of a YAML or JSON file. JSON files take the fast path (`parseJsonText`) unless `options.json` is
 * `yaml`, which parses them with the YAML parser (JSON is a subset of YAML) as before.
 */
export function parseText(text: string, abs: string, limits: ParseLimits, options: ParseTextOptions = {}): ParsedFile {
  const file = displayName(abs);
  const fail = (message: string, offset?: number): never => {
    const where = offset === undefined ? { file } : { file, ...lineCol(text, offset) };
    throw new ParseFailure([{ severity: 'error', message, where }]);
  };
  if (/\.json$/i.test(abs) && options.json !== 'yaml') return parseJsonText(text, abs, limits);
  const deep = findExcessiveNesting(text, limits.maxDepth);
  if (deep >= 0) fail(`nesting is deeper than the limit of ${limits.maxDepth} levels`, deep);
  const isJson = /\.json$/i.test(abs);
  if (isJson) {
    // Why: YAML accepts comments, single quotes and trailing commas that JSON does not; a .json file must be JSON.
    const err = jsonParseError(text);
    if (err) fail(err.message, err.offset);
  }
  const lineCounter = new LineCounter();
  let docs: Document.Parsed[];
  try {
    docs = parseAllDocuments(text, { lineCounter, uniqueKeys: true, prettyErrors: false, strict: true });
  } catch (e) {
    return fail(`cannot parse: ${(e as Error).message}`);
  }
  if (!Array.isArray(docs)) docs = [];
  if (docs.length > 1) {
    const second = docs[1]!;
    fail(`holds ${docs.length} YAML documents; a kickstand file holds one (remove the "---" separators or split the file)`, second.range[0]);
  }
  const doc = docs[0];
  if (!doc) return { file, abs, value: null, positions: new Map() };
  // An unknown tag (`!foo`, `!!js/function`) is only a warning to the yaml library, which then reads the value as a
  // plain string; a kickstand file has no use for tags, so such a file is refused rather than silently reinterpreted.
  const errors = [...doc.errors, ...doc.warnings.filter((w) => w.code === 'TAG_RESOLVE_FAILED')];
  if (errors.length > 0) {
    const diags: Diagnostic[] = errors.map((e) => {
      const lp = e.linePos?.[0];
      const where = lp ? { file, line: lp.line, column: lp.col } : { file, ...lineCol(text, e.pos[0]) };
      const message = e.code === 'DUPLICATE_KEY'
        ? `duplicate key${keyAt(text, e.pos[0])}: this mapping already has this key`
        : e.code === 'TAG_RESOLVE_FAILED'
          ? `unsupported YAML tag (${(e.message.split(' at line ')[0] ?? '').replace(/^Unresolved tag: /, '')}): kickstand files hold plain values`
          : `${isJson ? 'JSON' : 'YAML'} syntax error: ${e.message.split(' at line ')[0]}`;
      return { severity: 'error', message, where };
    });
    throw new ParseFailure(diags);
  }
  const positions = new Map<string, SourcePos>();
  const posOf = (offset: number): SourcePos => {
    const p = lineCounter.linePos(offset);
    return { file, line: p.line, column: p.col };
  };
  const root = doc.contents as YamlNode | null;
  if (root === null || (isScalar(root) && root.value === null)) return { file, abs, value: null, positions };
  if (!isMap(root)) {
    fail(`the document must be a mapping of sections (messengers, tenants, …), not ${isSeq(root) ? 'a list' : 'a single value'}`, root.range?.[0] ?? 0);
  }
  // Walk the syntax tree without recursion: check keys and record positions. Aliases are not followed here;
  // their expansion is bounded by maxAliasCount in toJS below. Positions are recorded as nodes are taken off the
  // stack, children pushed last-first, so that paths are recorded in document order, as the JSON scanner records
  // them: where two paths coincide (an empty key: `{"": {"a": 1}, "a": 2}`) the later one wins on both paths.
  type Item = { node: unknown; path: string; depth: number; at?: number };
  const stack: Item[] = [{ node: root, path: '', depth: 1 }];
  let firstAlias: number | undefined;
  while (stack.length > 0) {
    const { node, path, depth, at: written } = stack.pop()!;
    if (written !== undefined) positions.set(path, posOf(written));
    if (isAlias(node)) {
      const at = node.range?.[0];
      if (at !== undefined && (firstAlias === undefined || at < firstAlias)) firstAlias = at;
      continue;
    }
    if (depth > limits.maxDepth) fail(`nesting is deeper than the limit of ${limits.maxDepth} levels`, (node as YamlNode).range?.[0]);
    const children: Item[] = [];
    if (isMap(node)) {
      for (const pair of node.items) {
        const k = pair.key as YamlNode | null;
        if (!isScalar(k) || (k.value !== null && typeof k.value === 'object')) fail('a mapping key must be a plain string', k?.range?.[0] ?? node.range?.[0]);
        const keyNode = k as Scalar;
        const name = String(keyNode.value);
        const kpos = keyNode.range?.[0] ?? 0;
        if (FORBIDDEN_KEYS.has(name)) fail(`key "${name}" is not allowed (it could reach an object prototype)`, kpos);
        children.push({ node: pair.value, path: childPath(path, name), depth: depth + 1, at: kpos });
      }
    } else if (isSeq(node)) {
      node.items.forEach((item, i) => {
        const r = (item as YamlNode | null)?.range;
        children.push({ node: item, path: childPath(path, i), depth: depth + 1, ...(r ? { at: r[0] } : {}) });
      });
    }
    for (let i = children.length - 1; i >= 0; i--) stack.push(children[i]!);
  }
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: limits.maxAliasCount });
  } catch (e) {
    const msg = (e as Error).message;
    if (/alias/i.test(msg)) fail(`too many alias expansions (over ${limits.maxAliasCount}): refusing a possible alias bomb`, firstAlias);
    return fail(`cannot read the document: ${msg}`);
  }
  const jsonErr = checkJson(value, limits.maxDepth);
  if (jsonErr) {
    // Point at the value (or, inside an alias expansion, its nearest written ancestor) when it has a position.
    let at = jsonErr.path;
    while (at !== '' && !positions.has(at)) {
      const cut = Math.max(at.lastIndexOf('.'), at.lastIndexOf('['));
      at = cut < 0 ? '' : at.slice(0, cut);
    }
    const pos = at !== '' ? positions.get(at) : undefined;
    throw new ParseFailure([{ severity: 'error', message: jsonErr.message, where: pos ? { ...pos, path: jsonErr.path } : { file } }]);
  }
  return { file, abs, value: value as Json, positions };
}

/**
 * The message and offset of `JSON.parse`'s error for a text it refuses, worded as kickstand has always reported it
 * (`invalid JSON: Expected ',' or '}' after property value`); undefined when it accepts the text.
 */
function jsonParseError(text: string): { message: string; offset?: number } | undefined {
  try {
    JSON.parse(text);
    return undefined;
  } catch (e) {
    const m = /position (\d+)/.exec((e as Error).message);
    const msg = (e as Error).message.replace(/ in JSON at position \d+.*$/, '').replace(/^JSON\.parse: /, '');
    return { message: `invalid JSON: ${msg}`, ...(m ? { offset: Number(m[1]) } : {}) };
  }
}

/**
 * Parse a `.json` file's text: first our scanner (src/config/json.ts) — positions, nesting depth, duplicate and
 * forbidden keys, non-finite numbers, the top-level type, syntax — and only when it passes, `JSON.parse` for the value.
 * Same checks, messages and positions as the YAML path gives a JSON file, at a fraction of its time and memory.
 * Syntax errors keep `JSON.parse`'s wording (asked of it only once the scanner found one), at the scanner's offset
 * when `JSON.parse` names none.
 */
export function parseJsonText(text: string, abs: string, limits: ParseLimits): ParsedFile {
  const file = displayName(abs);
  const fail = (message: string, offset?: number, path?: string): never => {
    const where = offset === undefined ? { file } : { file, ...lineCol(text, offset), ...(path !== undefined ? { path } : {}) };
    throw new ParseFailure([{ severity: 'error', message, where }]);
  };
  const scan = scanJson(text, file, limits.maxDepth);
  if (scan.fatal?.kind === 'depth') fail(scan.fatal.message, scan.fatal.offset);
  if (scan.fatal) {
    // Why JSON.parse's words: they are what kickstand has always printed; the scanner's offset is the fallback.
    const err = jsonParseError(text);
    if (err) fail(err.message, err.offset ?? scan.fatal.offset);
    fail(`invalid JSON: ${scan.fatal.message}`, scan.fatal.offset);
  }
  if (scan.duplicates.length > 0) {
    throw new ParseFailure(scan.duplicates.map((d) => ({ severity: 'error', message: d.message, where: { file, ...lineCol(text, d.offset) } })));
  }
  if (scan.root === 'null') return { file, abs, value: null, positions: new Map() };
  if (scan.root !== 'object') {
    fail(`the document must be a mapping of sections (messengers, tenants, …), not ${scan.root === 'array' ? 'a list' : 'a single value'}`, scan.rootOffset);
  }
  if (scan.forbiddenKey) fail(scan.forbiddenKey.message, scan.forbiddenKey.offset);
  if (scan.nonFinite) {
    const path = scan.nonFinite.path ?? '';
    const pos = scan.positions.get(path);
    throw new ParseFailure([{ severity: 'error', message: scan.nonFinite.message, where: pos ? { ...pos, path } : { file, ...lineCol(text, scan.nonFinite.offset), path } }]);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    // The scanner accepted what JSON.parse refuses: report JSON.parse's error rather than trust the scanner.
    const err = jsonParseError(text);
    return fail(err?.message ?? 'invalid JSON', err?.offset);
  }
  return { file, abs, value: value as Json, positions: scan.positions };
}

/**
 * Check that a value converted from YAML is plain JSON (no dates, binary, sets, non-finite numbers) within the depth
 * limit. Returns the problem and the dotted path of the offending value.
 */
function checkJson(value: unknown, maxDepth: number): { message: string; path: string } | undefined {
  const stack: Array<{ v: unknown; depth: number; path: string }> = [{ v: value, depth: 1, path: '' }];
  while (stack.length > 0) {
    const { v, depth, path } = stack.pop()!;
    if (v === null || typeof v === 'string' || typeof v === 'boolean') continue;
    if (typeof v === 'number') {
      if (!Number.isFinite(v)) return { message: 'numbers must be finite (.inf and .nan are not JSON)', path };
      continue;
    }
    if (depth > maxDepth) return { message: `nesting (through aliases) is deeper than the limit of ${maxDepth} levels`, path };
    if (Array.isArray(v)) {
      v.forEach((x, i) => stack.push({ v: x, depth: depth + 1, path: childPath(path, i) }));
      continue;
    }
    if (typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype) {
      for (const [k, x] of Object.entries(v)) {
        if (FORBIDDEN_KEYS.has(k)) return { message: `key "${k}" is not allowed (it could reach an object prototype)`, path: childPath(path, k) };
        stack.push({ v: x, depth: depth + 1, path: childPath(path, k) });
      }
      continue;
    }
    const type = v instanceof Date ? 'timestamp' : v instanceof Uint8Array ? 'binary' : v instanceof Set ? 'set' : v instanceof Map ? 'ordered map' : typeof v;
    return { message: `unsupported value type (${type}); only strings, numbers, booleans, null, lists and mappings are allowed`, path };
  }
  return undefined;
}

/** Read and parse one file with all the checks above. */
export async function parseFile(abs: string, limits: ParseLimits): Promise<ParsedFile> {
  const text = await readTextFile(abs, limits);
  return parseText(text, abs, limits);
}

/**
 * Hardened reading of one YAML or JSON file: bytes bounded (io/files.ts), UTF-8 enforced, nesting depth checked
 * before the parser runs, alias bombs, duplicate keys, YAML merge keys, `%YAML` versions other than 1.2 and integers a
 * double cannot hold exactly rejected, and keys that could reach an object prototype (`__proto__`, `constructor`,
 * `prototype`) rejected anywhere. Every step is linear in the size of the text. Every value keeps the
 * position it was written at, so later stages can point at `file:line:column`. `.json` files take a fast path with the
 * same checks: our own scanner (json.ts) for positions and checks, then `JSON.parse` for the value.
 */
import { statSync } from 'node:fs';
import { isAbsolute, relative } from 'node:path';
import { Composer, isAlias, isMap, isScalar, isSeq, LineCounter, Parser, type Document, type Node as YamlNode, type Scalar } from 'yaml';
import type { Diagnostic, Json, SourcePos } from '../core/types.js';
import { FileReadError, readFileBounded } from '../io/files.js';
import { childPath, duplicateKeyMessage, FORBIDDEN_KEYS, MAX_REPORTED, PathBudget, ProblemList, scanJson, unsafeIntegerMessage, type JsonProblem } from './json.js';

/** Limits applied to every file kickstand reads (config files, variable files, files read by `{{file}}`). */
export interface ParseLimits {
  /** Largest file accepted, in bytes. */
  maxFileBytes: number;
  /** Deepest nesting of mappings and sequences accepted. */
  maxDepth: number;
  /** Most alias expansions accepted in one document (YAML anchors `&a` / aliases `*a`). */
  maxAliasCount: number;
  /** Most values a YAML file may hold (default `DEFAULT_MAX_YAML_VALUES`); JSON files have no such bound. */
  maxYamlValues?: number;
}

/**
 * The most values (mapping values, sequence items, flow items) one YAML file may hold. Why: the `yaml` library keeps
 * a syntax tree and a document of the whole file, about 2 KB of memory per value (measured: 10 MB of `- x` lines
 * took 2.3 GB, 10 MB of flow mappings 3.5 GB, near the default heap), so the byte limit alone does not bound memory.
 * 200,000 is twice the 5,000-resource benchmark file (about 108,000 values, 2.3 MB): at most about 500 MB. Larger
 * configurations are split into several files, or written as JSON, which is parsed without that tree.
 */
export const DEFAULT_MAX_YAML_VALUES = 200_000;

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
 * A scan of a YAML (or JSON) text without parsing it, for what the `yaml` parser cannot bound itself: an upper-bound
 * estimate of the nesting depth (block indentation levels, sequence dashes and flow brackets) and a count of the
 * values (each `key:` value, `- ` item and flow item). Why: the parser recurses per level, and a few thousand nested
 * brackets exhaust the stack (or, with pretty errors, the heap) before any option of ours can apply; and its trees
 * take about 2 KB per value. Returns which limit was first exceeded, and where, or undefined.
 */
export function prescanYaml(text: string, maxDepth: number, maxValues = Infinity): { problem: 'depth' | 'values'; offset: number } | undefined {
  let values = 0;
  const depthAt = findExcessiveNesting(text, maxDepth, () => ++values > maxValues);
  if (depthAt.offset < 0) return undefined;
  return { problem: depthAt.tooMany ? 'values' : 'depth', offset: depthAt.offset };
}

/** The line-by-line walk of `prescanYaml`: `onValue` is called where a value starts and stops the walk by returning true. */
function findExcessiveNesting(text: string, maxDepth: number, onValue: () => boolean): { offset: number; tooMany: boolean } {
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
      if (indents.length + dashes > maxDepth) return { offset: pos + i, tooMany: false };
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
          if (indents.length + flow > maxDepth) return { offset: pos + k, tooMany: false };
          if (onValue()) return { offset: pos + k, tooMany: true };
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
      if (valueStart && onValue()) return { offset: pos + k, tooMany: true };
    }
    pos = end + 1;
  }
  return { offset: -1, tooMany: false };
}

/** Options of `parseText`. */
/** What a kickstand file's document must be (`ParseTextOptions.expected`). */
const SECTIONS_EXPECTED = 'a mapping of sections (messengers, tenants, …)';

/** Options of `parseText`. */
export interface ParseTextOptions {
  /**
   * How a `.json` file is read: `fast` (the default) scans it with our JSON scanner for positions and checks, then
   * `JSON.parse`s it; `yaml` reads it through the `yaml` library like a YAML file (after a `JSON.parse` strictness
   * check). Kept for the tests, which compare the two.
   */
  json?: 'fast' | 'yaml';
  /** What the document must be, for the message when it is a list or a scalar; default the kickstand file's sections. */
  expected?: string;
}

/**
 * Diagnostics for a list of problems of one kind: the first `MAX_REPORTED`, then one counting the rest (`… and 7 more
 * duplicate keys`), placed at the first of those.
 */
function reported(list: ProblemList<JsonProblem>, file: string, more: string): Diagnostic[] {
  const diag = (p: JsonProblem, message = p.message): Diagnostic => ({
    severity: 'error',
    message,
    where: { file, line: p.line, column: p.column, ...(p.path !== undefined ? { path: p.path } : {}) },
  });
  const out = list.kept.slice(0, MAX_REPORTED).map((p) => diag(p));
  const next = list.kept[MAX_REPORTED];
  if (next) out.push(diag(next, `… and ${list.count - MAX_REPORTED} more ${more}`));
  return out;
}

/**
 * The message for a `%YAML` directive naming another version than 1.2. Why refused: the `yaml` library reads a
 * `%YAML 1.1` document with the YAML 1.1 schema, where yes/no/on/off/y/n are booleans, `0777` is octal, `1:30` is a
 * base-60 number, `2001-12-14` a timestamp and `<<` a merge key — the same text would mean something else; any other
 * version it reads as 1.2 with only a warning (test/config/yaml-rules.test.ts shows both).
 */
function versionMessage(version: string): string {
  const why = version === '1.1'
    ? 'under YAML 1.1, yes/no/on/off are booleans, 0777 is an octal number, 1:30 a base-60 number and "<<" a merge key, so values would silently change'
    : `the yaml library does not know YAML ${version === '' ? 'without a version' : version} and would read the file as 1.2 anyway`;
  return `%YAML ${version === '' ? '(no version)' : version}: kickstand files are YAML 1.2 (of which JSON is a part); ${why}. Remove the %YAML line, or write %YAML 1.2`;
}

/** The message for a YAML merge key (`<<: *defaults`, `!!merge <<`). */
const MERGE_KEY_MESSAGE =
  'YAML merge keys ("<<") are not supported: kickstand reads YAML 1.2, where "<<" is an ordinary key, so the fields it ' +
  'names would never be set; write the fields out, or put shared values in variables ({{name}})';

/** Integer literals of the YAML 1.2 core schema (decimal, `0x` hex, `0o` octal). */
const YAML_INTEGER = /^[-+]?(?:[0-9]+|0x[0-9a-fA-F]+|0o[0-7]+)$/;

/** The tag of a YAML merge key written as `!!merge <<`, which the `yaml` library merges even in YAML 1.2. */
const MERGE_TAG = 'tag:yaml.org,2002:merge';

/** What composing a YAML text found: its first document, how many there are, and the first bad `%YAML` directive. */
interface Composed {
  doc?: Document.Parsed;
  count: number;
  /** Offset of the second document. */
  secondAt?: number;
  /** The first `%YAML` directive naming another version than 1.2. */
  badVersion?: { version: string; offset: number };
}

/**
 * Compose the first document of a YAML text with the `yaml` library and count the others from its token stream without
 * composing them. Why not `parseAllDocuments`: it composes and keeps every document, and a 1 MB file of `---` lines
 * (262,144 empty documents) took 3 s and 370 MB to be refused. Duplicate keys are left to `walkYaml`: the library's
 * own check compares each key with every earlier key of its mapping (40,000 keys took 21 s).
 */
function composeYaml(text: string, lineCounter: LineCounter): Composed {
  const parser = new Parser(lineCounter.addNewLine);
  const composer = new Composer({ uniqueKeys: false, strict: true });
  const out: Composed = { count: 0 };
  const take = (docs: Iterable<Document.Parsed>): void => {
    for (const d of docs) out.doc ??= d;
  };
  for (const token of parser.parse(text)) {
    if (token.type === 'directive' && out.badVersion === undefined) {
      const version = /^%YAML(?=[ \t]|$)[ \t]*(\S*)/.exec(token.source)?.[1];
      if (version !== undefined && version !== '1.2') out.badVersion = { version, offset: token.offset };
    }
    if (token.type === 'document' && ++out.count === 2) out.secondAt = token.offset;
    if (out.count <= 2) take(composer.next(token));
  }
  take(composer.end(false, text.length));
  return out;
}

/** What `walkYaml` found in a document's syntax tree. */
interface YamlWalk {
  positions: Map<string, SourcePos>;
  duplicates: ProblemList<JsonProblem>;
  mergeKeys: ProblemList<JsonProblem>;
  unsafeIntegers: ProblemList<JsonProblem>;
  /** The first key that is not a plain string or could reach an object prototype. */
  badKey?: { message: string; offset: number };
  /** Offset of the first alias. */
  firstAlias?: number;
  /** Alias expansions that converting the document makes, nested ones included (Infinity for an alias inside its own anchor). */
  expansions: number;
  /** Values (nodes) written in the file, and values that alias expansions add. */
  written: number;
  expanded: number;
}

/** Sizes of a written node once its aliases are expanded. */
interface Sizes {
  values: number;
  expansions: number;
}

/** A key of a mapping, checked when its value is taken off the walk's stack (so in document order). */
type KeyCheck =
  | { kind: 'key'; scalar: Scalar; name: string; seen: Set<string> }
  | { kind: 'merge' }
  | { kind: 'bad' };

/**
 * Walk a YAML syntax tree once, without recursion and without following aliases: record the position of every written
 * path, and find duplicate keys (a Set per mapping), merge keys, keys that are not plain strings or could reach an
 * object prototype, integers a double cannot hold exactly, and how much the aliases expand. Everything is done as
 * nodes are taken off the stack, children pushed last-first, so in document order, as the JSON scanner does it: the
 * same problems come first, and where two paths coincide (an empty key: `{"": {"a": 1}, "a": 2}`) the later one wins
 * on both paths.
 */
function walkYaml(root: YamlNode, text: string, file: string, lineCounter: LineCounter, limits: ParseLimits, fail: (message: string, offset?: number) => never): YamlWalk {
  const problemAt = (offset: number): { offset: number; line: number; column: number } => {
    const p = lineCounter.linePos(offset);
    return { offset, line: p.line, column: p.col };
  };
  const out: YamlWalk = {
    positions: new Map(),
    duplicates: new ProblemList(),
    mergeKeys: new ProblemList(),
    unsafeIntegers: new ProblemList(),
    expansions: 0,
    written: 0,
    expanded: 0,
  };
  const paths = new PathBudget(text.length);
  const checkInteger = (node: Scalar, path: string): void => {
    const v = node.value;
    if (typeof v !== 'number' || Number.isSafeInteger(v) || node.source === undefined || !YAML_INTEGER.test(node.source)) return;
    const at = node.range?.[0] ?? 0;
    out.unsafeIntegers.add(() => ({ message: unsafeIntegerMessage(node.source!, v), ...problemAt(at), path }));
  };
  // Alias accounting: the sizes of each anchored node, complete once its subtree is walked; an alias met inside its
  // own anchor (a cycle) expands without end. Sizes are summed into the innermost open collection, `open[0]` being
  // the whole document.
  const anchors = new Map<string, Sizes>();
  const CYCLE: Sizes = { values: Infinity, expansions: Infinity };
  const open: Sizes[] = [{ values: 0, expansions: 0 }];
  type Item = { node: unknown; path: string; depth: number; at?: number; key?: KeyCheck } | { exit: Sizes; anchor: string | undefined };
  const stack: Item[] = [{ node: root, path: '', depth: 1 }];
  while (stack.length > 0) {
    const item = stack.pop()!;
    if ('exit' in item) {
      open.pop();
      const parent = open[open.length - 1]!;
      parent.values += item.exit.values;
      parent.expansions += item.exit.expansions;
      if (item.anchor !== undefined) anchors.set(item.anchor, item.exit);
      continue;
    }
    const { node, path, depth, at: written, key } = item;
    if (key?.kind === 'merge') {
      out.mergeKeys.add(() => ({ message: MERGE_KEY_MESSAGE, ...problemAt(written!) }));
      continue;
    }
    if (key?.kind === 'bad') {
      out.badKey ??= { message: 'a mapping key must be a plain string', offset: written! };
      continue;
    }
    if (written !== undefined) {
      const tooLong = paths.take(path);
      if (tooLong !== undefined) fail(tooLong, written);
      const p = lineCounter.linePos(written);
      out.positions.set(path, { file, line: p.line, column: p.col });
    }
    if (key) {
      const { scalar, name, seen } = key;
      // Keys are compared as the property names they become: `1` and `"1"` are the same key. (No key longer than a
      // path may be goes into the Set: see PathBudget.)
      if (seen.has(name)) out.duplicates.add(() => ({ message: duplicateKeyMessage(name), ...problemAt(written!) }));
      else seen.add(name);
      if (FORBIDDEN_KEYS.has(name)) out.badKey ??= { message: `key "${name}" is not allowed (it could reach an object prototype)`, offset: written! };
      if (scalar.anchor) anchors.set(scalar.anchor, { values: 1, expansions: 0 });
      checkInteger(scalar, path);
    }
    out.written++;
    const parent = open[open.length - 1]!;
    if (isAlias(node)) {
      const at = node.range?.[0];
      if (at !== undefined && (out.firstAlias === undefined || at < out.firstAlias)) out.firstAlias = at;
      const target = anchors.get(node.source) ?? CYCLE;
      parent.values += target.values;
      parent.expansions += 1 + target.expansions;
      out.expanded += target.values;
      continue;
    }
    if (depth > limits.maxDepth) fail(`nesting is deeper than the limit of ${limits.maxDepth} levels`, (node as YamlNode).range?.[0]);
    if (!isMap(node) && !isSeq(node)) {
      parent.values++;
      if (isScalar(node)) {
        if (node.anchor) anchors.set(node.anchor, { values: 1, expansions: 0 });
        checkInteger(node, path);
      }
      continue;
    }
    const sizes: Sizes = { values: 1, expansions: 0 };
    if (node.anchor) anchors.set(node.anchor, CYCLE);
    open.push(sizes);
    stack.push({ exit: sizes, anchor: node.anchor });
    const children: Item[] = [];
    if (isMap(node)) {
      const seen = new Set<string>();
      for (const pair of node.items) {
        const k = pair.key as YamlNode | null;
        const kpos = k?.range?.[0] ?? node.range?.[0] ?? 0;
        if (isScalar(k) && (k.tag === MERGE_TAG || (k.type === 'PLAIN' && k.value === '<<'))) {
          children.push({ node: null, path, depth, at: kpos, key: { kind: 'merge' } });
        } else if (!isScalar(k) || (k.value !== null && typeof k.value === 'object')) {
          children.push({ node: null, path, depth, at: kpos, key: { kind: 'bad' } });
        } else {
          const name = String(k.value);
          children.push({ node: pair.value, path: childPath(path, name), depth: depth + 1, at: kpos, key: { kind: 'key', scalar: k, name, seen } });
        }
      }
    } else {
      node.items.forEach((child, i) => {
        const r = (child as YamlNode | null)?.range;
        children.push({ node: child, path: childPath(path, i), depth: depth + 1, ...(r ? { at: r[0] } : {}) });
      });
    }
    for (let i = children.length - 1; i >= 0; i--) stack.push(children[i]!);
  }
  out.expansions = open[0]!.expansions;
  return out;
}

/**
 * Parse the text of a YAML or JSON file. JSON files take the fast path (`parseJsonText`) unless `options.json` is
 * `yaml`, which parses them with the YAML parser (JSON is a subset of YAML) as before. Every step is linear in the size
 * of the text (test/bench `parse-linear` measures it).
 */
export function parseText(text: string, abs: string, limits: ParseLimits, options: ParseTextOptions = {}): ParsedFile {
  const file = displayName(abs);
  const fail = (message: string, offset?: number): never => {
    const where = offset === undefined ? { file } : { file, ...lineCol(text, offset) };
    throw new ParseFailure([{ severity: 'error', message, where }]);
  };
  if (/\.json$/i.test(abs) && options.json !== 'yaml') return parseJsonText(text, abs, limits, options.expected);
  const maxValues = limits.maxYamlValues ?? DEFAULT_MAX_YAML_VALUES;
  const shape = prescanYaml(text, limits.maxDepth, maxValues);
  if (shape?.problem === 'depth') fail(`nesting is deeper than the limit of ${limits.maxDepth} levels`, shape.offset);
  if (shape?.problem === 'values') {
    fail(`holds more than ${maxValues} values, the most a YAML file may hold (the YAML parser needs about 2 KB of memory per value): split it into several files, or write it as JSON`, shape.offset);
  }
  const isJson = /\.json$/i.test(abs);
  if (isJson) {
    // Why: YAML accepts comments, single quotes and trailing commas that JSON does not; a .json file must be JSON.
    const err = jsonParseError(text);
    if (err) fail(err.message, err.offset);
  }
  const lineCounter = new LineCounter();
  let composed: Composed;
  try {
    composed = composeYaml(text, lineCounter);
  } catch (e) {
    return fail(`cannot parse: ${(e as Error).message}`);
  }
  if (composed.badVersion) fail(versionMessage(composed.badVersion.version), composed.badVersion.offset);
  if (composed.count > 1) {
    fail(`holds ${composed.count} YAML documents; a kickstand file holds one (remove the "---" separators or split the file)`, composed.secondAt);
  }
  const doc = composed.doc;
  if (!doc) return { file, abs, value: null, positions: new Map() };
  // An unknown tag (`!foo`, `!!js/function`) is only a warning to the yaml library, which then reads the value as a
  // plain string; a kickstand file has no use for tags, so such a file is refused rather than silently reinterpreted.
  const errors = new ProblemList<JsonProblem>();
  for (const e of [...doc.errors, ...doc.warnings.filter((w) => w.code === 'TAG_RESOLVE_FAILED')]) {
    errors.add(() => {
      const p = lineCounter.linePos(e.pos[0]);
      const message = e.code === 'TAG_RESOLVE_FAILED'
        ? `unsupported YAML tag (${(e.message.split(' at line ')[0] ?? '').replace(/^Unresolved tag: /, '')}): kickstand files hold plain values`
        : `${isJson ? 'JSON' : 'YAML'} syntax error: ${e.message.split(' at line ')[0]}`;
      return { message, offset: e.pos[0], line: p.line, column: p.col };
    });
  }
  const root = doc.contents as YamlNode | null;
  let walk: YamlWalk | undefined;
  if (root !== null) {
    try {
      walk = walkYaml(root, text, file, lineCounter, limits, fail);
    } catch (e) {
      // A failure of the walk (nesting, paths) is reported unless the file has syntax errors to report first.
      if (!(e instanceof ParseFailure) || errors.count === 0) throw e;
    }
  }
  if (errors.count > 0 || (walk && walk.duplicates.count + walk.mergeKeys.count > 0)) {
    // Syntax errors, duplicate keys and merge keys together, in document order, as the library reported them when it
    // checked duplicates itself.
    const diags = [...reported(errors, file, isJson ? 'JSON errors' : 'YAML errors')];
    if (walk) diags.push(...reported(walk.duplicates, file, 'duplicate keys'), ...reported(walk.mergeKeys, file, 'merge keys'));
    const key = (d: Diagnostic): number => (d.where?.line ?? 0) * 1e9 + (d.where?.column ?? 0);
    throw new ParseFailure(diags.sort((a, b) => key(a) - key(b)));
  }
  if (!walk || root === null || (isScalar(root) && root.value === null)) return { file, abs, value: null, positions: new Map() };
  if (!isMap(root)) {
    fail(`the document must be ${options.expected ?? SECTIONS_EXPECTED}, not ${isSeq(root) ? 'a list' : 'a single value'}`, root.range?.[0] ?? 0);
  }
  if (walk.badKey) fail(walk.badKey.message, walk.badKey.offset);
  // Why our own alias limits before the library's: the library counts the uses of each anchor separately (10,000
  // anchors used once each passed, and resolving them took time quadratic in their number), and not the size of
  // what an alias stands for (one alias of a 5 MB mapping is 5 MB more to check, copy and validate).
  const aliasBomb = 'refusing a possible alias bomb';
  if (limits.maxAliasCount >= 0 && walk.expansions > limits.maxAliasCount) fail(`too many alias expansions (over ${limits.maxAliasCount}): ${aliasBomb}`, walk.firstAlias);
  const maxExpanded = Math.max(walk.written, MIN_ALIAS_VALUES);
  if (walk.expanded > maxExpanded) {
    fail(`aliases add ${walk.expanded} values to the ${walk.written} written in this file (at most ${maxExpanded}): ${aliasBomb}`, walk.firstAlias);
  }
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: limits.maxAliasCount });
  } catch (e) {
    const msg = (e as Error).message;
    if (/alias/i.test(msg)) fail(`too many alias expansions (over ${limits.maxAliasCount}): ${aliasBomb}`, walk.firstAlias);
    return fail(`cannot read the document: ${msg}`);
  }
  const jsonErr = checkJson(value, limits.maxDepth);
  if (jsonErr) {
    // Point at the value (or, inside an alias expansion, its nearest written ancestor) when it has a position.
    let at = jsonErr.path;
    while (at !== '' && !walk.positions.has(at)) {
      const cut = Math.max(at.lastIndexOf('.'), at.lastIndexOf('['));
      at = cut < 0 ? '' : at.slice(0, cut);
    }
    const pos = at !== '' ? walk.positions.get(at) : undefined;
    throw new ParseFailure([{ severity: 'error', message: jsonErr.message, where: pos ? { ...pos, path: jsonErr.path } : { file } }]);
  }
  if (walk.unsafeIntegers.count > 0) throw new ParseFailure(reported(walk.unsafeIntegers, file, 'integers that cannot be represented exactly'));
  return { file, abs, value: value as Json, positions: walk.positions };
}

/**
 * Aliases may add as many values as the file writes out, or this many when that is more. Why a floor: a small file
 * with one shared block used a few dozen times is fine; what must not happen is a file whose aliases multiply it.
 */
const MIN_ALIAS_VALUES = 100_000;

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
 * forbidden keys, non-finite numbers, integers a double cannot hold, the top-level type, syntax — and only when it
 * passes, `JSON.parse` for the value. Same checks, messages and positions as the YAML path gives a JSON file, at a
 * fraction of its time and memory. Syntax errors keep `JSON.parse`'s wording (asked of it only once the scanner found
 * one), at the scanner's offset when `JSON.parse` names none.
 */
export function parseJsonText(text: string, abs: string, limits: ParseLimits, expected?: string): ParsedFile {
  const file = displayName(abs);
  const failAt = (message: string, p: { line: number; column: number }, path?: string): never => {
    throw new ParseFailure([{ severity: 'error', message, where: { file, line: p.line, column: p.column, ...(path !== undefined ? { path } : {}) } }]);
  };
  const fail = (message: string, offset?: number): never => {
    if (offset === undefined) throw new ParseFailure([{ severity: 'error', message, where: { file } }]);
    return failAt(message, lineCol(text, offset));
  };
  const scan = scanJson(text, file, limits.maxDepth);
  if (scan.fatal?.kind === 'depth') failAt(scan.fatal.message, scan.fatal);
  if (scan.fatal) {
    // Why JSON.parse's words: they are what kickstand has always printed; the scanner's offset is the fallback.
    const err = jsonParseError(text);
    if (err) return err.offset !== undefined ? fail(err.message, err.offset) : failAt(err.message, scan.fatal);
    failAt(`invalid JSON: ${scan.fatal.message}`, scan.fatal);
  }
  if (scan.pathProblem) failAt(scan.pathProblem.message, scan.pathProblem);
  if (scan.duplicates.count > 0) throw new ParseFailure(reported(scan.duplicates, file, 'duplicate keys'));
  if (scan.root === 'null') return { file, abs, value: null, positions: new Map() };
  if (scan.root !== 'object') {
    fail(`the document must be ${expected ?? SECTIONS_EXPECTED}, not ${scan.root === 'array' ? 'a list' : 'a single value'}`, scan.rootOffset);
  }
  if (scan.forbiddenKey) failAt(scan.forbiddenKey.message, scan.forbiddenKey);
  if (scan.nonFinite) {
    const path = scan.nonFinite.path ?? '';
    const pos = scan.positions.get(path);
    throw new ParseFailure([{ severity: 'error', message: scan.nonFinite.message, where: pos ? { ...pos, path } : { file, line: scan.nonFinite.line, column: scan.nonFinite.column, path } }]);
  }
  if (scan.unsafeIntegers.count > 0) throw new ParseFailure(reported(scan.unsafeIntegers, file, 'integers that cannot be represented exactly'));
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

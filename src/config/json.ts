/**
 * A single-pass, non-recursive JSON scanner for `.json` kickstand files. `JSON.parse` builds the value (fast, but it
 * reports no positions, silently keeps the last of duplicate keys and accepts any depth); this scanner runs BEFORE it
 * and produces what `JSON.parse` cannot: the source position of every written path (the same map, with the same path
 * syntax, that the YAML path builds), and the hardening checks — duplicate keys, keys that could reach an object
 * prototype, nesting deeper than the limit, non-finite numbers, integers a double cannot hold exactly, paths over their
 * bounds, a document that is not an object — plus the offset of the first syntax error. Every problem gets its line
 * and column as the scan passes it (never by counting lines from the start of the text again). Why not the `yaml`
 * library for JSON: its parse of a 2.4 MB file took 1.65 s and 200 MB here.
 *
 * The scanner never builds values (only object keys are decoded), so its memory is the positions map and one frame per
 * open bracket; its grammar is RFC 8259's, so it accepts exactly what `JSON.parse` accepts.
 */
import type { SourcePos } from '../core/types.js';

/**
 * Keys never accepted anywhere in a file: they could reach an object prototype when copied into plain objects. Defined
 * here, the leaf module, and re-exported by parse.ts, so that the JSON and YAML paths refuse the same keys.
 */
export const FORBIDDEN_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * A problem found at a character offset of the text, with its 1-based line and column (and, for values, the dotted
 * path it was written at).
 */
export interface JsonProblem {
  message: string;
  offset: number;
  line: number;
  column: number;
  path?: string;
}

/**
 * At most this many problems of one kind (duplicate keys, unrepresentable integers, syntax errors) are reported per
 * file; one more diagnostic counts the rest. Why: a 10 MB file can hold a million duplicate keys, and a million
 * diagnostics help nobody.
 */
export const MAX_REPORTED = 20;

/**
 * Problems of one kind in document order: the first `MAX_REPORTED`, the one after them (where the "… and N more"
 * diagnostic points) and the count of all. `add` takes a function so that nothing is built for the problems not kept.
 */
export class ProblemList<P> {
  readonly kept: P[] = [];
  count = 0;
  add(make: () => P): void {
    this.count++;
    if (this.kept.length <= MAX_REPORTED) this.kept.push(make());
  }
}

/** The longest written path accepted, in characters (real paths are under 200). */
export const MAX_PATH_CHARS = 8192;

/** The written paths of a file may add up to this many characters per character of the file (and 1 M at least). */
export const PATH_CHARS_PER_BYTE = 16;

/**
 * The bounds on written paths, which both parse paths apply to every path in document order. Why: every written path
 * is stored as a map key, so hashed in full, and a path repeats all the keys above it — one 100 kB key above 100,000
 * values made 10 G characters of paths out of a 1 MB file (minutes). And V8 hashes a string over 16,383 characters by
 * its length alone, so that such paths (or keys) of equal length all collide: quadratic. Real files use about 2
 * characters of paths per character of file.
 */
export class PathBudget {
  private used = 0;
  private readonly budget: number;
  constructor(textLength: number) {
    this.budget = Math.max(PATH_CHARS_PER_BYTE * textLength, 1_000_000);
  }
  /** Count one more path; returns the message when it is over a bound. */
  take(path: string): string | undefined {
    if (path.length > MAX_PATH_CHARS) return `the path to this value is ${path.length} characters long, over the limit of ${MAX_PATH_CHARS}: shorten the keys above it`;
    this.used += path.length;
    if (this.used <= this.budget) return undefined;
    return `the keys above the values of this file are too long: the paths to its values add up to more than ${this.budget} characters (${PATH_CHARS_PER_BYTE} per character of the file); shorten the longest keys`;
  }
}

/** 2^53 − 1: up to it a double holds every integer exactly (`Number.MAX_SAFE_INTEGER`), as the digits JSON writes. */
const MAX_EXACT_INTEGER = '9007199254740991';

/**
 * The message for an integer literal outside ±(2^53 − 1), which a double cannot hold exactly. Why an error: the value
 * would be silently rounded (`9007199254740993` reads as 9007199254740992), and no FusionAuth field takes an integer
 * that large; a quoted value stays a string. `literal` is the text as written, `value` what it would read as.
 */
export function unsafeIntegerMessage(literal: string, value: number): string {
  const shown = literal.length > 40 ? `${literal.slice(0, 24)}… (${literal.length} characters)` : literal;
  return `integer ${shown} cannot be represented exactly (it would read as ${value}): integers must lie within ±${MAX_EXACT_INTEGER} (2^53 − 1); quote it if it is meant as text`;
}

/** What `scanJson` found. When `fatal` is set the scan stopped there and nothing else is complete. */
export interface JsonScan {
  /** A syntax error (`kind: 'syntax'`) or nesting over the limit (`kind: 'depth'`): the scan stopped here. */
  fatal?: JsonProblem & { kind: 'syntax' | 'depth' };
  /** The first written path over a bound of `PathBudget`; from there on no position and no duplicate was recorded. */
  pathProblem?: JsonProblem;
  /** Keys written twice in one object, at the second (and later) occurrence, in document order. */
  duplicates: ProblemList<JsonProblem>;
  /** Integer literals outside ±(2^53 − 1), which JSON.parse would round, in document order. */
  unsafeIntegers: ProblemList<JsonProblem>;
  /** The document's top-level value: `object`, `array`, `null` or `scalar` (a string, number or boolean). */
  root: 'object' | 'array' | 'null' | 'scalar';
  /** Offset of the top-level value (its first character). */
  rootOffset: number;
  /** The first key (in document order) that could reach an object prototype. */
  forbiddenKey?: JsonProblem;
  /** The first number that does not fit a double (`1e999`): JSON.parse would read it as Infinity. */
  nonFinite?: JsonProblem;
  /** Position of every written path: the key for object members, the item for array items. */
  positions: Map<string, SourcePos>;
}

/** One open object or array. */
interface Frame {
  array: boolean;
  path: string;
  /** Next item index (arrays). */
  index: number;
  /** Keys seen so far (objects). */
  keys: Set<string> | undefined;
}

const enum C {
  Tab = 9,
  Lf = 10,
  Cr = 13,
  Space = 32,
  Quote = 34,
  Plus = 43,
  Comma = 44,
  Minus = 45,
  Dot = 46,
  Slash = 47,
  D0 = 48,
  D1 = 49,
  D9 = 57,
  Colon = 58,
  UpperE = 69,
  LBracket = 91,
  Backslash = 92,
  RBracket = 93,
  LowerE = 101,
  LBrace = 123,
  RBrace = 125,
}

/** The message for a key written twice in one mapping (the key is named when it is short). */
export function duplicateKeyMessage(key: string): string {
  return `duplicate key${key.length <= 64 ? ` "${key}"` : ''}: this mapping already has this key`;
}

/** Append a key or index to a dotted path (`tenants` + 0 → `tenants[0]`, + `name` → `tenants[0].name`). */
export function childPath(parent: string, key: string | number): string {
  if (typeof key === 'number') return `${parent}[${key}]`;
  return parent === '' ? key : `${parent}.${key}`;
}

/**
 * Scan a JSON text: positions of every path and the problems listed on `JsonScan`. `maxDepth` counts like the YAML
 * path does: the top-level object is level 1 and a value inside it level 2, so an opening bracket whose contents would
 * sit deeper than `maxDepth` is refused — before `JSON.parse` ever sees the text. `file` names positions.
 */
export function scanJson(text: string, file: string, maxDepth: number): JsonScan {
  const positions = new Map<string, SourcePos>();
  const duplicates = new ProblemList<JsonProblem>();
  const unsafeIntegers = new ProblemList<JsonProblem>();
  const len = text.length;
  const paths = new PathBudget(len);
  const stack: Frame[] = [];
  let i = 0;
  let line = 1;
  let lineStart = 0;
  let forbiddenKey: JsonProblem | undefined;
  let nonFinite: JsonProblem | undefined;
  let root: JsonScan['root'] = 'null';
  let rootOffset = 0;

  const result = (fatal?: JsonScan['fatal']): JsonScan => ({
    ...(fatal ? { fatal } : {}),
    duplicates,
    unsafeIntegers,
    root,
    rootOffset,
    ...(forbiddenKey ? { forbiddenKey } : {}),
    ...(nonFinite ? { nonFinite } : {}),
    ...(pathProblem ? { pathProblem } : {}),
    positions,
  });
  // Every offset a problem is reported at lies on the line being scanned, so `problemAt` places it.
  const syntax = (message: string, at: number): JsonScan => result({ kind: 'syntax', message, ...problemAt(at) });
  const skipWs = (): void => {
    while (i < len) {
      const c = text.charCodeAt(i);
      if (c === C.Space || c === C.Tab || c === C.Cr) i++;
      else if (c === C.Lf) {
        i++;
        line++;
        lineStart = i;
      } else break;
    }
  };
  const posAt = (offset: number): SourcePos => ({ file, line, column: offset - lineStart + 1 });
  const problemAt = (offset: number): { offset: number; line: number; column: number } => ({ offset, line, column: offset - lineStart + 1 });
  let pathProblem: JsonProblem | undefined;
  /** Record the position of a written path, until a path is over a bound. */
  const record = (path: string, offset: number): void => {
    if (pathProblem) return;
    const message = paths.take(path);
    if (message !== undefined) pathProblem = { message, ...problemAt(offset) };
    else positions.set(path, posAt(offset));
  };
  /** Scan a string starting at the quote at `i`; returns the offset after the closing quote and whether it had escapes, or -1. */
  let hadEscape = false;
  const scanString = (): number => {
    let j = i + 1;
    hadEscape = false;
    while (j < len) {
      const c = text.charCodeAt(j);
      if (c === C.Quote) return j + 1;
      if (c < 0x20) return -1;
      if (c === C.Backslash) {
        hadEscape = true;
        const e = text.charCodeAt(j + 1);
        if (e === 117 /* u */) {
          for (let k = j + 2; k < j + 6; k++) {
            const h = text.charCodeAt(k);
            if (!((h >= C.D0 && h <= C.D9) || (h >= 65 && h <= 70) || (h >= 97 && h <= 102))) return -1;
          }
          j += 6;
          continue;
        }
        // " \ / b f n r t
        if (e === C.Quote || e === C.Backslash || e === C.Slash || e === 98 || e === 102 || e === 110 || e === 114 || e === 116) {
          j += 2;
          continue;
        }
        return -1;
      }
      j++;
    }
    return -1;
  };
  const digitsFrom = (j: number): number => {
    while (j < len) {
      const c = text.charCodeAt(j);
      if (c < C.D0 || c > C.D9) break;
      j++;
    }
    return j;
  };

  // The path of the value about to be read (set by the key, the array index, or '' at the top).
  let valuePath = '';
  skipWs();
  rootOffset = i;
  for (;;) {
    // --- A value starts at i (whitespace already skipped).
    if (i >= len) return syntax('Unexpected end of JSON input', i);
    const c = text.charCodeAt(i);
    if (stack.length === 0) root = c === C.LBrace ? 'object' : c === C.LBracket ? 'array' : text.startsWith('null', i) ? 'null' : 'scalar';
    if (c === C.LBrace || c === C.LBracket) {
      if (stack.length + 1 >= maxDepth) return result({ kind: 'depth', message: `nesting is deeper than the limit of ${maxDepth} levels`, ...problemAt(i) });
      const array = c === C.LBracket;
      const frame: Frame = { array, path: valuePath, index: 0, keys: array ? undefined : new Set() };
      stack.push(frame);
      i++;
      skipWs();
      const close = text.charCodeAt(i);
      if (close === (array ? C.RBracket : C.RBrace)) {
        stack.pop();
        i++;
      } else if (array) {
        valuePath = childPath(frame.path, 0);
        record(valuePath, i);
        continue;
      } else {
        // The first key.
        const r = readKey(frame);
        if (r) return r;
        continue;
      }
    } else if (c === C.Quote) {
      const end = scanString();
      if (end < 0) return syntax('Bad string', i);
      i = end;
    } else if (c === C.Minus || (c >= C.D0 && c <= C.D9)) {
      const start = i;
      let j = c === C.Minus ? i + 1 : i;
      const first = text.charCodeAt(j);
      if (first === C.D0) j++;
      else if (first >= C.D1 && first <= C.D9) j = digitsFrom(j + 1);
      else return syntax('No number after minus sign', j);
      const intEnd = j;
      let exp = false;
      let fraction = false;
      if (text.charCodeAt(j) === C.Dot) {
        const k = digitsFrom(j + 1);
        if (k === j + 1) return syntax('Unterminated fractional number', k);
        j = k;
        fraction = true;
      }
      const e = text.charCodeAt(j);
      if (e === C.LowerE || e === C.UpperE) {
        exp = true;
        j++;
        const s = text.charCodeAt(j);
        if (s === C.Plus || s === C.Minus) j++;
        const k = digitsFrom(j);
        if (k === j) return syntax('Exponent part is missing a number', k);
        j = k;
      }
      // Only an exponent or a very long mantissa can overflow a double.
      if ((exp || j - start > 300) && nonFinite === undefined && !Number.isFinite(Number(text.slice(start, j)))) {
        nonFinite = { message: 'numbers must be finite (.inf and .nan are not JSON)', ...problemAt(start), path: valuePath };
      }
      // An integer literal (no leading zeros in JSON) is exact when it has at most 15 digits, or 16 up to 2^53 − 1.
      const digits = intEnd - (c === C.Minus ? start + 1 : start);
      if (!exp && !fraction && (digits > MAX_EXACT_INTEGER.length || (digits === MAX_EXACT_INTEGER.length && text.slice(intEnd - digits, intEnd) > MAX_EXACT_INTEGER))) {
        const at = start;
        const path = valuePath;
        unsafeIntegers.add(() => {
          const literal = text.slice(at, intEnd);
          return { message: unsafeIntegerMessage(literal, Number(literal)), ...problemAt(at), path };
        });
      }
      i = j;
    } else if (text.startsWith('true', i)) i += 4;
    else if (text.startsWith('false', i)) i += 5;
    else if (text.startsWith('null', i)) i += 4;
    else return syntax('Unexpected token', i);

    // --- After a value: close containers, or move to the next member or item.
    for (;;) {
      skipWs();
      const frame = stack[stack.length - 1];
      if (!frame) {
        if (i < len) return syntax('Unexpected non-whitespace character after JSON', i);
        return result();
      }
      const d = text.charCodeAt(i);
      if (d === C.Comma) {
        i++;
        skipWs();
        if (frame.array) {
          frame.index++;
          valuePath = childPath(frame.path, frame.index);
          record(valuePath, i);
        } else {
          const r = readKey(frame);
          if (r) return r;
        }
        break;
      }
      if (d === (frame.array ? C.RBracket : C.RBrace)) {
        stack.pop();
        i++;
        continue;
      }
      return syntax(i >= len ? 'Unexpected end of JSON input' : frame.array ? "Expected ',' or ']' after array element" : "Expected ',' or '}' after property value", i);
    }
  }

  /** Read `"key" :` at i (whitespace skipped) in an object; sets valuePath; returns a result only on a syntax error. */
  function readKey(frame: Frame): JsonScan | undefined {
    if (text.charCodeAt(i) !== C.Quote) return syntax(i >= len ? 'Unexpected end of JSON input' : 'Expected double-quoted property name', i);
    const start = i;
    const end = scanString();
    if (end < 0) return syntax('Bad string', i);
    // Decoding escapes is rare in keys: let JSON.parse do it (surrogate pairs and all) on just the key.
    const key = hadEscape ? (JSON.parse(text.slice(start, end)) as string) : text.slice(start + 1, end - 1);
    valuePath = childPath(frame.path, key);
    record(valuePath, start);
    // Once a path is over its bound, that is what is reported; and no key that long goes into a Set (see PathBudget).
    if (!pathProblem) {
      const keys = frame.keys!;
      if (keys.has(key)) duplicates.add(() => ({ message: duplicateKeyMessage(key), ...problemAt(start) }));
      else keys.add(key);
    }
    if (forbiddenKey === undefined && FORBIDDEN_KEYS.has(key)) {
      forbiddenKey = { message: `key "${key}" is not allowed (it could reach an object prototype)`, ...problemAt(start) };
    }
    i = end;
    skipWs();
    if (text.charCodeAt(i) !== C.Colon) return syntax(i >= len ? 'Unexpected end of JSON input' : "Expected ':' after property name", i);
    i++;
    skipWs();
    return undefined;
  }
}

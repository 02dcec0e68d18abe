/**
 * A single-pass, non-recursive JSON scanner for `.json` kickstand files. `JSON.parse` builds the value (fast, but it
 * reports no positions, silently keeps the last of duplicate keys and accepts any depth); this scanner runs BEFORE it
 * and produces what `JSON.parse` cannot: the source position of every written path (the same map, with the same path
 * syntax, that the YAML path builds), and the hardening checks — duplicate keys, keys that could reach an object
 * prototype, nesting deeper than the limit, non-finite numbers, a document that is not an object — plus the offset of
 * the first syntax error. Why not the `yaml` library for JSON: its parse of a 2.4 MB file took 1.65 s and 200 MB here.
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

/** A problem found at a character offset of the text (and, for values, the dotted path it was written at). */
export interface JsonProblem {
  message: string;
  offset: number;
  path?: string;
}

/** What `scanJson` found. When `fatal` is set the scan stopped there and nothing else is complete. */
export interface JsonScan {
  /** A syntax error (`kind: 'syntax'`) or nesting over the limit (`kind: 'depth'`): the scan stopped here. */
  fatal?: JsonProblem & { kind: 'syntax' | 'depth' };
  /** Every key written twice in one object, at the second (and later) occurrence, in document order. */
  duplicates: JsonProblem[];
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
  const duplicates: JsonProblem[] = [];
  const len = text.length;
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
    root,
    rootOffset,
    ...(forbiddenKey ? { forbiddenKey } : {}),
    ...(nonFinite ? { nonFinite } : {}),
    positions,
  });
  const syntax = (message: string, at: number): JsonScan => result({ kind: 'syntax', message, offset: at });
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
      if (stack.length + 1 >= maxDepth) return result({ kind: 'depth', message: `nesting is deeper than the limit of ${maxDepth} levels`, offset: i });
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
        positions.set(valuePath, posAt(i));
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
      let exp = false;
      if (text.charCodeAt(j) === C.Dot) {
        const k = digitsFrom(j + 1);
        if (k === j + 1) return syntax('Unterminated fractional number', k);
        j = k;
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
        nonFinite = { message: 'numbers must be finite (.inf and .nan are not JSON)', offset: start, path: valuePath };
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
          positions.set(valuePath, posAt(i));
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
    const keys = frame.keys!;
    if (keys.has(key)) {
      duplicates.push({ message: `duplicate key${key.length <= 64 ? ` "${key}"` : ''}: this mapping already has this key`, offset: start });
    } else keys.add(key);
    if (forbiddenKey === undefined && FORBIDDEN_KEYS.has(key)) {
      forbiddenKey = { message: `key "${key}" is not allowed (it could reach an object prototype)`, offset: start };
    }
    valuePath = childPath(frame.path, key);
    positions.set(valuePath, posAt(start));
    i = end;
    skipWs();
    if (text.charCodeAt(i) !== C.Colon) return syntax(i >= len ? 'Unexpected end of JSON input' : "Expected ':' after property name", i);
    i++;
    skipWs();
    return undefined;
  }
}

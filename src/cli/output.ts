/**
 * Where commands print, and the run's secrets. Commands call `setSecrets` as soon as they know secret values (the API
 * key when connecting, the files' secrets after loading). Renderings get `runMasker()` and mask their own data by path
 * and by value before they escape anything for their format; they are printed with `printRendered`. Free text (error
 * messages, retry notices) goes through `out`/`err`, which mask it by value. Every byte written is made inert: control
 * characters and bidirectional overrides become `\uXXXX`, except newlines and tabs and, in a coloured human
 * rendering, the colour sequences of kickstand's own palette.
 */
import { rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { UserError } from '../core/errors.js';
import { createMasker, type Masker } from '../core/mask.js';

let masker: Masker = (t) => t;
const known = new Set<string>();

/** Add secret values to mask in all further output. */
export function setSecrets(values: Iterable<string>): void {
  for (const v of values) if (typeof v === 'string' && v !== '') known.add(v);
  masker = createMasker(known);
}

/** The masker of the run's secrets, for renderers (`mask` option): raw text in, raw text out. */
export function runMasker(): Masker {
  return (text) => masker(text);
}

// eslint-disable-next-line no-control-regex -- matching control characters is the point
const UNSAFE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]/g;
// eslint-disable-next-line no-control-regex -- as above, with kickstand's own colour sequences (SGR) kept whole
const UNSAFE_KEEP_SGR = /\u001b\[[0-9;]*m|[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]/g;

const hex = (c: string): string => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;

/**
 * Make terminal control characters visible: every C0 control but newline and tab, DEL, the C1 controls and the
 * bidirectional controls become a `\uXXXX` text escape. With `keepColors`, SGR colour sequences (`ESC [ … m`) pass:
 * only for renderings whose foreign text was already escaped (`src/render/text.ts`), so the only SGR left is ours.
 * In JSON output the escape keeps the document valid and its meaning unchanged (such characters can only occur
 * inside strings there).
 */
export function neutralizeControls(text: string, keepColors = false): string {
  return keepColors ? text.replace(UNSAFE_KEEP_SGR, (m) => (m.length > 1 ? m : hex(m))) : text.replace(UNSAFE, hex);
}

/** The masker for free text printed from now on (it also neutralises terminal control characters). */
export function currentMasker(): Masker {
  return (text) => neutralizeControls(masker(text));
}

// A reader that stops early (`kickstand schema | head`) closes the pipe: stop writing quietly instead of crashing.
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw e;
});

/** Print free text to stdout, masked. */
export function out(text: string): void {
  process.stdout.write(neutralizeControls(masker(text)));
}

/** Print free text to stderr, masked. */
export function err(text: string): void {
  process.stderr.write(neutralizeControls(masker(text)));
}

/**
 * Print a rendering (a plan, an apply result, a progress line) that masked its own data with `runMasker()`: it is
 * not searched again (a second search over the finished text could rewrite keys, names or JSON structure), only made
 * inert; `colors` keeps the human rendering's own colour sequences.
 */
export function printRendered(stream: 'stdout' | 'stderr', text: string, colors = false): void {
  (stream === 'stdout' ? process.stdout : process.stderr).write(neutralizeControls(text, colors));
}

/**
 * Write a rendering to a file (`--json-out`), whole or not at all: into a temporary file beside it, then renamed over
 * it, so that a pipeline never reads half a plan. The text is the renderer's, masked like every output.
 */
export async function writeRendered(path: string, text: string): Promise<void> {
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.tmp`);
  try {
    await writeFile(tmp, text, { mode: 0o644 });
    await rename(tmp, path);
  } catch (e) {
    await rm(tmp, { force: true });
    const reason = (e as NodeJS.ErrnoException).code ?? (e as Error).message;
    throw new UserError(`cannot write ${path}: ${reason}`);
  }
}

/** Erase the current terminal line and go back to its start (`\r` and the ANSI "erase line" sequence). */
const ERASE_LINE = '\r\u001b[2K';

/**
 * Rewrite the current line of stderr (a terminal) with `text`, for a status that updates in place. The text is made
 * inert like every output (a rendering masked its data already); only the erase sequence is written raw.
 */
export function statusLine(text: string): void {
  process.stderr.write(ERASE_LINE + neutralizeControls(text.replace(/\n/g, ' ')));
}

/** Erase the status line written by `statusLine`. */
export function clearStatusLine(): void {
  process.stderr.write(ERASE_LINE);
}

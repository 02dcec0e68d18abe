/**
 * Where commands print. Everything goes through the run's masker so that no secret value reaches stdout or stderr;
 * commands call `setSecrets` as soon as they know the secret values (after loading the files).
 */
import { createMasker, type Masker } from '../core/mask.js';

let masker: Masker = (t) => t;
const known = new Set<string>();

/** Add secret values to mask in all further output. */
export function setSecrets(values: Iterable<string>): void {
  for (const v of values) known.add(v);
  masker = createMasker(known);
}

// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROLS = /\u001b\[[0-9;]*m|[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;

/**
 * Make terminal control characters visible: every C0 control but newline and tab, DEL and the C1 controls become a
 * `\uXXXX` text escape, except the colour sequences (SGR, `ESC [ … m`) the human rendering writes. Why: names and
 * messages come from files and from the server (an error message may echo a value); a raw escape sequence in them
 * could clear the screen, move the cursor or rewrite earlier lines of a plan. In JSON output the escape keeps the
 * document valid and its meaning unchanged (raw controls can only occur inside strings there).
 */
export function neutralizeControls(text: string): string {
  return text.replace(CONTROLS, (m) => (m.length > 1 ? m : `\\u${m.charCodeAt(0).toString(16).padStart(4, '0')}`));
}
/** The masker for everything printed from now on (it also neutralises terminal control characters). */
export function currentMasker(): Masker {
  return (text) => neutralizeControls(masker(text));
}

// A reader that stops early (`kickstand schema | head`) closes the pipe: stop writing quietly instead of crashing.
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw e;
});

/** Print to stdout, masked. */
export function out(text: string): void {
  process.stdout.write(neutralizeControls(masker(text)));
}

/** Print to stderr, masked. */
export function err(text: string): void {
  process.stderr.write(neutralizeControls(masker(text)));
}

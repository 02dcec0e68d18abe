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

/** The masker for everything printed from now on. */
export function currentMasker(): Masker {
  return masker;
}

// A reader that stops early (`kickstand schema | head`) closes the pipe: stop writing quietly instead of crashing.
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw e;
});

/** Print to stdout, masked. */
export function out(text: string): void {
  process.stdout.write(masker(text));
}

/** Print to stderr, masked. */
export function err(text: string): void {
  process.stderr.write(masker(text));
}

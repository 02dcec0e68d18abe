/**
 * The one place where secrets are masked. Every byte kickstand prints (renderings, logs, errors) passes through a
 * `Masker` built from the secret values known for the run: sensitive variables and secret fields of the files.
 */

/** What a secret value is replaced with. */
export const MASK = '(sensitive)';

/** Replaces every known secret value in a text. */
export type Masker = (text: string) => string;

/**
 * Build a masker for these secret values. Values shorter than 4 characters are not masked by text search (they
 * would mangle ordinary words); fields known to be secret are masked by path in the renderings instead.
 * Longer values are replaced first so that a secret containing another is masked whole. JSON-escaped forms are
 * masked too, since secrets may be printed inside JSON.
 */
export function createMasker(secrets: Iterable<string>): Masker {
  const forms = new Set<string>();
  for (const s of secrets) {
    if (typeof s !== 'string' || s.length < 4) continue;
    forms.add(s);
    const escaped = JSON.stringify(s).slice(1, -1);
    if (escaped !== s) forms.add(escaped);
  }
  const list = [...forms].sort((a, b) => b.length - a.length);
  if (list.length === 0) return (t) => t;
  const re = new RegExp(list.map((s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|'), 'g');
  return (text) => text.replace(re, MASK);
}

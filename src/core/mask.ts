/**
 * The one place where secret values are searched for in text. Renderings mask their data by path (the field is a
 * secret) and pass every free-text value (a server message, a field value) through a `Masker` built from the secret
 * values known for the run: sensitive variables, values read from the environment, secret fields of the files, the
 * API key. Search by value is only for values long enough to be secrets (`MIN_SEARCHED_SECRET_LENGTH`): a short value
 * such as a header `X-Env: prod` would otherwise turn every "prod" of a plan into the mask.
 */

/** What a secret value is replaced with. */
export const MASK = '(sensitive)';

/** Replaces every known secret value in a text. */
export type Masker = (text: string) => string;

/**
 * Secret values shorter than this are masked by path only, never searched for in other text. Why 8: shorter values are
 * ordinary words and numbers ("prod", "eu-west", "600") whose every occurrence would be hidden, names and keys
 * included; real credentials (API keys, tokens, client secrets) are far longer.
 */
export const MIN_SEARCHED_SECRET_LENGTH = 8;

/**
 * Build a masker for these secret values. Values shorter than `MIN_SEARCHED_SECRET_LENGTH` are not searched for;
 * fields known to be secret are masked by path in the renderings instead.
 * Longer values are replaced first so that a secret containing another is masked whole. JSON-escaped forms are
 * masked too, since secrets may be printed inside JSON.
 */
export function createMasker(secrets: Iterable<string>): Masker {
  const forms = new Set<string>();
  for (const s of secrets) {
    if (typeof s !== 'string' || s.length < MIN_SEARCHED_SECRET_LENGTH) continue;
    forms.add(s);
    const escaped = JSON.stringify(s).slice(1, -1);
    if (escaped !== s) forms.add(escaped);
  }
  const list = [...forms].sort((a, b) => b.length - a.length);
  if (list.length === 0) return (t) => t;
  // A text shorter than the shortest secret cannot hold one: no search.
  const shortest = list[list.length - 1]!.length;
  if (list.length > MANY_SECRETS) return prefixMasker(list, shortest);
  const re = new RegExp(list.map((s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|'), 'g');
  return (text) => (text.length < shortest ? text : text.replace(re, MASK));
}

/**
 * Above this many secret forms a regular expression alternation is slow: it tries every alternative at every position
 * (a plan holds the live client secret of every application: a thousand secrets over a hundred thousand strings took
 * seconds). Few secrets over long texts (the whole output) are what the regular expression does best.
 */
const MANY_SECRETS = 32;

/**
 * The same replacement as the regular expression (leftmost occurrence, longest secret there, scanning on after it),
 * looking secrets up by their first `width` characters: one map lookup per position however many secrets there are.
 */
function prefixMasker(longestFirst: string[], width: number): Masker {
  const byPrefix = new Map<string, string[]>();
  for (const s of longestFirst) {
    const key = s.slice(0, width);
    const list = byPrefix.get(key);
    if (list) list.push(s);
    else byPrefix.set(key, [s]);
  }
  return (text) => {
    let out = '';
    let last = 0;
    let i = 0;
    while (i + width <= text.length) {
      const hit = byPrefix.get(text.slice(i, i + width))?.find((s) => text.startsWith(s, i));
      if (hit === undefined) {
        i++;
        continue;
      }
      out += text.slice(last, i) + MASK;
      i += hit.length;
      last = i;
    }
    return last === 0 ? text : out + text.slice(last);
  };
}

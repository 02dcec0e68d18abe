/**
 * Characters in a field name that are not what they look like. Every FusionAuth field name is plain ASCII, so an
 * unknown name holding anything else was most likely pasted or typed with a look-alike (a Cyrillic "е" for "e") or
 * an invisible character (a zero-width joiner, a BOM, a soft hyphen, a bidi mark). This module names each such
 * character so that the message explains why a name that looks right is unknown, and gives the name with those
 * characters removed or mapped to their ASCII look-alike, for the "did you mean".
 */

/** One character of a name that is not printable ASCII. */
export interface OddChar {
  /** `U+0435` */
  codePoint: string;
  /** What it is, for a message: `a Cyrillic letter`, `an invisible zero-width joiner`. */
  kind: string;
  /** The ASCII character it looks like, when it looks like one. */
  looksLike?: string;
  /** True when it shows nothing (or moves text around) on a screen. */
  invisible: boolean;
}

/**
 * Names of the invisible characters people meet in copied text. Others of the same Unicode categories (format
 * characters, controls) get a generic description.
 */
const INVISIBLE_NAMES: ReadonlyMap<number, string> = new Map([
  [0x00ad, 'soft hyphen'],
  [0x034f, 'combining grapheme joiner'],
  [0x061c, 'Arabic letter mark, a bidi mark'],
  [0x115f, 'Hangul choseong filler'],
  [0x1160, 'Hangul jungseong filler'],
  [0x180e, 'Mongolian vowel separator'],
  [0x200b, 'zero-width space'],
  [0x200c, 'zero-width non-joiner'],
  [0x200d, 'zero-width joiner'],
  [0x200e, 'left-to-right mark, a bidi mark'],
  [0x200f, 'right-to-left mark, a bidi mark'],
  [0x202a, 'left-to-right embedding, a bidi control'],
  [0x202b, 'right-to-left embedding, a bidi control'],
  [0x202c, 'pop directional formatting, a bidi control'],
  [0x202d, 'left-to-right override, a bidi control'],
  [0x202e, 'right-to-left override, a bidi control'],
  [0x2060, 'word joiner'],
  [0x2061, 'function application'],
  [0x2062, 'invisible times'],
  [0x2063, 'invisible separator'],
  [0x2064, 'invisible plus'],
  [0x2066, 'left-to-right isolate, a bidi control'],
  [0x2067, 'right-to-left isolate, a bidi control'],
  [0x2068, 'first strong isolate, a bidi control'],
  [0x2069, 'pop directional isolate, a bidi control'],
  [0x3164, 'Hangul filler'],
  [0xfeff, 'byte order mark, BOM'],
  [0xffa0, 'halfwidth Hangul filler'],
]);

/**
 * Cyrillic and Greek letters that look like an ASCII letter in common fonts (the subset of Unicode's confusables
 * that matters for camelCase field names). Other scripts' look-alikes are still named as non-ASCII characters.
 */
const LOOKALIKES: ReadonlyMap<string, string> = new Map(Object.entries({
  // Cyrillic small
  'а': 'a', 'с': 'c', 'ԁ': 'd', 'е': 'e', 'һ': 'h', 'і': 'i', 'ј': 'j', 'ӏ': 'l', 'о': 'o', 'р': 'p', 'ԛ': 'q', 'ѕ': 's',
  'ѵ': 'v', 'ԝ': 'w', 'х': 'x', 'у': 'y', 'ү': 'y',
  // Cyrillic capital
  'А': 'A', 'В': 'B', 'С': 'C', 'Ԁ': 'D', 'Е': 'E', 'Н': 'H', 'І': 'I', 'Ӏ': 'I', 'Ј': 'J', 'К': 'K', 'М': 'M', 'О': 'O',
  'Р': 'P', 'Ԛ': 'Q', 'Ѕ': 'S', 'Т': 'T', 'Ԝ': 'W', 'Х': 'X', 'У': 'Y', 'Ү': 'Y',
  // Greek small
  'α': 'a', 'γ': 'y', 'ι': 'i', 'ν': 'v', 'ο': 'o', 'ρ': 'p', 'υ': 'u',
  // Greek capital
  'Α': 'A', 'Β': 'B', 'Ε': 'E', 'Ζ': 'Z', 'Η': 'H', 'Ι': 'I', 'Κ': 'K', 'Μ': 'M', 'Ν': 'N', 'Ο': 'O', 'Ρ': 'P', 'Τ': 'T',
  'Υ': 'Y', 'Χ': 'X',
}));

const codePointOf = (cp: number): string => `U+${cp.toString(16).toUpperCase().padStart(4, '0')}`;

/** Describe one character that is not printable ASCII. */
function classify(ch: string): OddChar {
  const cp = ch.codePointAt(0)!;
  const codePoint = codePointOf(cp);
  const named = INVISIBLE_NAMES.get(cp);
  if (named !== undefined) return { codePoint, kind: `an invisible ${named}`, invisible: true };
  if (/\p{Cc}/u.test(ch)) return { codePoint, kind: 'a control character', invisible: true };
  if (/[\p{Cf}\p{Mn}\p{Me}]/u.test(ch)) return { codePoint, kind: /\p{Cf}/u.test(ch) ? 'an invisible formatting character' : 'a combining mark', invisible: true };
  if (/[\p{Zs}\p{Zl}\p{Zp}]/u.test(ch)) return { codePoint, kind: 'a non-ASCII space', looksLike: ' ', invisible: false };
  const looksLike = LOOKALIKES.get(ch);
  const script = /\p{Script=Cyrillic}/u.test(ch) ? 'a Cyrillic letter' : /\p{Script=Greek}/u.test(ch) ? 'a Greek letter' : undefined;
  if (looksLike !== undefined) return { codePoint, kind: script ?? 'a non-ASCII letter', looksLike, invisible: false };
  // Fullwidth forms and ligatures (ａ, ﬁ) fold to ASCII under NFKC.
  const folded = ch.normalize('NFKC');
  if (folded !== ch && /^[\x21-\x7e]+$/.test(folded)) return { codePoint, kind: 'a compatibility form', looksLike: folded, invisible: false };
  return { codePoint, kind: script ?? `a non-ASCII character "${ch}"`, invisible: false };
}

/** What `inspectName` found in a name. */
export interface NameInspection {
  /** The characters that are not printable ASCII, in order (each distinct character once). */
  odd: OddChar[];
  /** The name with invisible characters removed and look-alikes replaced by their ASCII letter. */
  cleaned: string;
  /**
   * The name safe to print: invisible characters and controls written as `\u200d`. Why: a bidi override printed as
   * is reorders the rest of the terminal line, and a zero-width character shows nothing where the problem is.
   */
  display: string;
}

const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;

/** Find the characters of a name that are not printable ASCII; see `NameInspection`. Linear in the name's length. */
export function inspectName(name: string): NameInspection {
  if (PRINTABLE_ASCII.test(name)) return { odd: [], cleaned: name, display: name };
  const odd: OddChar[] = [];
  const seen = new Set<string>();
  let cleaned = '';
  let display = '';
  for (const ch of name) {
    const cp = ch.codePointAt(0)!;
    if (cp >= 0x20 && cp <= 0x7e) {
      cleaned += ch;
      display += ch;
      continue;
    }
    const c = classify(ch);
    if (!seen.has(ch)) {
      seen.add(ch);
      odd.push(c);
    }
    if (c.invisible) {
      display += cp > 0xffff ? `\\u{${cp.toString(16)}}` : `\\u${cp.toString(16).padStart(4, '0')}`;
    } else {
      display += ch;
      cleaned += c.looksLike ?? ch;
    }
  }
  return { odd, cleaned, display };
}

/**
 * The explanation of a name's odd characters for a message, or '' when it has none: `contains U+0435 (a Cyrillic
 * letter) where "e" looks the same, and U+200D (an invisible zero-width joiner)`. At most 5 are listed.
 */
export function describeOddChars(odd: readonly OddChar[]): string {
  if (odd.length === 0) return '';
  const parts = odd.slice(0, 5).map((c) => `${c.codePoint} (${c.kind})${c.looksLike !== undefined ? ` where "${c.looksLike}" looks the same` : ''}`);
  const more = odd.length > 5 ? `, and ${odd.length - 5} more` : '';
  const list = parts.length === 1 ? parts[0]! : `${parts.slice(0, -1).join(', ')}${more ? ', ' : ' and '}${parts[parts.length - 1]!}${more}`;
  return `contains ${list}`;
}

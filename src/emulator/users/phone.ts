/**
 * Phone numbers as FusionAuth handles login identities (since 1.59): any common format in, E.164 out.
 *
 * Source: [SITE:docs/apis/users/_user-request-body.mdx] `user.phoneNumber` — "stored and returned in E.164 canonical
 * format … `303-555-1212` is considered equal to `+13035551212`"; [SITE:docs/apis/identity-verify.mdx] `loginId` —
 * "any valid phone number (in E.164, national, or international format) … If no country code is provided, a US/NANP
 * country code of 1 is assumed."
 *
 * FusionAuth validates with a full numbering-plan library; the emulator checks shape only (digits, length, a NANP
 * number when there is no `+`), which is enough to reject what is clearly not a phone number.
 */

/** Characters people put between digits: spaces, dashes, dots, parentheses. */
const SEPARATORS = /[\s().-]/g;

/**
 * The E.164 form of a phone number (`+` and 8–15 digits), or undefined when the input is not a phone number.
 * Without a leading `+`, a 10-digit NANP number (or 11 digits starting with 1) is taken as `+1…`.
 */
export function canonicalPhone(input: unknown): string | undefined {
  if (typeof input !== 'string') return undefined;
  const trimmed = input.trim();
  if (!/^\+?[\d\s().-]+$/.test(trimmed)) return undefined;
  const digits = trimmed.replace(SEPARATORS, '').replace(/^\+/, '');
  if (!/^\d+$/.test(digits)) return undefined;
  if (trimmed.startsWith('+')) {
    // E.164: a country code never starts with 0; at most 15 digits. NANP (+1) numbers are exactly 11 digits.
    if (!/^[1-9]\d{7,14}$/.test(digits)) return undefined;
    if (digits.startsWith('1') && digits.length !== 11) return undefined;
    return `+${digits}`;
  }
  if (/^[2-9]\d{9}$/.test(digits)) return `+1${digits}`;
  if (/^1[2-9]\d{9}$/.test(digits)) return `+${digits}`;
  return undefined;
}

/**
 * Unknown fields are errors, and a name that looks right but holds a look-alike or invisible character says which
 * character, by code point and kind, with the "did you mean" computed on the name as it looks.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import { describeOddChars, inspectName } from '../../src/config/lookalike.js';
import { loadErrors, tmpFiles } from './helpers.js';

/** A tenant whose phoneConfiguration holds one field named `field` (written as JSON so any character survives). */
function tenantWith(field: string): string {
  return JSON.stringify({ tenants: [{ key: 'a', name: 'A', phoneConfiguration: { [field]: true } }] }, null, 2);
}

async function unknownFieldError(field: string, options: { allowUnknownFields?: boolean } = {}) {
  const dir = tmpFiles({ 'k.json': tenantWith(field) });
  if (options.allowUnknownFields) {
    const state = await loadConfig([join(dir, 'k.json')], { env: {}, allowUnknownFields: true });
    return state.diagnostics;
  }
  return (await loadErrors([join(dir, 'k.json')])).errors;
}

/** Every invisible character the module names, and what the message calls it. */
const INVISIBLE: Array<[string, string]> = [
  ['\u200b', 'U+200B (an invisible zero-width space)'],
  ['\u200c', 'U+200C (an invisible zero-width non-joiner)'],
  ['\u200d', 'U+200D (an invisible zero-width joiner)'],
  ['\u2060', 'U+2060 (an invisible word joiner)'],
  ['\ufeff', 'U+FEFF (an invisible byte order mark, BOM)'],
  ['\u00ad', 'U+00AD (an invisible soft hyphen)'],
  ['\u200e', 'U+200E (an invisible left-to-right mark, a bidi mark)'],
  ['\u200f', 'U+200F (an invisible right-to-left mark, a bidi mark)'],
  ['\u202e', 'U+202E (an invisible right-to-left override, a bidi control)'],
  ['\u2066', 'U+2066 (an invisible left-to-right isolate, a bidi control)'],
  ['\u061c', 'U+061C (an invisible Arabic letter mark, a bidi mark)'],
  ['\u034f', 'U+034F (an invisible combining grapheme joiner)'],
  ['\u2064', 'U+2064 (an invisible invisible plus)'],
  ['\u0001', 'U+0001 (a control character)'],
  ['\u{e0041}', 'U+E0041 (an invisible formatting character)'],
];

describe('unknown fields are errors', () => {
  it.each(INVISIBLE)('an invisible %j inside a real field name is named, escaped in the name, and the real name suggested', async (ch, named) => {
    const [d] = await unknownFieldError(`verifyPhone${ch}Number`);
    const cp = ch.codePointAt(0)!;
    const escaped = cp > 0xffff ? `\\u{${cp.toString(16)}}` : `\\u${cp.toString(16).padStart(4, '0')}`;
    expect(d).toMatchObject({ severity: 'error', where: { line: 7, path: `tenants[0].phoneConfiguration.verifyPhone${escaped}Number` } });
    expect(d!.message).toBe(`unknown field "verifyPhone${escaped}Number": contains ${named}; did you mean "verifyPhoneNumber"?`);
    // The printed message never carries the character itself (a bidi control would reorder the terminal line).
    expect(d!.message.includes(ch)).toBe(false);
  });

  it.each([
    ['verifyPhoneNumbеr', 'U+0435 (a Cyrillic letter) where "e" looks the same'],
    ['verifyРhoneNumber', 'U+0420 (a Cyrillic letter) where "P" looks the same'],
    ['verifyPhοneNumber', 'U+03BF (a Greek letter) where "o" looks the same'],
    ['verifyPhoneΝumber', 'U+039D (a Greek letter) where "N" looks the same'],
    ['verifyＰhoneNumber', 'U+FF30 (a compatibility form) where "P" looks the same'],
  ])('a look-alike letter in %s is named with the ASCII letter it imitates', async (field, named) => {
    const [d] = await unknownFieldError(field);
    expect(d!.message).toBe(`unknown field "${field}": contains ${named}; did you mean "verifyPhoneNumber"?`);
  });

  it('the suggestion compares the name as it looks: four look-alikes or four invisibles still find the field', async () => {
    // Edit distance 4 on the raw name is beyond the suggestion threshold; cleaned, the name is exactly "verifyPhoneNumber".
    const cyr = 'vеrіfyРhоneNumber';
    expect((await unknownFieldError(cyr))[0]!.message).toMatch(/; did you mean "verifyPhoneNumber"\?$/);
    const zw = 've\u200brify\u200bPho\u200bne\u200bNumber';
    expect((await unknownFieldError(zw))[0]!.message).toMatch(/contains U\+200B \(an invisible zero-width space\); did you mean "verifyPhoneNumber"\?$/);
  });

  it('a non-ASCII character that imitates nothing is still named', async () => {
    const [d] = await unknownFieldError('verifyPhöneNumber');
    expect(d!.message).toBe('unknown field "verifyPhöneNumber": contains U+00F6 (a non-ASCII character "ö"); did you mean "verifyPhoneNumber"?');
  });

  it('an unknown top-level section with a look-alike stays an error and says so', async () => {
    const dir = tmpFiles({ 'k.yaml': 'tеnants:\n  - key: a\n    name: A\n' });
    const { errors } = await loadErrors([dir], { allowUnknownFields: true });
    expect(errors.map((d) => d.message)).toEqual(['unknown section "tеnants": contains U+0435 (a Cyrillic letter) where "e" looks the same; did you mean "tenants"?']);
  });

  it('with allowUnknownFields a look-alike is a warning that still names the character and says it may not be comparable', async () => {
    const [d] = await unknownFieldError('verifyPhone\u200dNumber', { allowUnknownFields: true });
    expect(d).toMatchObject({ severity: 'warning', where: { line: 7 } });
    expect(d!.message).toBe(
      'unknown field "verifyPhone\\u200dNumber": contains U+200D (an invisible zero-width joiner); did you mean "verifyPhoneNumber"? ' +
        '(kept because unknown fields are allowed: it is sent as written; if this FusionAuth does not know the field it ignores it, and the plan says the field cannot be compared)',
    );
  });

  it('every kind rejects an unknown field, at any depth of an entry', async () => {
    const dir = tmpFiles({
      'k.yaml':
        'messengers:\n  - key: m\n    name: M\n    type: Generic\n    url: https://x.example\n    connectTimeout: 1\n    readTimeout: 1\n    retries: 3\n' +
        'messageTemplates:\n  - key: t\n    name: T\n    type: SMS\n    defaultTemplate: x\n    locale: fr\n' +
        'tenants:\n  - key: a\n    name: A\n    jwtConfiguration:\n      refreshTokenOneTimeUseConfiguration:\n        gracePeriod: 10\n' +
        'applications:\n  - key: w\n    name: W\n    roles:\n      - name: admin\n        superRole: true\n',
    });
    const { errors } = await loadErrors([dir]);
    expect(errors.map((d) => [d.where?.line, d.message]).sort((a, b) => Number(a[0]) - Number(b[0]))).toEqual([
      [8, 'unknown field "retries"'],
      [14, 'unknown field "locale"'],
      [20, 'unknown field "gracePeriod"'],
      [26, 'unknown field "superRole"; did you mean "isSuperRole"?'],
    ]);
  });
});

describe('inspectName', () => {
  it('leaves printable ASCII alone', () => {
    expect(inspectName('verifyPhoneNumber')).toEqual({ odd: [], cleaned: 'verifyPhoneNumber', display: 'verifyPhoneNumber' });
  });

  it('lists each distinct odd character once, in order, and cleans and escapes the name', () => {
    const r = inspectName('а\u200bа\u200bb');
    expect(r.odd.map((c) => c.codePoint)).toEqual(['U+0430', 'U+200B']);
    expect(r.cleaned).toBe('aab');
    expect(r.display).toBe('а\\u200bа\\u200bb');
  });

  it('lists at most five characters and counts the rest', () => {
    const { odd } = inspectName('\u200b\u200c\u200d\u2060\ufeff\u00ad\u200e');
    expect(describeOddChars(odd)).toMatch(/^contains U\+200B .*, U\+FEFF \(an invisible byte order mark, BOM\), and 2 more$/);
  });

  it('is linear: a 200,000-character name of look-alikes is inspected at once', () => {
    const r = inspectName('е\u200d'.repeat(100_000));
    expect(r.odd).toHaveLength(2);
    expect(r.cleaned).toBe('e'.repeat(100_000));
  });
});

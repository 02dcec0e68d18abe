/** The user side's small pieces: phone canonicalization, the FreeMarker subset, template choice, generators. */
import { describe, expect, it } from 'vitest';
import { generate, generatorFrom } from '../../src/emulator/users/generators.js';
import { canonicalPhone } from '../../src/emulator/users/phone.js';
import { chooseTemplate, renderTemplate } from '../../src/emulator/users/template.js';

describe('canonicalPhone', () => {
  it.each([
    ['+13035551212', '+13035551212'],
    ['303-555-1212', '+13035551212'], // the docs' own example: equal to +13035551212
    ['(303) 555.1212', '+13035551212'],
    ['1 303 555 1212', '+13035551212'],
    ['+44 20 7946 0958', '+442079460958'],
  ])('%s → %s', (input, out) => expect(canonicalPhone(input)).toBe(out));

  it.each(['', 'abc', '+0123456789', '5551212', '+1303555121', '+1234567890123456', '+1 (303) 555-1212 ext 4', 12345])('rejects %s', (input) => {
    expect(canonicalPhone(input)).toBeUndefined();
  });
});

describe('renderTemplate (FreeMarker subset)', () => {
  const vars = { code: 'ABC123', n: 7, user: { firstName: 'Ada', data: { x: 'y' } }, empty: null };
  it('renders names, dotted names and defaults', () => {
    expect(renderTemplate('Code ${code}, ${ n }, hi ${user.firstName}, ${user.data.x}', vars)).toBe('Code ABC123, 7, hi Ada, y');
    expect(renderTemplate('${user.lastName!"friend"} ${missing!\'x\'} [${missing!}] ${empty!"e"}', vars)).toBe('friend x [] e');
  });
  it('passes everything else through literally', () => {
    const raw = '<#if code??>${code?upper_case}</#if> ${user} ${missing} ${a + b} $code';
    expect(renderTemplate(raw, vars)).toBe(raw);
  });
});

describe('chooseTemplate', () => {
  const t = { defaultTemplate: 'D', localizedTemplates: { fr: 'F', pt_BR: 'P' } };
  it('takes the first preferred language that has a localized text, exact locale before language', () => {
    expect(chooseTemplate(t, ['de', 'pt-BR', 'fr'])).toEqual({ text: 'P', locale: 'pt_BR' });
    expect(chooseTemplate(t, ['fr_CA'])).toEqual({ text: 'F', locale: 'fr' });
    expect(chooseTemplate(t, ['de'])).toEqual({ text: 'D' });
    expect(chooseTemplate(t, undefined)).toEqual({ text: 'D' });
    expect(chooseTemplate({ defaultTemplate: 'D' }, ['fr'])).toEqual({ text: 'D' });
  });
});

describe('generators', () => {
  it('follow {length, type}', () => {
    expect(generate({ length: 6, type: 'randomDigits' })).toMatch(/^\d{6}$/);
    expect(generate({ length: 5, type: 'randomAlpha' })).toMatch(/^[A-Z]{5}$/);
    expect(generate({ length: 9, type: 'randomAlphaNumeric' })).toMatch(/^[A-Z0-9]{9}$/);
    expect(generate({ length: 32, type: 'randomBytes' })).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(new Set(Array.from({ length: 20 }, () => generate({ length: 32, type: 'randomBytes' }))).size).toBe(20);
  });
  it('fall back to the default for missing or odd settings', () => {
    const d = { length: 6, type: 'randomAlphaNumeric' } as const;
    expect(generatorFrom(undefined, d)).toEqual(d);
    expect(generatorFrom({ length: 0, type: 'nope' }, d)).toEqual(d);
    expect(generatorFrom({ length: 8, type: 'randomDigits' }, d)).toEqual({ length: 8, type: 'randomDigits' });
  });
});

/**
 * A tiny FreeMarker subset for message templates, so that the emulator can show what FusionAuth would text.
 *
 * Supported: `${name}`, dotted names into objects (`${user.firstName}`), and defaults `${name!"text"}`,
 * `${name!'text'}`, `${name!}` (empty default). Anything else — directives (`<#if>`), built-ins (`?upper_case`),
 * expressions, or a variable with no value and no default — passes through literally, unrendered. FusionAuth renders
 * real FreeMarker; a template that relies on more than this subset shows its raw text in the emulator's outbox.
 *
 * Variables FusionAuth offers message templates (reference §3, from its preview mock parameters): `code`,
 * `verificationId`, `verificationOneTimeCode`, `oneTimeCode`, `changePasswordId`, `userId`, `spokenCode` (Voice),
 * plus the `user`, `tenant` and `application` objects. The phone-verification sender fills the ones that apply.
 */
import type { Json, JsonObject } from '../../core/types.js';

const INTERPOLATION = /\$\{\s*([A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*)\s*(!\s*(?:"([^"]*)"|'([^']*)')?)?\s*\}/g;

function lookup(vars: JsonObject, path: string): Json | undefined {
  let cur: Json | undefined = vars;
  for (const key of path.split('.')) {
    if (cur === null || typeof cur !== 'object' || Array.isArray(cur) || !Object.prototype.hasOwnProperty.call(cur, key)) return undefined;
    cur = cur[key];
  }
  return cur;
}

/** Render `${…}` interpolations of `template` with `vars`; see the module comment for what passes through. */
export function renderTemplate(template: string, vars: JsonObject): string {
  return template.replace(INTERPOLATION, (whole: string, name: string, bang?: string, dq?: string, sq?: string) => {
    const v = lookup(vars, name);
    if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return String(v);
    if (bang !== undefined && (v === undefined || v === null)) return dq ?? sq ?? '';
    return whole;
  });
}

/**
 * Choose the text of a message template for a user: the first of the user's `preferredLanguages` that has a localized
 * template (exact locale such as `fr_CA`, then its language `fr`), else `defaultTemplate`. FusionAuth keys
 * `localizedTemplates` by Java locale names (`fr`, `fr_CA`); a `fr-CA` preference is matched as `fr_CA` too.
 */
export function chooseTemplate(template: JsonObject, preferredLanguages: Json | undefined): { text: string; locale?: string } {
  const localized = template.localizedTemplates;
  const fallback = { text: typeof template.defaultTemplate === 'string' ? template.defaultTemplate : '' };
  if (localized === null || typeof localized !== 'object' || Array.isArray(localized) || !Array.isArray(preferredLanguages)) return fallback;
  for (const pref of preferredLanguages) {
    if (typeof pref !== 'string' || pref === '') continue;
    const normal = pref.replace('-', '_');
    for (const candidate of [pref, normal, normal.split('_')[0] ?? normal]) {
      const text = localized[candidate];
      if (typeof text === 'string') return { text, locale: candidate };
    }
  }
  return fallback;
}

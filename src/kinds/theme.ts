/**
 * Themes of the hosted login pages: `/api/theme[/{id}]` (docs apis/themes/advanced-themes.mdx, simple-themes.mdx). An
 * advanced theme holds FreeMarker `templates`, a `stylesheet` and messages; a simple theme (1.51+) CSS `variables`.
 * Rules from FusionAuth's decompiled `DefaultThemeService` and `ThemeAction` ("[DEC-THEME]", found in public code
 * through the search index) and the domain class `Theme` ([JAVA]):
 * - a create with `sourceThemeId` copies the source's messages, templates and stylesheet (or variables) and keeps
 *   only the request's name and data (validateCopy; reference §11.4: customisations sent with it are ignored), so a
 *   copy is created in two requests: the copy, then a merge patch with everything else the entry declares;
 * - `sourceThemeId` is refused on an update (validateUpdate `missing(sourceThemeId)`): it is write-only, sent once;
 * - the default theme and the default simple theme can never be deleted (`[fusionAuth]themeId`), and the default
 *   theme's templates and messages are always FusionAuth's own (update drops them; a read fills them in), so the
 *   docs call it "always read only" (docs _shared/_default-entities.mdx);
 * - every write trims each template and makes its line ends `\n` (`Theme.normalize`, `Templates.normalize`).
 * Only the templates a file declares are compared: a copy holds every template FusionAuth ships, whose text changes
 * with FusionAuth's version.
 */
import type { RuleViolation } from '../core/kind.js';
import { isJsonObject } from '../core/normalize.js';
import type { Change, Diagnostic, Json, JsonObject } from '../core/types.js';
import type { ApiRequest } from '../fusionauth/types.js';
import { DEFAULT_SIMPLE_THEME_ID, DEFAULT_THEME_ID, WIRE } from '../fusionauth/wire.js';
import { restCollection } from './api.js';
import { defineKind } from './define.js';

/** The built-in themes: read-only, never deleted ([DEC-THEME] validateDelete, docs _default-entities.mdx). */
const BUILT_IN: Readonly<Record<string, string>> = {
  [DEFAULT_THEME_ID]: 'default theme ("FusionAuth")',
  [DEFAULT_SIMPLE_THEME_ID]: 'default simple theme ("FusionAuth - Simple")',
};

const builtInName = (id: Json | undefined): string | undefined => (typeof id === 'string' ? BUILT_IN[id.toLowerCase()] : undefined);

/** Java's `String.trim`: characters up to U+0020 at either end (JavaScript's `trim` takes more). */
// eslint-disable-next-line no-control-regex -- Java's trim removes exactly the control characters and the space
const javaTrim = (s: string): string => s.replace(/^[\u0000-\u0020]+|[\u0000-\u0020]+$/g, '');
/** `Normalizer.lineReturns`: `\r\n` and `\r` become `\n`. */
const lineReturns = (s: string): string => s.replace(/\r\n|\r/g, '\n');

/**
 * The theme as FusionAuth stores it (`Theme.normalize` before validation, [JAVA]/[DEC-THEME]): messages and the
 * stylesheet with `\n` line ends, each template trimmed too (`trimToNull`; a blank one stays blank here so that
 * `validate` can name it).
 */
function normalize(body: JsonObject): JsonObject {
  const out: JsonObject = { ...body };
  if (typeof out.defaultMessages === 'string') out.defaultMessages = lineReturns(out.defaultMessages);
  if (typeof out.stylesheet === 'string') out.stylesheet = lineReturns(out.stylesheet);
  if (isJsonObject(out.localizedMessages)) {
    out.localizedMessages = Object.fromEntries(Object.entries(out.localizedMessages).map(([k, v]) => [k, typeof v === 'string' ? lineReturns(v) : v]));
  }
  if (isJsonObject(out.templates)) {
    out.templates = Object.fromEntries(Object.entries(out.templates).map(([k, v]) => [k, typeof v === 'string' ? lineReturns(javaTrim(v)) : v]));
  }
  return out;
}

/** Text FusionAuth refuses as a script ([DEC-THEME] containsScript: `t:alert(`, or a `script` element or `on…` handler Jsoup finds). */
const containsScript = (text: string): boolean =>
  text.toLowerCase().includes('t:alert(') || /<script[\s>/]/i.test(text) || /<[a-z][^>]*\s(onerror|onload|onmouseover)\s*=/i.test(text);

/** [DEC-THEME] `validateTemplate`: template text FusionAuth refuses as "Suspect usage detected". */
const SUSPECT_TEMPLATE = /newInstance\('|newInstance\("|java\.lang\.Runtime/;

/** The colour variables of a simple theme, each required ([DEC-THEME] simpleThemeValidation, docs _theme-simple-variables-request.mdx). */
const COLOR_VARIABLES = [
  'alertBackgroundColor', 'alertFontColor', 'deleteButtonColor', 'deleteButtonFocusColor', 'deleteButtonTextColor',
  'deleteButtonTextFocusColor', 'errorFontColor', 'errorIconColor', 'fontColor', 'iconBackgroundColor', 'iconColor',
  'infoIconColor', 'inputBackgroundColor', 'inputIconColor', 'inputTextColor', 'linkTextColor', 'linkTextFocusColor',
  'monoFontColor', 'pageBackgroundColor', 'panelBackgroundColor', 'primaryButtonColor', 'primaryButtonFocusColor',
  'primaryButtonTextColor', 'primaryButtonTextFocusColor',
] as const;
/** The other required variables of a simple theme: CSS sizes and font families. */
const SIZE_VARIABLES = ['borderRadius'] as const;
const FONT_VARIABLES = ['fontFamily', 'monoFontFamily'] as const;
/** Every variable a simple theme created from scratch must write. */
export const REQUIRED_SIMPLE_VARIABLES: readonly string[] = [...COLOR_VARIABLES, ...SIZE_VARIABLES, ...FONT_VARIABLES].sort();

/** [DEC-THEME] validColorValue: a hex colour (3 or 6 digits), rgb(), rgba(), hsl() or hsla() — the server's patterns. */
function validColor(v: string): boolean {
  if (/^#([A-Fa-f0-9]{6}|[A-Fa-f0-9]{3})$/.test(v)) return true;
  const rgb = /^rgb\(\s*(\d{1,3})\s*,?\s*(\d{1,3})\s*,?\s*(\d{1,3})\s*\)$/.exec(v);
  if (rgb) return rgb.slice(1).every((n) => Number(n) <= 255);
  return /^rgba\(\s*(\d{1,3}|\d{1,3}\.\d+)\s*,?\s*(\d{1,3}|\d{1,3}\.\d+)\s*,?\s*(\d{1,3}|\d{1,3}\.\d+)\s*,?\s*(0|1|0\.\d+|1\.\d+)\s*\)$/.test(v)
    || /^hsl\(\s*(\d{1,3})\s*,?\s*(100|[1-9]?\d(\.\d{1,2})?)%?\s*,?\s*(100|[1-9]?\d(\.\d{1,2})?)%?\s*\)$/.test(v)
    || /^hsla\(\s*([0-9]{1,3}|[0-9]{1,3}\.\d+)\s*,?\s*([0-9]{1,3}%|[0-9]{1,3}\.\d+%)\s*,?\s*([0-9]{1,3}%|[0-9]{1,3}\.\d+%)\s*,?\s*(0|1|0\.\d+|1\.\d+)\s*\)$/.test(v);
}
/** [DEC-THEME] validNumericVariable: `0`, or a number with px, em or rem. */
const validSize = (v: string): boolean => v === '0' || /^(\d+(\.\d+)?)(px|em|rem)$/.test(v);
/** [DEC-THEME] fontFamilyPattern: letters, marks, digits, `_`, spaces, quotes, `,./()-`. */
const validFont = (v: string): boolean => v.trim() !== '' && /^[\p{L}\p{M}\p{N}_\p{Zs}\t"',./()-]+$/u.test(v.trim());
/** Docs: "Must be a valid absolute URL". */
const absoluteUrl = (v: string): boolean => /^[a-z][a-z0-9+.-]*:\/\/[^\s/]/i.test(v);

const isSimple = (body: JsonObject): boolean => body.type === 'simple';

/** The variables of a simple theme: each written value in the form FusionAuth accepts, the pairs the docs require. */
function variableRules(vars: JsonObject, out: RuleViolation[]): void {
  const at = (f: string) => `variables.${f}`;
  const str = (f: string): string | undefined => (typeof vars[f] === 'string' ? (vars[f] as string) : undefined);
  for (const f of COLOR_VARIABLES) {
    const v = str(f);
    if (v !== undefined && !validColor(v)) out.push({ path: at(f), message: `"${v}" is not a colour FusionAuth accepts (#rgb, #rrggbb, rgb(), rgba(), hsl() or hsla())` });
  }
  for (const f of [...SIZE_VARIABLES, 'logoImageSize']) {
    const v = str(f);
    if (v !== undefined && !validSize(v)) out.push({ path: at(f), message: `"${v}" is not a size FusionAuth accepts (0, or a number with px, em or rem)` });
  }
  for (const f of FONT_VARIABLES) {
    const v = str(f);
    if (v !== undefined && !validFont(v)) out.push({ path: at(f), message: `"${v}" is not a font family FusionAuth accepts (names, quotes, commas, spaces)` });
  }
  // Docs: backgroundSize is one of repeat, contain, cover and required with backgroundImageURL; logoImageSize is
  // required with logoImageURL; both URLs absolute.
  const size = str('backgroundSize');
  if (size !== undefined && !['repeat', 'contain', 'cover'].includes(size)) out.push({ path: at('backgroundSize'), message: 'must be repeat, contain or cover' });
  for (const [url, needs] of [['backgroundImageURL', 'backgroundSize'], ['logoImageURL', 'logoImageSize']] as const) {
    const v = str(url);
    if (v === undefined) continue;
    if (!absoluteUrl(v)) out.push({ path: at(url), message: 'must be an absolute URL' });
    if (vars[needs] === undefined || vars[needs] === null) out.push({ path: at(needs), message: `is required when ${url} is set` });
  }
}

/** Offline rules: what FusionAuth refuses in any theme it is sent ([DEC-THEME] commonValidation, simpleThemeValidation, validateTemplate). */
/** Blank as Java's `trim()` sees it: every character is U+0020 or below. */
function javaBlank(text: string): boolean {
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) > 0x20) return false;
  return true;
}

function validate(body: JsonObject): RuleViolation[] {
  const out: RuleViolation[] = [];
  if (isSimple(body)) {
    // simpleThemeValidation: `missing(templates)`, `missing(stylesheet)` → [notMissing]theme.templates / .stylesheet.
    if (body.templates !== undefined && body.templates !== null) out.push({ path: 'templates', message: 'a simple theme has no templates (FusionAuth refuses them); use an advanced theme for FreeMarker templates' });
    if (body.stylesheet !== undefined && body.stylesheet !== null) out.push({ path: 'stylesheet', message: 'a simple theme has no stylesheet (FusionAuth refuses it); its look comes from variables' });
  }
  if (isJsonObject(body.variables)) variableRules(body.variables, out);
  if (isJsonObject(body.templates)) {
    for (const [name, text] of Object.entries(body.templates)) {
      if (typeof text !== 'string') continue;
      // Templates.normalize trims to null: a blank template is a missing one ([blank]theme.templates.<name>).
      if (javaBlank(text)) out.push({ path: `templates.${name}`, message: 'is blank; FusionAuth treats a blank template as missing' });
      else if (SUSPECT_TEMPLATE.test(text)) out.push({ path: `templates.${name}`, message: 'uses newInstance(…) or java.lang.Runtime, which FusionAuth refuses ("Suspect usage detected")' });
    }
  }
  // validateStyleSheet: no script, no `</style>`.
  if (typeof body.stylesheet === 'string' && (containsScript(body.stylesheet) || /<\/style>/i.test(body.stylesheet))) {
    out.push({ path: 'stylesheet', message: 'holds a script or a </style> tag, which FusionAuth refuses' });
  }
  return out;
}

/** Docs (variables.footerDisplay): "A valid license is required to set this value to false". */
function licenseRules(body: JsonObject): RuleViolation[] {
  const vars = isJsonObject(body.variables) ? body.variables : {};
  return vars.footerDisplay === false ? [{ path: 'variables.footerDisplay', message: 'hiding the "powered by FusionAuth" footer needs a FusionAuth license; this server is unlicensed' }] : [];
}

/** Where a change's diagnostic points: its entry, at a field. */
const whereOf = (c: Change, path: string): Diagnostic['where'] => ({ ...(c.source ? { file: c.source.file, line: c.source.line, column: c.source.column } : {}), path, kind: c.kind, key: c.key });

/**
 * Rules that depend on what the plan does with an entry:
 * - a built-in theme is never changed: FusionAuth keeps the default theme's templates and messages whatever it is
 *   sent, and the docs call it read-only; copy it with `sourceThemeId` and change the copy;
 * - a theme created from scratch (not a copy) needs what [DEC-THEME] validateCreate requires: an advanced theme its
 *   `defaultMessages`, a simple theme its `variables`, each of the required ones.
 */
function checkPlan(changes: readonly Change[]): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const c of changes) {
    if (c.kind !== 'theme') continue;
    const builtIn = builtInName(c.before?.id);
    if (builtIn && c.action === 'update') {
      for (const f of c.fields) {
        out.push({ severity: 'error', message: `${f.path} cannot change: FusionAuth's ${builtIn} is read-only (its templates and messages are FusionAuth's own); copy it with sourceThemeId and change the copy`, where: whereOf(c, f.path) });
      }
      continue;
    }
    if (c.action !== 'create' || !c.after || c.after.sourceThemeId !== undefined) continue;
    if (isSimple(c.after)) {
      const vars = isJsonObject(c.after.variables) ? c.after.variables : undefined;
      const missing = REQUIRED_SIMPLE_VARIABLES.filter((f) => typeof vars?.[f] !== 'string' || (vars[f] as string).trim() === '');
      if (!vars) out.push({ severity: 'error', message: 'a simple theme needs variables (or copy a theme with sourceThemeId)', where: whereOf(c, 'variables') });
      else if (missing.length > 0) out.push({ severity: 'error', message: `a new simple theme needs every required variable; missing: ${missing.join(', ')} (or copy a theme with sourceThemeId)`, where: whereOf(c, 'variables') });
    } else if (typeof c.after.defaultMessages !== 'string' || c.after.defaultMessages.trim() === '') {
      out.push({ severity: 'error', message: 'a new advanced theme needs defaultMessages (with every key of FusionAuth\'s messages file); or copy a theme with sourceThemeId, which brings its messages and templates', where: whereOf(c, 'defaultMessages') });
    }
  }
  return out;
}

/**
 * A copy is two requests (reference §11.4): `POST` with `sourceThemeId` and the name (the server takes nothing else
 * but `data` from it), then a merge patch with the rest of the entry, so that only the declared templates change.
 */
function createRequests(c: Change, objectPath: string): ApiRequest[] {
  const { sourceThemeId, ...theme } = c.after ?? {};
  if (sourceThemeId === undefined || sourceThemeId === null) return [{ method: 'POST', path: objectPath, body: { theme } }];
  const { name, ...rest } = theme;
  const copy: ApiRequest = { method: 'POST', path: objectPath, body: { sourceThemeId, theme: { name: name ?? null } } };
  if (Object.keys(rest).length === 0) return [copy];
  return [copy, { method: 'PATCH', path: objectPath, body: { theme: rest }, contentType: 'application/merge-patch+json' }];
}

export const theme = defineKind({
  name: 'theme',
  section: 'themes',
  title: 'theme',
  wire: WIRE.theme,
  api: restCollection(WIRE.theme, { createRequests }),
  writeOnlyFields: ['sourceThemeId'],
  features: [
    // Docs: theme.type since 1.51.0 (simple themes); favicons since 1.65.0; the phone pages with phone identities (1.59).
    { path: 'type', since: '1.51.0' },
    { path: 'variables', since: '1.51.0' },
    { path: 'variables.favicons', since: '1.65.0' },
    ...['phoneComplete', 'phoneSent', 'phoneVerificationRequired', 'phoneVerify'].map((t) => ({ path: `templates.${t}`, since: '1.59.0' })),
  ],
  // [DEC-THEME] checkForDuplicates: `notDuplicate(retrieveExistingByName(…), "theme.name")` → [duplicate]theme.name.
  uniqueName: 'global',
  isProtected: (live) => builtInName(live.id) !== undefined,
  normalize,
  validate,
  licenseRules,
  checkPlan,
  examples: 'themes',
  openapi: {
    schema: 'Theme',
    entry: 'Theme',
    required: ['name'],
    description: 'Themes of the hosted login pages: advanced (FreeMarker templates, stylesheet, messages) or simple (CSS variables).',
  },
});

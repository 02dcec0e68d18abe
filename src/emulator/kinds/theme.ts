/**
 * Themes: `/api/theme[/{id}]` (docs apis/themes/advanced-themes.mdx, simple-themes.mdx). Validation follows
 * FusionAuth's decompiled `DefaultThemeService` and `ThemeAction` ("[DEC-THEME]", found in public code through the
 * search index):
 * - create: `[duplicate]themeId`, `[duplicate]theme.name`, `[blank]theme.name`; an advanced theme (not the default
 *   one) needs `defaultMessages` (`[blank]`), a stylesheet without script or `</style>` (`[invalid]`), and when it has
 *   any template every template (`[blank]theme.templates.<name>`; `[invalid]` for "Suspect usage"); a simple theme
 *   needs `variables` (`[missing]`), no templates or stylesheet (`[notMissing]`), and valid variables;
 * - copy (`sourceThemeId`): the source's messages and templates and stylesheet (or variables and type) over the
 *   request's theme, `[invalid]sourceThemeId` for an unknown source, only the duplicate checks (validateCopy);
 * - update: `[notMissing]sourceThemeId`, `[missing]theme.templates` for an advanced theme, then the create rules;
 * - delete: `[fusionAuth]themeId` for the two built-in themes, `[inUse]themeId` while a tenant uses it.
 * Not emulated: FreeMarker parsing of templates (`[invalid]` with the parser's message) and the check that an
 * advanced theme's `defaultMessages` hold every key of FusionAuth's shipped messages file, which the emulator does not
 * have; the bodies of validator lambdas the decompiler elided (per-locale message checks, favicons).
 */
import { olderThan } from '../../core/preflight.js';
import type { JsonObject } from '../../core/types.js';
import { DEFAULT_SIMPLE_THEME_ID, DEFAULT_THEME_ID } from '../../fusionauth/wire.js';
import type { KindSpec, Write } from '../crud.js';
import { BUILT_IN_MESSAGES, builtInTemplates, DEFAULT_SIMPLE_VARIABLES, fillTheme, TEMPLATE_NAMES } from '../defaults/theme.js';
import { Errors } from '../errors.js';
import { col } from '../state.js';
import { blank, copy, isObject, without } from '../values.js';

const SERVER_OWNED = ['id', 'insertInstant', 'lastUpdateInstant'] as const;
/** Simple themes and the built-in "FusionAuth - Simple" theme: FusionAuth 1.51.0 (docs: theme `type` "Available since 1.51.0"). */
const SIMPLE_THEMES_SINCE = '1.51.0';

const BUILT_INS = [DEFAULT_THEME_ID, DEFAULT_SIMPLE_THEME_ID];

/** [DEC-THEME] containsScript: `t:alert(`, or an element Jsoup finds by `script, [onerror], [onload], [onmouseover]`. */
function containsScript(text: string): boolean {
  return text.toLowerCase().includes('t:alert(') || /<script[\s>/]/i.test(text) || /<[a-z][^>]*\s(onerror|onload|onmouseover)\s*=/i.test(text);
}

/** The values of a Java properties text (`key=value`, `key: value`, `key value`; `#`/`!` comments; `\` continues a line). */
function propertyValues(text: string): string[] {
  const out: string[] = [];
  let pending = '';
  for (const raw of text.split('\n')) {
    const line = pending + raw.replace(/^\s+/, '');
    pending = '';
    if (line === '' || line.startsWith('#') || line.startsWith('!')) continue;
    if (/(^|[^\\])(\\\\)*\\$/.test(line)) {
      pending = line.slice(0, -1);
      continue;
    }
    const m = /^(?:\\.|[^=:\s\\])*\s*[=:\s]\s*(.*)$/.exec(line);
    out.push(m ? m[1]! : '');
  }
  if (pending !== '') out.push(pending);
  return out;
}

const HEX = /^#([A-Fa-f0-9]{6}|[A-Fa-f0-9]{3})$/;
const RGB = /^rgb\(\s*(\d{1,3})\s*,?\s*(\d{1,3})\s*,?\s*(\d{1,3})\s*\)$/;
const RGBA = /^rgba\(\s*(\d{1,3}|\d{1,3}\.\d+)\s*,?\s*(\d{1,3}|\d{1,3}\.\d+)\s*,?\s*(\d{1,3}|\d{1,3}\.\d+)\s*,?\s*(0|1|0\.\d+|1\.\d+)\s*\)$/;
const HSL = /^hsl\(\s*(\d{1,3})\s*,?\s*(100|[1-9]?\d(\.\d{1,2})?)%?\s*,?\s*(100|[1-9]?\d(\.\d{1,2})?)%?\s*\)$/;
const HSLA = /^hsla\(\s*([0-9]{1,3}|[0-9]{1,3}\.\d+)\s*,?\s*([0-9]{1,3}%|[0-9]{1,3}\.\d+%)\s*,?\s*([0-9]{1,3}%|[0-9]{1,3}\.\d+%)\s*,?\s*(0|1|0\.\d+|1\.\d+)\s*\)$/;
/** [DEC-THEME] the patterns of validColorValue, cssNumericValuePattern and fontFamilyPattern. */
const validColor = (v: string): boolean => {
  const rgb = RGB.exec(v);
  return HEX.test(v) || (rgb !== null && rgb.slice(1).every((n) => Number(n) <= 255)) || RGBA.test(v) || HSL.test(v) || HSLA.test(v);
};
const validSize = (v: string): boolean => v === '0' || /^(\d+(\.\d+)?)(px|em|rem)$/.test(v);
const validFont = (v: string): boolean => /^[\p{L}\p{M}\p{N}_\p{Zs}\t"',./()-]+$/u.test(v.trim());

const COLORS = [
  'alertBackgroundColor', 'alertFontColor', 'deleteButtonColor', 'deleteButtonFocusColor', 'deleteButtonTextColor',
  'deleteButtonTextFocusColor', 'errorFontColor', 'errorIconColor', 'fontColor', 'iconBackgroundColor', 'iconColor', 'infoIconColor',
  'inputBackgroundColor', 'inputIconColor', 'inputTextColor', 'linkTextColor', 'linkTextFocusColor', 'monoFontColor',
  'pageBackgroundColor', 'panelBackgroundColor', 'primaryButtonColor', 'primaryButtonFocusColor', 'primaryButtonTextColor',
  'primaryButtonTextFocusColor',
];

/** `notBlank`, then the value's own check (`[invalid]`): the shape of every variable check of simpleThemeValidation. */
function variable(e: Errors, vars: JsonObject, name: string, ok: (v: string) => boolean): void {
  const field = `theme.variables.${name}`;
  const v = vars[name];
  if (blank(v)) e.field(field, '[blank]', `${name} is required.`);
  else if (typeof v !== 'string' || !ok(v)) e.field(field, '[invalid]', `${name} [${String(v)}] is not valid.`);
}

/** [DEC-THEME] simpleThemeValidation. */
function simpleRules(w: Write, e: Errors): void {
  const t = w.obj;
  if (!isObject(t.variables)) e.field('theme.variables', '[missing]', 'A simple theme needs variables.');
  if (t.templates !== undefined) e.field('theme.templates', '[notMissing]', 'A simple theme has no templates.');
  if (t.stylesheet !== undefined) e.field('theme.stylesheet', '[notMissing]', 'A simple theme has no stylesheet.');
  if (!isObject(t.variables)) return;
  const vars = t.variables;
  for (const c of COLORS) variable(e, vars, c, validColor);
  variable(e, vars, 'borderRadius', validSize);
  variable(e, vars, 'fontFamily', validFont);
  variable(e, vars, 'monoFontFamily', validFont);
  // `ifTrue(backgroundImageURL != null, …)` and `ifTrue(logoImageURL != null, …)`: their bodies are elided in the
  // decompiled text; the docs say what they require (backgroundSize one of repeat, contain, cover; logoImageSize a size).
  if (vars.backgroundImageURL !== undefined) variable(e, vars, 'backgroundSize', (v) => ['cover', 'contain', 'repeat'].includes(v));
  if (vars.logoImageURL !== undefined) variable(e, vars, 'logoImageSize', validSize);
  // `ifFalse(footerDisplay, …)`, its body elided; the docs: "A valid license is required to set this value to false".
  // The code is the one application themes get when unlicensed ([notLicensed]application.themeId).
  if (vars.footerDisplay === false && !w.state.licensed) e.field('theme.variables.footerDisplay', '[notLicensed]', 'Hiding the footer requires a paid FusionAuth license.');
}

/** [DEC-THEME] commonValidation (and validateUpdate's template check): the rules of every create and update. */
function validate(w: Write, e: Errors): void {
  const t = w.obj;
  const id = w.existing ? String(w.existing.id) : w.id;
  const simple = t.type === 'simple';
  const isDefault = id === DEFAULT_THEME_ID;
  if (w.existing && !simple && !isDefault && !isObject(t.templates)) e.field('theme.templates', '[missing]', 'An advanced theme needs its templates.');
  if (!isDefault && !simple) {
    if (blank(t.defaultMessages)) e.field('theme.defaultMessages', '[blank]', 'The default messages are required.');
    if (typeof t.stylesheet === 'string' && (containsScript(t.stylesheet) || /<\/style>/i.test(t.stylesheet))) e.field('theme.stylesheet', '[invalid]', 'The stylesheet may not hold a script or a </style> tag.');
    const templates = isObject(t.templates) ? t.templates : {};
    if (Object.keys(templates).length > 0) {
      for (const name of TEMPLATE_NAMES) {
        const text = templates[name];
        const field = `theme.templates.${name}`;
        if (typeof text !== 'string') e.field(field, '[blank]', `The ${name} template is required.`);
        else if (/newInstance\('|newInstance\("|java\.lang\.Runtime/.test(text)) e.field(field, '[invalid]', 'Suspect usage detected');
      }
    }
  }
  if (simple) simpleRules(w, e);
  // validateMessageKeys (after defaultMessages passed): no message may hold a script.
  if (!e.hasField('theme.defaultMessages') && typeof t.defaultMessages === 'string' && propertyValues(t.defaultMessages).some(containsScript)) {
    e.fieldWithCode('theme.defaultMessages', '[noScript]theme.defaultMessages', 'A message may not hold a script.');
  }
  for (const [locale, text] of Object.entries(isObject(t.localizedMessages) ? t.localizedMessages : {})) {
    if (typeof text === 'string' && propertyValues(text).some(containsScript)) {
      e.fieldWithCode(`theme.localizedMessages['${locale}']`, '[noScript]theme.localizedMessages', 'A message may not hold a script.');
    }
  }
}

/**
 * Before validation: an update may not name a source (validateUpdate
 * `missing(sourceThemeId)`); the built-in themes read back as FusionAuth's own whatever an update sent (the default
 * theme's templates and messages come from its files, `update` even drops the templates; the default simple theme's
 * variables are always the defaults: `retrieveById`).
 */
function prepare(w: Write, e: Errors): void {
  if (!w.existing) return;
  if (w.body.sourceThemeId !== undefined && w.body.sourceThemeId !== null) e.field('sourceThemeId', '[notMissing]', 'sourceThemeId is only allowed when creating a theme.');
  const id = String(w.existing.id);
  if (id === DEFAULT_THEME_ID) {
    w.obj.templates = builtInTemplates();
    w.obj.defaultMessages = BUILT_IN_MESSAGES;
  }
  if (id === DEFAULT_SIMPLE_THEME_ID && w.obj.type === 'simple') w.obj.variables = copy({ ...DEFAULT_SIMPLE_VARIABLES });
}

/** The theme kind (global API key; docs apis/themes). */
export const theme: KindSpec = {
  kind: 'theme',
  scope: 'global',
  serverOwned: SERVER_OWNED,
  // `type` binds to the `ThemeType` enum: another value fails the binding, `[invalidJSON]` at theme.type before any
  // validation (crud.ts `bound`, the live 1.46 wording of errors.ts `invalidJson`).
  bind: [{ path: 'type', accepts: (v) => v === 'advanced' || v === 'simple', expected: 'one of advanced, simple' }],
  name: { unique: 'global' },
  // `sourceThemeId` is a request option beside `theme`, checked by the copy itself.
  refs: { unchecked: ['sourceThemeId'] },
  fill: (body) => fillTheme(body),
  copy: {
    field: 'sourceThemeId',
    // validateCopy checks duplicates and the source only.
    validate: 'name',
    build: (c, e) => {
      const sent = c.body.theme;
      if (!isObject(sent)) {
        e.field('theme', '[missing]', 'Your request is missing the theme object.');
        return undefined;
      }
      if (!c.source) e.field('sourceThemeId', '[invalid]', `The theme [${String(c.body.sourceThemeId)}] does not exist.`);
      const t = fillTheme(without(sent, SERVER_OWNED));
      const s = c.source;
      if (!s) return t;
      const take = (field: string): void => {
        if (s[field] === undefined) delete t[field];
        else t[field] = copy(s[field]!);
      };
      take('defaultMessages');
      take('localizedMessages');
      if (s.type === 'simple') {
        take('variables');
        t.type = 'simple';
      } else {
        take('templates');
        take('stylesheet');
      }
      return t;
    },
  },
  prepare,
  validate,
  guardDelete: (_c, id) => (BUILT_INS.includes(id) ? new Errors().field('themeId', '[fusionAuth]', 'The FusionAuth themes cannot be deleted.').reply() : undefined),
  // validateDelete: `notInUse(tenantReader.retrieveCountByThemeId(id) == 0, "themeId")`, one error whatever the count;
  // a check after it is elided in the decompiled text — applications naming the theme are taken to stop it the same way.
  inUse: (users, e) => {
    const byTenant = users.filter((u) => u.kind === 'tenant');
    const holders = byTenant.length > 0 ? byTenant : users;
    e.field('themeId', '[inUse]', `The theme is in use by ${holders.length} ${holders[0]!.kind === 'tenant' ? 'tenant' : 'application'}${holders.length === 1 ? '' : 's'}.`);
  },
  // [SCHEMA]: "FusionAuth" (the default theme) and "FusionAuth - Simple" (simple themes are 1.51.0+, the version of that
  // script; not on an older server), both with `data` {}; their templates, messages and variables are FusionAuth's own
  // (`populateFusionAuthTheme`, `defaultSimpleThemeVariables`).
  boot: (state) => {
    const t = state.now();
    const base = { data: {}, localizedMessages: {}, insertInstant: t, lastUpdateInstant: t };
    state.store.put(col('theme'), { ...base, id: DEFAULT_THEME_ID, name: 'FusionAuth', type: 'advanced', defaultMessages: BUILT_IN_MESSAGES, templates: builtInTemplates() });
    if (olderThan(state.version, SIMPLE_THEMES_SINCE)) return;
    state.store.put(col('theme'), { ...base, id: DEFAULT_SIMPLE_THEME_ID, name: 'FusionAuth - Simple', type: 'simple', variables: copy({ ...DEFAULT_SIMPLE_VARIABLES }) });
  },
};

/**
 * The theme kind's own rules (src/kinds/theme.ts), through the loader, the planner and real HTTP against the emulator:
 * a copy is created in two requests and converges; the copy's source is written first; templates read from files
 * converge although FusionAuth trims them and rewrites line ends; the built-in themes are protected and read-only and
 * can be adopted by name; the offline rules `kickstand validate` runs; the create rules of checkPlan; the license rule.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import nock from 'nock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config/load.js';
import { computePlan } from '../../src/core/plan.js';
import type { Change, JsonObject } from '../../src/core/types.js';
import { apply, plan } from '../../src/engine.js';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { createClient } from '../../src/fusionauth/client.js';
import { DEFAULT_SIMPLE_THEME_ID, DEFAULT_THEME_ID } from '../../src/fusionauth/wire.js';
import { KINDS, kindByName } from '../../src/kinds/index.js';
import { REQUIRED_SIMPLE_VARIABLES } from '../../src/kinds/theme.js';

/** A folder holding these files (relative path → text). */
function folder(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'kickstand-theme-'));
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(join(dir, rel, '..'), { recursive: true });
    writeFileSync(join(dir, rel), text);
  }
  return dir;
}

const VARIABLES = Object.fromEntries(REQUIRED_SIMPLE_VARIABLES.map((v) => [v, v.endsWith('Color') ? '#123456' : v === 'borderRadius' ? '2px' : 'serif']));

let emu: Emulator;
beforeEach(async () => {
  emu = await startEmulator({ licensed: true });
});
afterEach(async () => {
  await emu.stop();
});
const client = () => createClient({ url: emu.url, apiKey: emu.apiKey, retry: { attempts: 1 } });

/** Plan, apply, plan again: the changes of the first plan and of the second (which must be empty to converge). */
async function converge(dir: string): Promise<{ first: Change[]; second: Change[] }> {
  const desired = await loadConfig([dir], { env: {} });
  const p1 = await plan({ desired, client: client() });
  expect(p1.plan.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  const { result } = await apply({ plan: p1.plan, desired, client: client() });
  expect(result.outcomes.filter((o) => o.status !== 'applied').map((o) => o.error)).toEqual([]);
  const p2 = await plan({ desired, client: client() });
  return { first: p1.plan.changes, second: p2.plan.changes.filter((c) => c.action !== 'noop') };
}

describe('copies (sourceThemeId)', () => {
  it('copy the default theme adopted by name, then patch the declared fields; a Windows-style template file converges', async () => {
    const template = '\r\n  [#ftl/]\r\n<h1>${theme.message("login")}</h1>\r\n\r\n';
    const dir = folder({
      'kickstand.yaml': [
        'themes:',
        '  - key: fusionauth',
        '    name: FusionAuth',
        '  - key: brand',
        '    name: Brand',
        '    sourceThemeId: fusionauth',
        '    data: { team: web }',
        '    stylesheet: "h1 { color: teal; }\\r\\n"',
        '    templates:',
        '      oauth2Authorize: \'{{file "authorize.ftl"}}\'',
        'tenants:',
        '  - key: acme',
        '    name: Acme',
        '    themeId: brand',
      ].join('\n'),
      'authorize.ftl': template,
    });
    const { first, second } = await converge(dir);
    expect(first.map((c) => `${c.key} ${c.action} ${c.level}`)).toEqual(['fusionauth noop 0', 'brand create 1', 'acme create 2']);
    expect(second).toEqual([]);
    const brand = (await client().request<JsonObject>({ method: 'GET', path: `/api/theme/${first[1]!.id!}` })).body!.theme as JsonObject;
    const def = (await client().request<JsonObject>({ method: 'GET', path: `/api/theme/${DEFAULT_THEME_ID}` })).body!.theme as JsonObject;
    const templates = brand.templates as JsonObject;
    expect(templates.oauth2Authorize).toBe('[#ftl/]\n<h1>${theme.message("login")}</h1>');
    // Every other template is the source's: the customisation went in the second request, as a merge patch.
    expect({ ...templates, oauth2Authorize: undefined }).toEqual({ ...(def.templates as JsonObject), oauth2Authorize: undefined });
    expect(brand).toMatchObject({ name: 'Brand', data: { team: 'web' }, stylesheet: 'h1 { color: teal; }\n' });
  });

  it('sends exactly the copy and a merge patch of the rest (nock)', async () => {
    const BASE = 'https://fa.test';
    nock.disableNetConnect();
    const id = '00000000-0000-4000-8000-000000000001';
    const sent: unknown[] = [];
    nock(BASE).post(`/api/theme/${id}`, (b: unknown) => (sent.push(b), true)).reply(200, { theme: { id } });
    nock(BASE).patch(`/api/theme/${id}`, (b: unknown) => (sent.push(b), true)).matchHeader('content-type', /merge-patch/).reply(200, { theme: { id } });
    try {
      await kindByName('theme').api.write(createClient({ url: BASE, apiKey: 'k', retry: { attempts: 1 } }), {
        action: 'create', kind: 'theme', title: 'theme', key: 'brand', id, match: 'new', level: 1, fields: [], secretPaths: [],
        after: { name: 'Brand', sourceThemeId: DEFAULT_THEME_ID, templates: { index: '[#ftl/]' }, data: { a: 1 } },
      });
      expect(sent).toEqual([
        { sourceThemeId: DEFAULT_THEME_ID, theme: { name: 'Brand' } },
        { theme: { templates: { index: '[#ftl/]' }, data: { a: 1 } } },
      ]);
      expect(nock.pendingMocks()).toEqual([]);
    } finally {
      nock.cleanAll();
      nock.enableNetConnect();
    }
  });

  it('a copy of a theme the same plan creates is written after it, whatever the keys\' order', async () => {
    const dir = folder({
      'kickstand.yaml': [
        'themes:',
        '  - { key: a-copy, name: Copy, sourceThemeId: z-base, defaultMessages: "x=y" }',
        '  - { key: z-base, name: Base, sourceThemeId: ' + DEFAULT_SIMPLE_THEME_ID + ' }',
        '  - { key: b-copy-of-copy, name: Copy of copy, sourceThemeId: a-copy }',
      ].join('\n'),
    });
    const { first, second } = await converge(dir);
    expect(first.map((c) => `${c.key} ${c.level}`)).toEqual(['z-base 0', 'a-copy 1', 'b-copy-of-copy 2']);
    expect(second).toEqual([]);
  });

  it('themes that copy each other are a plan error at the reference', async () => {
    const desired = await loadConfig([folder({
      'kickstand.yaml': 'themes:\n  - { key: a, name: A, sourceThemeId: b }\n  - { key: b, name: B, sourceThemeId: a }\n',
    })], { env: {} });
    const p = await plan({ desired, client: client() });
    const errors = p.plan.diagnostics.filter((d) => d.severity === 'error');
    expect(errors.map((d) => `${d.where?.key} ${d.where?.path}: ${d.message}`)).toEqual([
      'a sourceThemeId: theme entries refer to each other in a cycle (a → b → a): none of them can be written first',
    ]);
  });

  it('sourceThemeId is never compared once the theme exists (FusionAuth does not return it)', async () => {
    const dir = folder({ 'kickstand.yaml': `themes:\n  - { key: c, name: C, sourceThemeId: ${DEFAULT_THEME_ID} }\n` });
    await converge(dir);
    writeFileSync(join(dir, 'kickstand.yaml'), `themes:\n  - { key: c, name: C, sourceThemeId: ${DEFAULT_SIMPLE_THEME_ID} }\n`);
    const p = await plan({ desired: await loadConfig([dir], { env: {} }), client: client() });
    expect(p.plan.changes.map((c) => c.action)).toEqual(['noop']);
  });
});

describe('the built-in themes', () => {
  it('are protected, and any change of them is a plan error (read-only in FusionAuth)', async () => {
    const theme = kindByName('theme');
    expect(theme.isProtected({ id: DEFAULT_THEME_ID }, { defaults: {} })).toBe(true);
    expect(theme.isProtected({ id: DEFAULT_SIMPLE_THEME_ID.toUpperCase() }, { defaults: {} })).toBe(true);
    expect(theme.isProtected({ id: '00000000-0000-4000-8000-000000000001' }, { defaults: {} })).toBe(false);
    const desired = await loadConfig([folder({ 'kickstand.yaml': 'themes:\n  - key: fusionauth\n    name: FusionAuth\n    stylesheet: "h1 {}"\n' })], { env: {} });
    const p = await plan({ desired, client: client() });
    expect(p.plan.diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.where?.path}: ${d.message}`)).toEqual([
      'stylesheet: stylesheet cannot change: FusionAuth\'s default theme ("FusionAuth") is read-only (its templates and messages are FusionAuth\'s own); copy it with sourceThemeId and change the copy',
    ]);
  });

  it('a tenant can name the default theme by its fixed id without declaring it', async () => {
    const { second } = await converge(folder({ 'kickstand.yaml': `tenants:\n  - { key: t, name: T, themeId: ${DEFAULT_THEME_ID} }\n` }));
    expect(second).toEqual([]);
  });
});

describe('what a new theme needs (checkPlan)', () => {
  const live = { serverVersion: '1.69.0', licensed: true, defaults: {}, objects: { theme: [] }, parentIds: {} };
  const planOf = async (yaml: string) => computePlan(await loadConfig([folder({ 'kickstand.yaml': yaml })], { env: {} }), live, { target: 'https://x', kinds: KINDS });
  const errors = async (yaml: string) => (await planOf(yaml)).diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.where?.path}: ${d.message}`);

  it('an advanced theme needs defaultMessages unless it is a copy', async () => {
    expect(await errors('themes:\n  - { key: a, name: A }\n')).toEqual([
      'defaultMessages: a new advanced theme needs defaultMessages (with every key of FusionAuth\'s messages file); or copy a theme with sourceThemeId, which brings its messages and templates',
    ]);
    expect(await errors(`themes:\n  - { key: a, name: A, sourceThemeId: ${DEFAULT_THEME_ID} }\n`)).toEqual([]);
  });

  it('a simple theme needs every required variable unless it is a copy', async () => {
    expect(await errors('themes:\n  - { key: s, name: S, type: simple }\n')).toEqual(['variables: a simple theme needs variables (or copy a theme with sourceThemeId)']);
    const some = { ...VARIABLES };
    delete some.fontColor;
    delete some.iconColor;
    expect(await errors(`themes:\n  - { key: s, name: S, type: simple, variables: ${JSON.stringify(some)} }\n`)).toEqual([
      'variables: a new simple theme needs every required variable; missing: fontColor, iconColor (or copy a theme with sourceThemeId)',
    ]);
    expect(await errors(`themes:\n  - { key: s, name: S, type: simple, variables: ${JSON.stringify(VARIABLES)} }\n`)).toEqual([]);
  });

  it('hiding the footer is a license error on an unlicensed server', async () => {
    const desired = await loadConfig([folder({ 'kickstand.yaml': `themes:\n  - { key: s, name: S, type: simple, variables: ${JSON.stringify({ ...VARIABLES, footerDisplay: false })} }\n` })], { env: {} });
    const p = computePlan(desired, { ...live, licensed: false }, { target: 'https://x', kinds: KINDS });
    expect(p.diagnostics.filter((d) => d.severity === 'error').map((d) => d.message)).toEqual([expect.stringMatching(/footer needs a FusionAuth license/)]);
  });
});

describe('offline rules (kickstand validate)', () => {
  const messages = async (yaml: string): Promise<string[]> => {
    try {
      await loadConfig([folder({ 'kickstand.yaml': yaml })], { env: {} });
      return [];
    } catch (e) {
      if (!(e instanceof ConfigError)) throw e;
      return e.diagnostics.map((d) => `${d.where?.path}: ${d.message}`);
    }
  };

  it('a simple theme has neither templates nor a stylesheet, and its variables have FusionAuth\'s forms', async () => {
    expect(await messages([
      'themes:',
      '  - key: s',
      '    name: S',
      '    type: simple',
      '    stylesheet: "h1 {}"',
      '    templates: { index: "[#ftl/]" }',
      '    variables: { fontColor: red, borderRadius: "4", fontFamily: "x;y", backgroundImageURL: "/bg.png", backgroundSize: tile, linkTextColor: "rgb(300, 0, 0)" }',
    ].join('\n'))).toEqual([
      'themes[0].templates: a simple theme has no templates (FusionAuth refuses them); use an advanced theme for FreeMarker templates',
      'themes[0].stylesheet: a simple theme has no stylesheet (FusionAuth refuses it); its look comes from variables',
      'themes[0].variables.fontColor: "red" is not a colour FusionAuth accepts (#rgb, #rrggbb, rgb(), rgba(), hsl() or hsla())',
      'themes[0].variables.linkTextColor: "rgb(300, 0, 0)" is not a colour FusionAuth accepts (#rgb, #rrggbb, rgb(), rgba(), hsl() or hsla())',
      'themes[0].variables.borderRadius: "4" is not a size FusionAuth accepts (0, or a number with px, em or rem)',
      'themes[0].variables.fontFamily: "x;y" is not a font family FusionAuth accepts (names, quotes, commas, spaces)',
      'themes[0].variables.backgroundSize: must be repeat, contain or cover',
      'themes[0].variables.backgroundImageURL: must be an absolute URL',
    ]);
  });

  it('templates: a blank one is missing, one reaching Java classes is refused; a stylesheet holds no script', async () => {
    expect(await messages([
      'themes:',
      '  - key: a',
      '    name: A',
      '    stylesheet: "</style><script>x</script>"',
      '    templates:',
      '      index: "   \\n  "',
      '      helpers: \'${"freemarker.template.utility.ObjectConstructor"?new()("java.lang.Runtime")}\'',
    ].join('\n'))).toEqual([
      'themes[0].templates.index: is blank; FusionAuth treats a blank template as missing',
      'themes[0].templates.helpers: uses newInstance(…) or java.lang.Runtime, which FusionAuth refuses ("Suspect usage detected")',
      'themes[0].stylesheet: holds a script or a </style> tag, which FusionAuth refuses',
    ]);
  });
});

describe('reads', () => {
  it('a plan of themes reads the themes once, whatever their number', async () => {
    const yaml = ['themes:', ...Array.from({ length: 30 }, (_, i) => `  - { key: t${i}, name: T${i}, sourceThemeId: ${DEFAULT_THEME_ID} }`)].join('\n');
    const desired = await loadConfig([folder({ 'kickstand.yaml': yaml })], { env: {} });
    const before = emu.requests.length;
    await plan({ desired, client: client() });
    const reads = emu.requests.slice(before).map((r) => `${r.method} ${r.path}`);
    expect(reads.filter((r) => r.startsWith('GET /api/theme'))).toEqual(['GET /api/theme']);
    expect(reads).toHaveLength(3); // the version, the license, the themes
  });
});

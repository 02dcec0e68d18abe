/**
 * Themes in the emulator, over HTTP: the built-in themes of a fresh instance, the decompiled DefaultThemeService's
 * rules (create, copy, update, delete) and the normalisation FusionAuth applies to what it stores (Theme.normalize).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_SIMPLE_THEME_ID, DEFAULT_THEME_ID } from '../../src/fusionauth/wire.js';
import { TEMPLATE_NAMES } from '../../src/emulator/defaults/theme.js';
import { allCodes, codes, ID, start, type Client } from './helpers.js';

const VARIABLES = {
  alertBackgroundColor: '#fff', alertFontColor: '#000000', borderRadius: '4px', deleteButtonColor: 'rgb(190, 18, 60)',
  deleteButtonFocusColor: 'rgba(159, 18, 57, 0.5)', deleteButtonTextColor: 'hsl(0, 0%, 100%)', deleteButtonTextFocusColor: 'hsla(0, 0%, 100%, 1)',
  errorFontColor: '#e11d48', errorIconColor: '#fb7185', fontColor: '#0f172a', fontFamily: '"Inter", sans-serif', iconBackgroundColor: '#f7f7f7',
  iconColor: '#227cbb', infoIconColor: '#818cf8', inputBackgroundColor: '#ffffff', inputIconColor: '#4c4c4c', inputTextColor: '#0f172a',
  linkTextColor: '#6366f1', linkTextFocusColor: '#4338ca', monoFontColor: '#334155', monoFontFamily: 'monospace', pageBackgroundColor: '#f1f5f9',
  panelBackgroundColor: '#ffffff', primaryButtonColor: '#6366f1', primaryButtonFocusColor: '#4f46e5', primaryButtonTextColor: '#ffffff',
  primaryButtonTextFocusColor: '#f1f5f9', footerDisplay: true,
};
const allTemplates = (text = '[#ftl/]'): Record<string, string> => Object.fromEntries(TEMPLATE_NAMES.map((n) => [n, text]));
const advanced = (name: string, extra: Record<string, unknown> = {}) => ({ theme: { name, defaultMessages: 'login=Login', ...extra } });
const simple = (name: string, extra: Record<string, unknown> = {}) => ({ theme: { name, type: 'simple', variables: VARIABLES, ...extra } });

let c: Client;
beforeAll(async () => {
  c = await start();
});
afterAll(() => c.e.stop());

describe('a fresh instance', () => {
  it('has the default theme "FusionAuth" (every template, messages) and the default simple theme, both with fixed ids', async () => {
    const themes = (await c.get('/api/theme')).body.themes as Array<Record<string, unknown>>;
    const def = themes.find((t) => t.id === DEFAULT_THEME_ID)!;
    expect(def).toMatchObject({ name: 'FusionAuth', type: 'advanced', data: {}, localizedMessages: {} });
    expect(Object.keys(def.templates as object).sort()).toEqual([...TEMPLATE_NAMES].sort());
    expect(typeof def.defaultMessages).toBe('string');
    expect(themes.find((t) => t.id === DEFAULT_SIMPLE_THEME_ID)).toMatchObject({ name: 'FusionAuth - Simple', type: 'simple', variables: { footerDisplay: true, borderRadius: '0.25rem' } });
  });
  it('the Default tenant uses the default theme, and a tenant naming a theme that does not exist is refused', async () => {
    const tenants = (await c.get('/api/tenant')).body.tenants as Array<{ themeId: string }>;
    expect(tenants[0]!.themeId).toBe(DEFAULT_THEME_ID);
    expect(codes(await c.post('/api/tenant', { tenant: { name: 'No such theme', themeId: ID.missing } }), 'tenant.themeId')).toEqual(['[invalid]tenant.themeId']);
  });
});

describe('create', () => {
  it('fills the defaults of the domain class: type advanced, data and localizedMessages empty', async () => {
    const r = await c.post('/api/theme', advanced('Minimal'));
    expect(r.status).toBe(200);
    expect(r.body.theme).toMatchObject({ name: 'Minimal', type: 'advanced', data: {}, localizedMessages: {}, defaultMessages: 'login=Login' });
    expect(r.body.theme.templates).toBeUndefined();
  });
  it('refuses a blank name, a duplicate name and a duplicate id', async () => {
    expect(codes(await c.post('/api/theme', advanced('')), 'theme.name')).toEqual(['[blank]theme.name']);
    await c.post(`/api/theme/${ID.t1}`, advanced('Taken'));
    expect(codes(await c.post('/api/theme', advanced('Taken')), 'theme.name')).toEqual(['[duplicate]theme.name']);
    expect(codes(await c.post(`/api/theme/${ID.t1}`, advanced('Other')), 'themeId')).toEqual(['[duplicate]themeId']);
  });
  it('an advanced theme needs defaultMessages; with any template it needs every template', async () => {
    expect(codes(await c.post('/api/theme', { theme: { name: 'No messages' } }), 'theme.defaultMessages')).toEqual(['[blank]theme.defaultMessages']);
    const partial = await c.post('/api/theme', advanced('Partial', { templates: { index: '[#ftl/]', helpers: '[#ftl/]' } }));
    expect(allCodes(partial)).toHaveLength(TEMPLATE_NAMES.length - 2);
    expect(codes(partial, 'theme.templates.oauth2Authorize')).toEqual(['[blank]theme.templates.oauth2Authorize']);
    expect((await c.post('/api/theme', advanced('Complete', { templates: allTemplates() }))).status).toBe(200);
  });
  it('refuses templates that reach Java classes, and stylesheets or messages that hold a script', async () => {
    const suspect = await c.post('/api/theme', advanced('Suspect', { templates: { ...allTemplates(), index: '${"freemarker.template.utility.Execute"?new()("id")} java.lang.Runtime' } }));
    expect(codes(suspect, 'theme.templates.index')).toEqual(['[invalid]theme.templates.index']);
    expect(codes(await c.post('/api/theme', advanced('Style', { stylesheet: 'h1 {}</style><p>' })), 'theme.stylesheet')).toEqual(['[invalid]theme.stylesheet']);
    expect(codes(await c.post('/api/theme', advanced('Msg', { defaultMessages: 'a=<img src=x onerror=alert(1)>' })), 'theme.defaultMessages')).toEqual(['[noScript]theme.defaultMessages']);
    const localized = await c.post('/api/theme', advanced('Loc', { localizedMessages: { fr: 'a=<script>x</script>' } }));
    expect(localized.body.fieldErrors["theme.localizedMessages['fr']"][0].code).toBe('[noScript]theme.localizedMessages');
  });
  it('stores what Theme.normalize makes of the request: templates trimmed, line ends \\n, unknown template names dropped', async () => {
    const r = await c.post('/api/theme', advanced('Normalised', {
      defaultMessages: 'a=1\r\nb=2\r\n',
      stylesheet: 'h1 {\r\n}\r\n',
      localizedMessages: { fr: 'a=un\r\n' },
      templates: { ...allTemplates('  [#ftl/]\r\nx\r\n\n'), emailSend: '[#ftl/] sent', notATemplate: 'x' },
    }));
    const t = r.body.theme;
    expect(t.defaultMessages).toBe('a=1\nb=2\n');
    expect(t.stylesheet).toBe('h1 {\n}\n');
    expect(t.localizedMessages).toEqual({ fr: 'a=un\n' });
    expect(t.templates.index).toBe('[#ftl/]\nx');
    // The deprecated setter `setEmailSend` writes emailSent.
    expect(t.templates.emailSent).toBe('[#ftl/] sent');
    expect(t.templates.notATemplate).toBeUndefined();
  });
  it('refuses a type that is neither advanced nor simple', async () => {
    expect(codes(await c.post('/api/theme', advanced('Typed', { type: 'fancy' })), 'theme.type')).toEqual(['[invalidJSON]']);
  });
});

describe('simple themes', () => {
  it('need variables, valid colours, sizes and fonts, and no templates or stylesheet', async () => {
    expect((await c.post('/api/theme', simple('Simple ok'))).status).toBe(200);
    expect(codes(await c.post('/api/theme', { theme: { name: 'No vars', type: 'simple' } }), 'theme.variables')).toEqual(['[missing]theme.variables']);
    const bad = await c.post('/api/theme', simple('Bad vars', { variables: { ...VARIABLES, fontColor: 'red', borderRadius: '4', alertFontColor: '', fontFamily: 'x;y' }, templates: { index: 'x' }, stylesheet: 'h1{}' }));
    expect(allCodes(bad).sort()).toEqual([
      'theme.stylesheet: [notMissing]theme.stylesheet',
      'theme.templates: [notMissing]theme.templates',
      'theme.variables.alertFontColor: [blank]theme.variables.alertFontColor',
      'theme.variables.borderRadius: [invalid]theme.variables.borderRadius',
      'theme.variables.fontColor: [invalid]theme.variables.fontColor',
      'theme.variables.fontFamily: [invalid]theme.variables.fontFamily',
    ]);
  });
  it('a background image needs its size, a logo its size', async () => {
    const r = await c.post('/api/theme', simple('Images', { variables: { ...VARIABLES, backgroundImageURL: 'https://x/bg.png', logoImageURL: 'https://x/logo.png' } }));
    expect(allCodes(r).sort()).toEqual(['theme.variables.backgroundSize: [blank]theme.variables.backgroundSize', 'theme.variables.logoImageSize: [blank]theme.variables.logoImageSize']);
  });
  it('hiding the footer needs a license (footerDisplay is false when not sent)', async () => {
    // The shared emulator is unlicensed.
    const { footerDisplay: _omitted, ...vars } = VARIABLES;
    expect(codes(await c.post('/api/theme', simple('Footer', { variables: vars })), 'theme.variables.footerDisplay')).toEqual(['[notLicensed]theme.variables.footerDisplay']);
    expect((await c.post('/api/theme', simple('Footer'))).status).toBe(200);
    const l = await start({ licensed: true });
    try {
      const licensed = await l.post('/api/theme', simple('Footer off', { variables: { ...VARIABLES, footerDisplay: false } }));
      expect(licensed.body.theme.variables.footerDisplay).toBe(false);
    } finally {
      await l.e.stop();
    }
  });
});

describe('copy (sourceThemeId)', () => {
  it('takes messages, templates and stylesheet from the source, name and data from the request, and ignores the rest (reference §11.4)', async () => {
    const r = await c.post(`/api/theme/${ID.t2}`, { sourceThemeId: DEFAULT_THEME_ID, theme: { name: 'Copy', data: { team: 'web' }, stylesheet: 'ignored {}', templates: { index: 'ignored' } } });
    expect(r.status).toBe(200);
    const def = (await c.get(`/api/theme/${DEFAULT_THEME_ID}`)).body.theme;
    expect(r.body.theme).toMatchObject({ id: ID.t2, name: 'Copy', data: { team: 'web' }, type: 'advanced', templates: def.templates, defaultMessages: def.defaultMessages });
    expect(r.body.theme.stylesheet).toBeUndefined();
  });
  it('a copy of a simple theme is simple, with its variables', async () => {
    const r = await c.post('/api/theme', { sourceThemeId: DEFAULT_SIMPLE_THEME_ID, theme: { name: 'Simple copy' } });
    expect(r.body.theme).toMatchObject({ type: 'simple', variables: { borderRadius: '0.25rem' } });
  });
  it('refuses an unknown source ([invalid]sourceThemeId) and a taken name, and needs the theme object', async () => {
    expect(codes(await c.post('/api/theme', { sourceThemeId: ID.missing, theme: { name: 'From nothing' } }), 'sourceThemeId')).toEqual(['[invalid]sourceThemeId']);
    expect(codes(await c.post('/api/theme', { sourceThemeId: DEFAULT_THEME_ID, theme: { name: 'Copy' } }), 'theme.name')).toEqual(['[duplicate]theme.name']);
    expect(codes(await c.post('/api/theme', { sourceThemeId: DEFAULT_THEME_ID }), 'theme')).toEqual(['[missing]theme']);
  });
});

describe('update', () => {
  it('a merge patch changes only the templates it names; the copy keeps the rest', async () => {
    const r = await c.patch(`/api/theme/${ID.t2}`, { theme: { templates: { index: '[#ftl/]\nmine\n' } } }, { contentType: 'application/merge-patch+json' });
    expect(r.status).toBe(200);
    expect(r.body.theme.templates.index).toBe('[#ftl/]\nmine');
    expect(Object.keys(r.body.theme.templates)).toHaveLength(TEMPLATE_NAMES.length);
  });
  it('refuses sourceThemeId ([notMissing]) and, for an advanced theme, a PUT without templates ([missing]theme.templates)', async () => {
    const current = (await c.get(`/api/theme/${ID.t2}`)).body.theme;
    expect(codes(await c.put(`/api/theme/${ID.t2}`, { sourceThemeId: DEFAULT_THEME_ID, theme: current }), 'sourceThemeId')).toEqual(['[notMissing]sourceThemeId']);
    expect(codes(await c.put(`/api/theme/${ID.t2}`, { theme: { name: 'Copy', defaultMessages: 'a=b' } }), 'theme.templates')).toEqual(['[missing]theme.templates']);
  });
  it('the default theme keeps FusionAuth\'s own templates and messages whatever it is sent', async () => {
    const before = (await c.get(`/api/theme/${DEFAULT_THEME_ID}`)).body.theme;
    const r = await c.patch(`/api/theme/${DEFAULT_THEME_ID}`, { theme: { templates: { index: 'mine' }, defaultMessages: 'x=y' } }, { contentType: 'application/merge-patch+json' });
    expect(r.status).toBe(200);
    const after = (await c.get(`/api/theme/${DEFAULT_THEME_ID}`)).body.theme;
    expect(after.templates).toEqual(before.templates);
    expect(after.defaultMessages).toBe(before.defaultMessages);
  });
});

describe('delete', () => {
  it('never deletes the built-in themes ([fusionAuth]themeId)', async () => {
    for (const id of [DEFAULT_THEME_ID, DEFAULT_SIMPLE_THEME_ID]) expect(codes(await c.del(`/api/theme/${id}`), 'themeId')).toEqual(['[fusionAuth]themeId']);
  });
  it('refuses a theme a tenant uses ([inUse]themeId), and deletes it once no tenant does', async () => {
    const t = await c.post('/api/theme', advanced('Used'));
    const id = t.body.theme.id as string;
    const tenant = await c.post('/api/tenant', { tenant: { name: 'Uses a theme', themeId: id } });
    expect(tenant.status).toBe(200);
    expect(codes(await c.del(`/api/theme/${id}`), 'themeId')).toEqual(['[inUse]themeId']);
    await c.patch(`/api/tenant/${tenant.body.tenant.id as string}`, { tenant: { themeId: DEFAULT_THEME_ID } }, { contentType: 'application/merge-patch+json' });
    expect((await c.del(`/api/theme/${id}`)).status).toBe(200);
    expect((await c.get(`/api/theme/${id}`)).status).toBe(404);
  });
});

/**
 * kickstand evaluates the checked Handlebars syntax tree of a templated value itself instead of compiling a template
 * per string (src/config/variables.ts `evaluate`; compiling cost ~0.2 ms per distinct string, seconds for thousands of
 * applications). This differential test holds it to what Handlebars' own compiled template gives for the same
 * string with the options kickstand used to compile with (noEscape, strict, knownHelpersOnly, the env and file helpers).
 */
import Handlebars from 'handlebars';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS } from '../../src/config/parse.js';
import { renderString, type RenderContext, type VariableValue } from '../../src/config/variables.js';

const dir = mkdtempSync(join(tmpdir(), 'kickstand-tpl-'));
const base = join(dir, 'kickstand.yaml');
writeFileSync(join(dir, 'sms.ftl'), 'Your code is ${code}\n');

const vars = new Map<string, VariableValue>([
  ['name', { value: 'Acme <&> "Corp"', sensitive: false, source: 'var' }],
  ['ttl', { value: '600', sensitive: false, source: 'var' }],
  ['url', { value: 'https://app.example.com/{{not-a-template}}', sensitive: false, source: 'var' }],
  ['token', { value: 'tok-secret', sensitive: true, source: 'var' }],
  ['helperMissing', { value: 'hm', sensitive: false, source: 'var' }],
]);
const env = { HOME_URL: 'https://home.example.com', EMPTY: '' };

/** Handlebars' compiled rendering of `source`, as kickstand did it before (the reference). */
function reference(source: string): string {
  const hb = Handlebars.create();
  for (const h of ['if', 'unless', 'each', 'with', 'lookup', 'log']) hb.unregisterHelper(h);
  const template = hb.compile(source, {
    noEscape: true, strict: true, knownHelpersOnly: true,
    knownHelpers: { env: true, file: true, if: false, unless: false, each: false, with: false, lookup: false, log: false },
  });
  const context = Object.create(null) as Record<string, string>;
  for (const [k, v] of vars) context[k] = v.value!;
  return template(context, {
    helpers: {
      env: (name: unknown, ...rest: unknown[]) => env[String(name) as keyof typeof env] ?? (rest.length === 2 ? String(rest[0]) : ''),
      file: () => 'Your code is ${code}\n',
    },
    partials: {},
    allowProtoPropertiesByDefault: false,
    allowProtoMethodsByDefault: false,
  });
}

const CASES = [
  '{{name}}',
  ' {{name}} ',
  '{{ name }}',
  '{{{name}}}',
  '{{name}}/{{ttl}}/{{url}}',
  'prefix {{~name~}} suffix',
  'a  {{~ ttl}}  b',
  '{{ttl ~}}\n\n  tail',
  'x {{! a comment }} y',
  'x {{!-- a {{long}} comment --}} y',
  'line one\n  {{! standalone comment }}\nline two {{ttl}}',
  '\\{{name}} is literal',
  '\\\\{{name}} after a backslash',
  '{{env "HOME_URL"}}/cb',
  '{{env "MISSING" "fallback"}}',
  '{{env "MISSING" 300}}',
  '{{env "MISSING" 1.50}}',
  '{{env "MISSING" true}}',
  '{{env "EMPTY" "not used"}}',
  "{{env 'HOME_URL' 'single quotes'}}",
  '{{env "MISSING" "with \\"quotes\\""}}',
  '{{file "sms.ftl"}}',
  'Header\n{{file "sms.ftl"}}Footer {{token}}',
  'ünïcødé {{name}} ✓',
  '{{name}}{{name}}{{name}}',
  '${code} {{ttl}} ${other}',
];

describe('templated values are rendered exactly as Handlebars renders them', () => {
  const ctx: RenderContext = { vars, env, limits: DEFAULT_LIMITS, fileCache: new Map() };
  for (const source of CASES) {
    it(JSON.stringify(source), async () => {
      const r = await renderString(source, base, ctx);
      if (!r.ok) throw new Error(r.message);
      expect(r.value).toBe(reference(source));
    });
  }

  it('a variable named like a Handlebars internal is just a variable (compiled Handlebars threw a TypeError here)', async () => {
    const r = await renderString('{{helperMissing}}', base, ctx);
    expect(r.ok && r.value).toBe('hm');
  });

  it('marks a value sensitive when it uses a sensitive variable, and only then', async () => {
    const a = await renderString('Bearer {{token}}', base, ctx);
    const b = await renderString('{{name}}', base, ctx);
    expect(a.ok && a.sensitive).toBe(true);
    expect(b.ok && b.sensitive).toBe(false);
  });

  it('still rejects what the restricted language forbids, before evaluating anything', async () => {
    for (const source of ['{{#if name}}x{{/if}}', '{{> partial}}', '{{constructor.constructor "alert(1)"}}', '{{lookup name "length"}}', '{{name.length}}', '{{../name}}', '{{@root}}', '{{unknownVar}}']) {
      const r = await renderString(source, base, ctx);
      expect(r.ok, source).toBe(false);
    }
  });
});

import fc from 'fast-check';
import Handlebars from 'handlebars';
import { describe, expect, it } from 'vitest';
import { parseSimpleTemplate } from '../../src/config/variables.js';

/** Handlebars' own tree for a string, without source locations (the fast path does not make them; nothing reads them). */
function handlebarsTree(source: string): unknown {
  return JSON.parse(JSON.stringify((Handlebars.parse(source) as unknown as { body: unknown[] }).body, (k, v: unknown) => (k === 'loc' ? undefined : v)));
}

const pieces = ['{{', '}}', '{', '}', '\\', '~', ' ', '\n', 'a', 'name', 'x_1', '_y', '9', '/', '.', '@', '!', '#', '>', '"', 'true', 'false',
  'null', 'undefined', 'this', 'else', 'env', 'file', '{{{', '}}}', 'https://', '-', '$'];

describe('parseSimpleTemplate', () => {
  it('gives exactly the tree Handlebars gives, whenever it accepts a string', () => {
    fc.assert(fc.property(fc.array(fc.constantFrom(...pieces), { maxLength: 14 }), (parts) => {
      const source = parts.join('');
      const fast = parseSimpleTemplate(source);
      if (fast !== undefined) expect(fast).toEqual(handlebarsTree(source));
    }), { numRuns: 3000 });
  });

  it('accepts text with plain {{name}} expressions, as Handlebars parses them', () => {
    const name = fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_]{0,8}$/).filter((n) => !['true', 'false', 'null', 'undefined', 'this', 'else', 'env', 'file'].includes(n));
    const text = fc.stringMatching(/^[^{}\\~]{0,12}$/);
    fc.assert(fc.property(fc.array(fc.tuple(text, name), { minLength: 1, maxLength: 4 }), text, (pairs, tail) => {
      const source = pairs.map(([t, n]) => `${t}{{${n}}}`).join('') + tail;
      const fast = parseSimpleTemplate(source);
      expect(fast).toBeDefined();
      expect(fast).toEqual(handlebarsTree(source));
    }), { numRuns: 1000 });
  });

  it('leaves everything else to Handlebars', () => {
    for (const s of ['{{ name }}', '{{env "X"}}', '{{file "a.txt"}}', '\\{{name}}', '{{~name}}', '{{name}}}', '{{{name}}}', '{{true}}', '{{this}}',
      '{{a.b}}', '{{@index}}', '{{#if a}}x{{/if}}', '{{! c }}', 'a {b} {{name}}', '{{name', '{{else}}']) {
      expect(parseSimpleTemplate(s), s).toBeUndefined();
    }
  });
});

/**
 * Long text values in plans (templates, stylesheets, message bundles): a summary for a new one, the changed lines for a
 * changed one, bounded output — in every human-facing rendering. A 50 KB template must never come out as one line.
 */
import { describe, expect, it } from 'vitest';
import { renderPlanHuman } from '../../src/render/human.js';
import { renderPlanMarkdown } from '../../src/render/markdown.js';
import { isLongText, MAX_DIFF_LINES, textDiff, textLines } from '../../src/render/textdiff.js';
import { change, plan } from './fixtures.js';

const lines = (n: number, f: (i: number) => string = (i) => `line ${i}`): string => Array.from({ length: n }, (_, i) => f(i + 1)).join('\n');

describe('textDiff', () => {
  it('shows a changed line with two lines of context, headed by its line number in the new text', () => {
    const before = lines(10);
    const after = before.replace('line 5', 'line five');
    expect(textDiff(before, after)).toEqual({
      more: 0,
      lines: [
        { op: '@@', text: 'line 3' },
        { op: ' ', text: 'line 3' }, { op: ' ', text: 'line 4' },
        { op: '-', text: 'line 5' }, { op: '+', text: 'line five' },
        { op: ' ', text: 'line 6' }, { op: ' ', text: 'line 7' },
      ],
    });
  });

  it('finds insertions and deletions far apart as separate hunks (the shortest script, not one big replacement)', () => {
    const a = textLines(lines(40));
    const b = [...a.slice(0, 2), 'inserted', ...a.slice(2, 35), ...a.slice(36)];
    const d = textDiff(a.join('\n'), b.join('\n'));
    expect(d.lines.filter((l) => l.op === '@@').map((l) => l.text)).toEqual(['line 1', 'line 35']);
    expect(d.lines.filter((l) => l.op === '+' || l.op === '-')).toEqual([{ op: '+', text: 'inserted' }, { op: '-', text: 'line 36' }]);
  });

  it('cuts its output at MAX_DIFF_LINES and counts the changed lines left out', () => {
    const before = lines(500);
    const after = lines(500, (i) => `changed ${i}`);
    const d = textDiff(before, after);
    expect(d.lines).toHaveLength(MAX_DIFF_LINES);
    const shown = d.lines.filter((l) => l.op === '-' || l.op === '+').length;
    expect(shown + d.more).toBe(1000);
  });

  it('stays fast on large texts with many differences (bounded search, then the whole middle replaced)', () => {
    const before = lines(50_000, (i) => `a ${i % 7} ${i}`);
    const after = lines(50_000, (i) => (i % 3 === 0 ? `b ${i}` : `a ${i % 7} ${i}`));
    const d = textDiff(before, after);
    expect(d.lines).toHaveLength(MAX_DIFF_LINES);
    expect(d.more).toBeGreaterThan(10_000);
  });

  it('treats \\r\\n and \\n alike and a final line break as the end of the last line', () => {
    expect(textLines('a\r\nb\n')).toEqual(['a', 'b']);
    expect(textDiff('a\nb\n', 'a\r\nb')).toEqual({ lines: [], more: 0 });
  });
});

describe('long text in the plan renderings', () => {
  const template = `[#ftl/]\n${lines(2000, (i) => `<p>\${theme.message("m${i}")}</p>`)}\n`;
  const changed = template.replace('m1000")', 'm1000", user.email)');
  const p = plan([
    change({ action: 'create', kind: 'theme', title: 'theme', key: 'brand', name: 'Brand', after: { name: 'Brand', templates: { index: template } } }),
    change({
      action: 'update', kind: 'theme', title: 'theme', key: 'old', name: 'Old', id: '2d7b5e9c-4a1f-5c3e-8b6d-0f9a2c4e6b18',
      fields: [{ path: 'templates.index', before: template, after: changed, sensitive: false }],
    }),
  ]);

  it('human: a new template is one summary line, a changed one its changed lines', () => {
    const text = renderPlanHuman(p, { color: false });
    expect(text).toContain('  + templates.index: (text, 2,001 lines, ');
    expect(text).toContain('  ~ templates.index: text changed, 2,001 lines → 2,001 lines, ');
    expect(text).toContain('      @@ line 999 @@\n        <p>${theme.message("m998")}</p>\n        <p>${theme.message("m999")}</p>\n      - <p>${theme.message("m1000")}</p>\n      + <p>${theme.message("m1000", user.email)}</p>');
    expect(Math.max(...text.split('\n').map((l) => l.length))).toBeLessThan(200);
    expect(text.length).toBeLessThan(2000);
  });

  it('markdown: the same inside the diff block', () => {
    const md = renderPlanMarkdown(p);
    expect(md).toContain('+ templates.index: (text, 2,001 lines, ');
    expect(md).toContain('@@ line 999 @@\n     <p>${theme.message("m998")}</p>');
    expect(md).toContain('-    <p>${theme.message("m1000")}</p>\n+    <p>${theme.message("m1000", user.email)}</p>');
    expect(md.length).toBeLessThan(3000);
  });

  it('makes every diff line inert: no control or bidi character of the text reaches the output', () => {
    const evil = change({
      action: 'update', kind: 'theme', key: 'x', id: '2d7b5e9c-4a1f-5c3e-8b6d-0f9a2c4e6b18',
      fields: [{ path: 'stylesheet', before: 'a {}\nb {}', after: 'a {}\n\u001b[2J\u202eb {}\tc', sensitive: false }],
    });
    const text = renderPlanHuman(plan([evil]), { color: false });
    expect(text.includes('\u001b') || text.includes('\u202e')).toBe(false);
    expect(text).toContain('+ \\u001b[2J\\u202eb {}  c');
  });

  it('keeps short one-line values inline, a final line break included', () => {
    expect(isLongText('Your code is ${code}.\n')).toBe(false);
    expect(isLongText('a\nb')).toBe(true);
    expect(isLongText('x'.repeat(121))).toBe(true);
  });
});

import { describe, expect, it } from 'vitest';
import { escapeHtml, escapeMarkdown, renderApplyMarkdown, renderPlanMarkdown } from '../../src/render/markdown.js';
import { applyResult, change, plan } from './fixtures.js';

const HOSTILE = 'Evil | corp <img src=x onerror=alert(1)> `rm -rf` **bold** [link](https://evil.example)\n| x | y |';

/** The cells of a markdown table row, split on the pipes that are not backslash-escaped. */
function cells(row: string): string[] {
  return row.slice(1, -1).split(/(?<!\\)\|/);
}

describe('markdown escaping', () => {
  it('escapes markdown punctuation, HTML and newlines in inline text', () => {
    expect(escapeMarkdown('a|b `c` <i>&</i> *d* _e_ [f] ~g~ \\ h\ni')).toBe('a\\|b \\`c\\` &lt;i&gt;&amp;&lt;/i&gt; \\*d\\* \\_e\\_ \\[f\\] \\~g\\~ \\\\ h i');
  });
  it('escapes HTML in raw HTML context', () => {
    expect(escapeHtml(`<script>"x" & 'y'</script>`)).toBe('&lt;script&gt;&quot;x&quot; &amp; &#39;y&#39;&lt;/script&gt;');
    expect(escapeHtml('a|b `c` *d* [e]')).toBe('a&#124;b &#96;c&#96; &#42;d&#42; &#91;e&#93;');
  });
});

describe('renderPlanMarkdown', () => {
  const p = plan([
    change({ action: 'create', kind: 'tenant', key: 'acme', name: HOSTILE, match: 'new', after: { name: HOSTILE, issuer: 'https://acme.example' } }),
    change({
      action: 'update', kind: 'messenger', key: 'sms', name: 'SMS', id: '2d7b5e9c-4a1f-5c3e-8b6d-0f9a2c4e6b18',
      fields: [{ path: 'url', before: 'https://a.example', after: '```\n</details><script>alert(1)</script>', sensitive: false }],
    }),
    change({ action: 'noop', kind: 'application', key: 'web', id: '4f8a2c1d-6e3b-5d7f-a9c2-8b1e4d6f0a27' }),
  ]);
  const md = renderPlanMarkdown(p);

  it('keeps the summary table intact with a hostile name', () => {
    const lines = md.split('\n');
    const header = lines.findIndex((l) => l.startsWith('| Action |'));
    const rows = lines.slice(header).filter((l) => l.startsWith('|'));
    expect(rows).toHaveLength(4); // header, separator, two changed resources (the noop is not listed)
    for (const r of rows) expect(cells(r)).toHaveLength(5);
    expect(cells(rows[2]!)[0]!.trim()).toBe('create');
    expect(cells(rows[2]!)[4]!.trim()).toBe('2');
  });

  it('injects no HTML and opens no code span from user values', () => {
    // Fenced blocks are inert (their content is shown as text); everything outside them must be clean.
    const outsideFences = md.replace(/^(`{3,})diff\n[\s\S]*?\n\1$/gm, '');
    expect(outsideFences).not.toMatch(/<img|<script|<\/details><script/);
    expect(outsideFences).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(outsideFences.replace(/<\/?code>/g, '')).not.toMatch(/(?<!\\)`/);
  });

  it('puts each change in a collapsible section with a diff block the values cannot close', () => {
    expect(md).toContain('<details><summary><code>~</code> messenger sms “SMS” (id 2d7b5e9c…)</summary>');
    const block = md.slice(md.indexOf('<code>~</code>'));
    const fence = /\n(`{3,})diff\n/.exec(block)![1]!;
    expect(fence.length).toBeGreaterThan(3);
    // A value of several lines is shown as its changed lines, each inside the fence that no line of it can close.
    expect(block).toContain(`${fence}diff\n  url: text changed, 1 line → 2 lines, 39 characters\n@@ line 1 @@\n-    https://a.example\n+    \`\`\`\n+    </details><script>alert(1)</script>\n${fence}\n\n</details>`);
  });

  it('says in one line that nothing changes', () => {
    const text = renderPlanMarkdown(plan([change({ action: 'noop', kind: 'tenant', key: 'acme' })]));
    expect(text).toBe('<!-- kickstand-plan -->\n### kickstand plan\n\nNo changes. Your FusionAuth configuration matches the files. FusionAuth 1.65.0 at https://auth.acme.example (licensed).\n');
  });

  it('lists diagnostics with escaped text and shows no table when the plan has errors', () => {
    const text = renderPlanMarkdown(plan(p.changes, { diagnostics: [{ severity: 'error', message: 'bad <b>value</b> | here', where: { file: 'k.yaml', line: 2, column: 3 } }] }));
    expect(text).toContain('**Plan failed: 1 error.**');
    expect(text).toContain('- **error:** k.yaml:2:3  bad &lt;b&gt;value&lt;/b&gt; \\| here');
    expect(text).not.toContain('| Action |');
  });
});

describe('renderApplyMarkdown', () => {
  it('tabulates outcomes and lists the errors of failed changes', () => {
    const text = renderApplyMarkdown(applyResult([
      { kind: 'messenger', key: 'sms', id: 'a', action: 'create', status: 'applied', durationMs: 120 },
      { kind: 'tenant', key: 'ac|me', id: 'b', action: 'update', status: 'failed', error: [{ severity: 'error', message: 'rejected <x>' }] },
      { kind: 'application', key: 'web', id: 'c', action: 'create', status: 'skipped' },
    ]));
    expect(text).toContain('**Apply failed: 1 applied, 1 failed, 1 skipped.**');
    expect(text).toContain('| applied | create | messenger | sms | 120 ms |');
    expect(text).toContain('| failed | update | tenant | ac\\|me |  |');
    expect(text).toContain('**tenant ac\\|me failed:**\n\n- **error:** rejected &lt;x&gt;');
  });
});

/**
 * The README's offline examples run as written: every `npx kickstand validate|schema|graph|version|completion …` line in
 * its shell blocks goes through the real CLI and succeeds. (The quick start's plan/apply lines are covered by
 * plan-apply.test.ts on the same embedded emulator; the phone-gating walkthrough by test/users/readme.test.ts.)
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runCli } from '../config/helpers.js';

const README = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');

/** Lines of ```sh blocks that run an offline kickstand command, without redirections. */
function offlineExamples(): string[] {
  const blocks = [...README.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1] ?? '');
  return blocks
    .flatMap((b) => b.split('\n'))
    .map((l) => l.trim())
    .filter((l) => /^npx kickstand (validate|schema|graph|version|completion)\b/.test(l))
    .map((l) => l.replace(/\s+[>|].*$/, ''));
}

describe('README examples', () => {
  const lines = offlineExamples();
  it('has offline examples to run', () => {
    expect(lines.length).toBeGreaterThanOrEqual(2);
  });
  it.each(lines)('%s', async (line) => {
    const argv = line.replace(/^npx kickstand /, '').split(/\s+/);
    const r = await runCli(argv);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
  });
});

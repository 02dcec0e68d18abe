/**
 * Progress of a long apply, on stderr only: one line per change with `[N/M elapsed]` when stderr is not a terminal,
 * one line rewritten in place on a terminal (cut to its width, erased at the end), never in `--format json` stdout.
 */
import { describe, expect, it } from 'vitest';
import { applyProgress, formatElapsed } from '../../src/cli/progress.js';
import type { ChangeOutcome } from '../../src/core/types.js';
import { runCli } from '../config/helpers.js';
import { tmpDir } from '../hardening/helpers.js';

const EXAMPLE = 'examples/phone-gating';
const ERASE = '\r\u001b[2K';

/** Run with stderr presented as a terminal of `columns` columns. */
async function onTerminal<T>(columns: number, work: () => Promise<T>): Promise<T> {
  const saved = { isTTY: process.stderr.isTTY, columns: process.stderr.columns };
  Object.defineProperty(process.stderr, 'isTTY', { value: true, configurable: true, writable: true });
  Object.defineProperty(process.stderr, 'columns', { value: columns, configurable: true, writable: true });
  try {
    return await work();
  } finally {
    Object.defineProperty(process.stderr, 'isTTY', { value: saved.isTTY, configurable: true, writable: true });
    Object.defineProperty(process.stderr, 'columns', { value: saved.columns, configurable: true, writable: true });
  }
}

describe('apply progress', () => {
  it('not on a terminal: one line per change on stderr, numbered N/M with the elapsed time; stdout is one JSON document', async () => {
    const r = await runCli(['apply', EXAMPLE, '--emulator', '--emulator-licensed', '--emulator-dir', tmpDir(), '--auto-approve', '--format', 'json']);
    expect(r.code).toBe(0);
    const progress = r.stderr.split('\n').filter((l) => l.startsWith('['));
    expect(progress.map((l) => /^\[(\d)\/5 \d+s\] \+ \S+/.exec(l)?.[1])).toEqual(['1', '2', '3', '4', '5']);
    expect(progress.every((l) => / created \(\d+ ms\)$/.test(l))).toBe(true);
    expect(r.stderr).not.toContain(ERASE);
    expect((JSON.parse(r.stdout) as { apply: { summary: { applied: number } } }).apply.summary.applied).toBe(5);
  });

  it('on a terminal: one line rewritten in place, cut to the width and erased at the end; the result lists every outcome', async () => {
    const r = await onTerminal(50, () => runCli(['apply', EXAMPLE, '--emulator', '--emulator-licensed', '--emulator-dir', tmpDir(), '--auto-approve', '--no-color']));
    expect(r.code).toBe(0);
    // The plan goes to stdout; stderr holds only the status line's rewrites.
    const rewrites = r.stderr.split(ERASE).slice(1);
    expect(r.stderr.startsWith(ERASE)).toBe(true);
    expect(rewrites.length).toBeGreaterThanOrEqual(7); // the first draw, one per change, the final erase
    expect(rewrites.at(-1)).toBe('');
    expect(rewrites.some((t) => t.startsWith('Applying 5/5 '))).toBe(true);
    for (const t of rewrites) {
      expect(t).not.toContain('\n');
      expect(t.length).toBeLessThanOrEqual(49);
    }
    expect(r.stdout.match(/ created \(/g)).toHaveLength(5);
    expect(r.stdout).toContain('Apply complete: 5 applied, 0 failed, 0 skipped.');
  });

  it('on a terminal with --format json: stdout is still only the JSON document', async () => {
    const r = await onTerminal(80, () => runCli(['apply', EXAMPLE, '--emulator', '--emulator-licensed', '--emulator-dir', tmpDir(), '--auto-approve', '--format', 'json']));
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('Applying 5/5');
    expect(() => JSON.parse(r.stdout) as unknown).not.toThrow();
  });

  it('counts outcomes against the total with the time since the start', () => {
    let t = 1_000;
    const out: string[] = [];
    const write = process.stderr.write.bind(process.stderr);
    process.stderr.write = ((chunk: string) => (out.push(chunk), true)) as typeof process.stderr.write;
    try {
      const p = applyProgress({ total: 3, tty: false, color: false, mask: (x) => x, now: () => t });
      const o: ChangeOutcome = { kind: 'tenant', title: 'tenant', key: 'acme', id: '0b8e0000-0000-5000-8000-000000000000', action: 'create', status: 'applied', durationMs: 5 };
      t += 2_500;
      p.outcome(o);
      t += 63_000;
      p.outcome({ ...o, key: 'beta', status: 'failed', error: [{ severity: 'error', message: 'boom' }] });
      p.done();
    } finally {
      process.stderr.write = write;
    }
    expect(out[0]).toMatch(/^\[1\/3 2s\] \+ tenant acme .* created \(5 ms\)\n$/);
    expect(out[1]).toMatch(/^\[2\/3 1m05s\] \+ tenant beta .* failed \(5 ms\)\n {4}error: boom\n$/);
  });

  it('formats elapsed time in seconds, minutes and hours', () => {
    expect([0, 999, 59_999, 60_000, 65_000, 3_599_999, 3_600_000, 7_380_000].map(formatElapsed)).toEqual(['0s', '0s', '59s', '1m00s', '1m05s', '59m59s', '1h00m', '2h03m']);
  });
});

/** Bounded reads: kernel files, FIFOs, devices and folders are refused, a file is never read past its limit. */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FileReadError, readFileBounded, readFileBoundedSync } from '../../src/io/files.js';

const dir = mkdtempSync(join(tmpdir(), 'kickstand-io-'));

async function reason(path: string, max = 1000): Promise<string> {
  try {
    await readFileBounded(path, max);
    return 'read';
  } catch (e) {
    expect(e).toBeInstanceOf(FileReadError);
    return (e as FileReadError).reason;
  }
}

describe('readFileBounded', () => {
  it('reads a regular file whole when it fits', async () => {
    const f = join(dir, 'ok.txt');
    writeFileSync(f, 'x'.repeat(1000));
    expect((await readFileBounded(f, 1000)).length).toBe(1000);
    expect(readFileBoundedSync(f, 1000).length).toBe(1000);
  });

  it('refuses a file one byte over the limit', async () => {
    const f = join(dir, 'big.txt');
    writeFileSync(f, 'x'.repeat(1001));
    expect(await reason(f)).toBe('too-large');
  });

  it('refuses kernel files whose size lies (/proc/self/pagemap, /proc/self/environ) and ones that block (/proc/kmsg)', async () => {
    for (const p of ['/proc/self/pagemap', '/proc/self/environ', '/proc/kmsg', '/sys/kernel/mm/transparent_hugepage/enabled']) {
      expect([p, await reason(p)]).toEqual([p, expect.stringMatching(/special|missing/)]);
    }
  });

  it('refuses a symbolic link to a kernel file', async () => {
    const link = join(dir, 'environ.yaml');
    symlinkSync('/proc/self/environ', link);
    expect(await reason(link)).toBe('special');
  });

  it('refuses devices, FIFOs and folders without blocking', async () => {
    const fifo = join(dir, 'pipe.yaml');
    execFileSync('mkfifo', [fifo]);
    expect(await reason(fifo)).toBe('special');
    expect(await reason('/dev/zero')).toBe('special');
    expect(await reason(dir)).toBe('special');
  });

  it('says when a file is missing', async () => {
    expect(await reason(join(dir, 'nope'))).toBe('missing');
  });
});

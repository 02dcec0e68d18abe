/**
 * The Dockerfile, without Docker (no engine runs here): linted for the rules that matter for a CLI image — pinned base
 * images, installs from the lock file, only files that exist and that .dockerignore lets through, a non-root user, an
 * exec-form entrypoint — and its entrypoint run as a plain process, with the image's paths mapped onto this checkout.
 */
import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const ROOT = process.cwd();
const text = readFileSync(join(ROOT, 'Dockerfile'), 'utf8');
const ignored = readFileSync(join(ROOT, '.dockerignore'), 'utf8').split('\n').map((l) => l.trim()).filter((l) => l !== '' && !l.startsWith('#'));

/** The instructions, continuation lines joined, comments left out. */
const instructions = text.replace(/\\\n/g, ' ').split('\n').map((l) => l.trim()).filter((l) => l !== '' && !l.startsWith('#'))
  .map((l) => {
    const [op, ...rest] = l.split(/\s+/);
    return { op: op!.toUpperCase(), args: rest.join(' ') };
  });
const stages = instructions.reduce<Array<typeof instructions>>((acc, i) => {
  if (i.op === 'FROM') acc.push([]);
  acc[acc.length - 1]?.push(i);
  return acc;
}, []);
const final = stages[stages.length - 1]!;

describe('Dockerfile lint', () => {
  it('every base image names a tag that is not latest', () => {
    const froms = instructions.filter((i) => i.op === 'FROM').map((i) => i.args.split(/\s+/)[0]!);
    expect(froms.length).toBeGreaterThan(0);
    for (const image of froms) expect(image, image).toMatch(/^[\w./-]+:(?!latest$)[\w.-]+$/);
  });

  it('installs with npm ci from the lock file, never npm install', () => {
    const runs = instructions.filter((i) => i.op === 'RUN').map((i) => i.args);
    expect(runs.some((r) => /\bnpm ci\b/.test(r))).toBe(true);
    expect(runs.filter((r) => /\bnpm (install|i)\b/.test(r))).toEqual([]);
  });

  it('copies only files that exist in the repository and that .dockerignore does not exclude', () => {
    const sources = instructions.filter((i) => i.op === 'COPY' && !i.args.startsWith('--from')).flatMap((i) => i.args.split(/\s+/).slice(0, -1));
    expect(sources.length).toBeGreaterThan(0);
    for (const s of sources) {
      expect(existsSync(join(ROOT, s)), `${s} exists`).toBe(true);
      expect(ignored.some((p) => s === p || s.startsWith(`${p}/`)), `${s} is not in .dockerignore`).toBe(false);
    }
  });

  it('the image runs as a user other than root, with an exec-form entrypoint', () => {
    const user = final.filter((i) => i.op === 'USER').pop();
    expect(user?.args).toBeDefined();
    expect(['root', '0']).not.toContain(user!.args.split(':')[0]);
    const entry = final.find((i) => i.op === 'ENTRYPOINT');
    expect(() => JSON.parse(entry!.args) as unknown).not.toThrow();
  });
});

describe('the entrypoint as a plain process', () => {
  const entry = JSON.parse(final.find((i) => i.op === 'ENTRYPOINT')!.args) as string[];
  const cmd = JSON.parse(final.find((i) => i.op === 'CMD')?.args ?? '[]') as string[];
  const workdir = final.filter((i) => i.op === 'WORKDIR').pop()!.args;
  // The image's /app is this checkout (the runtime stage copies dist/ and schema/ there).
  const local = (arg: string) => (arg.startsWith(`${workdir}/`) ? join(ROOT, arg.slice(workdir.length + 1)) : arg);
  const [program, ...args] = entry.map(local);

  it('runs the CLI: the default command prints the help', async () => {
    expect(program).toBe('node');
    const { stdout } = await run(process.execPath, [...args, ...cmd]);
    expect(stdout).toContain('Usage: kickstand');
  });

  it('runs a command given after the image name', async () => {
    const { stdout } = await run(process.execPath, [...args, '--version']);
    expect(stdout.trim()).toBe((JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version);
  });
});

/**
 * What a configuration can make kickstand read. `{{file}}` (in a field or a variable's default) and symbolic links in
 * a folder given on the command line are confined to the configuration's tree — the folder given when the file was
 * found by walking it, else the file's own folder — after resolving symbolic links; `allowFilesOutside` lifts that.
 * Whatever the confinement says, every file read (configuration files, `--var-file`s, `{{file}}` targets) is bounded:
 * no FIFO, device or file under /proc, /sys or /dev, nothing over the size limit, UTF-8 without NUL bytes.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig, type LoadOptions } from '../../src/config/load.js';
import type { Diagnostic } from '../../src/core/types.js';
import { loadErrors, tmpFiles } from './helpers.js';

/** Text that must never appear in a message: the content of a file kickstand refused. */
const CANARY = 'canary-7f3a91-secret-content';

/** A template whose text is `expr`, at line 5 of the file, path messageTemplates[0].defaultTemplate. */
const template = (expr: string) => `messageTemplates:\n  - key: t\n    name: T\n    type: SMS\n    defaultTemplate: '${expr}'\n`;
const TEMPLATE_PATH = 'messageTemplates[0].defaultTemplate';
const tenant = 'tenants:\n  - key: a\n    name: A\n';

/**
 * A temporary folder holding `cfg/` (the configuration's tree) and, beside it, `outside/secret.txt` holding the canary.
 * Files are relative to the top folder.
 */
function tree(files: Record<string, string | Buffer> = {}): { top: string; cfg: string; secret: string } {
  const top = tmpFiles({ 'outside/secret.txt': `${CANARY}\n`, ...files });
  mkdirSync(join(top, 'cfg'), { recursive: true });
  return { top, cfg: join(top, 'cfg'), secret: join(top, 'outside/secret.txt') };
}

/** The single error of a failed load; fails the test when there is not exactly one. */
async function oneError(paths: string[], options: LoadOptions = {}): Promise<Diagnostic> {
  const { errors } = await loadErrors(paths, options);
  expect(errors, JSON.stringify(errors)).toHaveLength(1);
  expect(errors[0]!.message).not.toContain(CANARY);
  return errors[0]!;
}

/** The template's value after a successful load. */
async function rendered(paths: string[], options: LoadOptions = {}): Promise<unknown> {
  const state = await loadConfig(paths, { env: {}, ...options });
  return state.resources.find((r) => r.kind === 'messageTemplate')!.body.defaultTemplate;
}

const OUTSIDE = /is outside .*: refused; --allow-files-outside lifts this limit$/;

describe('{{file}} reads only inside the configuration\'s tree', () => {
  it('an absolute path outside is refused at the expression, naming --allow-files-outside, without its content', async () => {
    const { cfg, secret } = tree();
    writeFileSync(join(cfg, 'k.yaml'), template(`{{file "${secret}"}}`));
    const e = await oneError([join(cfg, 'k.yaml')]);
    expect(e.where).toMatchObject({ line: 5, path: TEMPLATE_PATH });
    expect(e.where!.file).toMatch(/cfg\/k\.yaml$/);
    expect(e.message).toMatch(new RegExp(`^file "${secret}" is outside .*cfg, the folder of this configuration: refused; --allow-files-outside lifts this limit$`));
  });

  it('a ../ path is refused', async () => {
    const { cfg } = tree();
    writeFileSync(join(cfg, 'k.yaml'), template('{{file "../outside/secret.txt"}}'));
    const e = await oneError([join(cfg, 'k.yaml')]);
    expect(e.where).toMatchObject({ line: 5, path: TEMPLATE_PATH });
    expect(e.message).toMatch(/^file "\.\.\/outside\/secret\.txt" is outside /);
    expect(e.message).toMatch(OUTSIDE);
  });

  it('a symbolic link inside the tree to a file outside is refused, naming where it leads', async () => {
    const { cfg, secret } = tree();
    symlinkSync(secret, join(cfg, 'link.txt'));
    writeFileSync(join(cfg, 'k.yaml'), template('{{file "link.txt"}}'));
    const e = await oneError([join(cfg, 'k.yaml')]);
    expect(e.message).toMatch(/^file "link\.txt" is outside .*\(it resolves to .*outside\/secret\.txt\)/);
    expect(e.message).toMatch(OUTSIDE);
  });

  it('a link to a folder outside is refused for the files under it too', async () => {
    const { top, cfg } = tree();
    symlinkSync(join(top, 'outside'), join(cfg, 'shared'));
    writeFileSync(join(cfg, 'k.yaml'), template('{{file "shared/secret.txt"}}'));
    expect((await oneError([join(cfg, 'k.yaml')])).message).toMatch(OUTSIDE);
  });

  it('a dangling link to a missing file outside is refused as outside, not reported missing (no probing of what exists)', async () => {
    const { top, cfg } = tree();
    symlinkSync(join(top, 'outside/nope.txt'), join(cfg, 'link.txt'));
    writeFileSync(join(cfg, 'k.yaml'), template('{{file "link.txt"}}'));
    expect((await oneError([join(cfg, 'k.yaml')])).message).toMatch(OUTSIDE);
    writeFileSync(join(cfg, 'k.yaml'), template('{{file "../outside/nope.txt"}}'));
    expect((await oneError([join(cfg, 'k.yaml')])).message).toMatch(OUTSIDE);
  });

  it('/proc/self/environ (the environment, NUL-separated) is refused, with the flag too', async () => {
    const { cfg } = tree();
    writeFileSync(join(cfg, 'k.yaml'), template('{{file "/proc/self/environ"}}'));
    for (const allowFilesOutside of [false, true]) {
      const e = await oneError([join(cfg, 'k.yaml')], { allowFilesOutside });
      expect(e.where).toMatchObject({ line: 5, path: TEMPLATE_PATH });
      expect(e.message).toBe('file "/proc/self/environ" is a kernel file (under /proc, /sys or /dev), not a data file');
    }
  });

  it('a target with a NUL byte is refused like a configuration file with one', async () => {
    const { cfg } = tree({ 'cfg/t.txt': 'line one\nab\u0000c\n' });
    writeFileSync(join(cfg, 'k.yaml'), template('{{file "t.txt"}}'));
    const e = await oneError([join(cfg, 'k.yaml')]);
    expect(e.where).toMatchObject({ line: 5, path: TEMPLATE_PATH });
    expect(e.message).toBe('file "t.txt" contains binary data (a NUL byte) (line 2, column 3)');
  });

  it('a variable default is confined to the tree of the file declaring it', async () => {
    const { cfg } = tree();
    writeFileSync(join(cfg, 'k.yaml'), `variables:\n  body: '{{file "../outside/secret.txt"}}'\n${template('{{body}}')}`);
    const { errors } = await loadErrors([join(cfg, 'k.yaml')]);
    const e = errors[0]!;
    expect(JSON.stringify(errors)).not.toContain(CANARY);
    expect(e.where).toMatchObject({ line: 2, path: 'variables.body' });
    expect(e.message).toMatch(OUTSIDE);
  });

  it('a file read for one configuration is still refused to another whose tree it is outside (the cache grants nothing)', async () => {
    const { top } = tree({ 'a/t.txt': `${CANARY}\n`, 'a/k.yaml': template('{{file "t.txt"}}'), 'b/k.yaml': template('{{file "../a/t.txt"}}').replace('key: t', 'key: u').replace('name: T', 'name: U') });
    const { errors } = await loadErrors([join(top, 'a/k.yaml'), join(top, 'b/k.yaml')]);
    expect(errors).toHaveLength(1);
    expect(errors[0]!.where!.file).toMatch(/b\/k\.yaml$/);
    expect(errors[0]!.message).toMatch(OUTSIDE);
    expect(errors[0]!.message).not.toContain(CANARY);
  });

  it('files inside the tree still work: subfolders, links inside, and anywhere under the folder given', async () => {
    const { cfg } = tree({
      'cfg/sms/verify.ftl': 'Code ${code}\n',
      'cfg/sms/deep/more.txt': 'more\n',
      'cfg/apps/k.yaml': template('{{file "../sms/verify.ftl"}}{{file "../sms/deep/more.txt"}}').replace('key: t', 'key: apps').replace('name: T', 'name: Apps'),
    });
    symlinkSync('sms/verify.ftl', join(cfg, 'verify-link.ftl'));
    writeFileSync(join(cfg, 'k.yaml'), template('{{file "sms/verify.ftl"}}|{{file "./sms/deep/../deep/more.txt"}}|{{file "verify-link.ftl"}}'));
    expect(await rendered([join(cfg, 'k.yaml')])).toBe('Code ${code}\n|more\n|Code ${code}\n');
    // Found by walking cfg, apps/k.yaml may read ../sms: its tree is cfg.
    const state = await loadConfig([cfg], { env: {} });
    expect(state.resources.find((r) => r.key === 'apps')!.body.defaultTemplate).toBe('Code ${code}\nmore\n');
    // Walking apps/ alone, its tree is apps/ and ../sms is outside.
    expect((await oneError([join(cfg, 'apps')])).message).toMatch(OUTSIDE);
  });
});

describe('symbolic links in a folder given on the command line', () => {
  it('a link to a file outside the folder is refused, naming the link and where it leads', async () => {
    const { top, cfg } = tree({ 'outside/evil.yaml': tenant, 'cfg/k.yaml': tenant.replace('key: a', 'key: b') });
    symlinkSync(join(top, 'outside/evil.yaml'), join(cfg, 'evil.yaml'));
    const e = await oneError([cfg]);
    expect(e.where!.file).toMatch(/cfg\/evil\.yaml$/);
    expect(e.message).toMatch(/evil\.yaml is outside .*cfg, the folder given on the command line \(it resolves to .*outside\/evil\.yaml\): refused; --allow-files-outside lifts this limit$/);
  });

  it('a link to a file inside the folder is read; a folder given through a link is its own tree', async () => {
    const { top, cfg } = tree({ 'cfg/data/tenant.txt': tenant, 'cfg/t.txt': 'hi\n', 'cfg/m.yaml': template('{{file "t.txt"}}') });
    symlinkSync('data/tenant.txt', join(cfg, 'k.yaml'));
    symlinkSync(cfg, join(top, 'cfg-link'));
    for (const given of [cfg, join(top, 'cfg-link')]) {
      const state = await loadConfig([given], { env: {} });
      expect(state.resources.map((r) => r.key).sort()).toEqual(['a', 't']);
    }
  });

  it('a file named on the command line is read wherever it is (the user chose it)', async () => {
    const { top } = tree({ 'outside/k.yaml': tenant });
    symlinkSync(join(top, 'outside/k.yaml'), join(top, 'cfg/k.yaml'));
    const state = await loadConfig([join(top, 'cfg/k.yaml')], { env: {} });
    expect(state.resources.map((r) => r.key)).toEqual(['a']);
  });
});

describe('allowFilesOutside', () => {
  it('reads {{file}} targets and folder links outside the tree', async () => {
    const { top, cfg, secret } = tree({ 'outside/evil.yaml': tenant });
    symlinkSync(secret, join(cfg, 'link.txt'));
    symlinkSync(join(top, 'outside/evil.yaml'), join(cfg, 'evil.yaml'));
    writeFileSync(join(cfg, 'k.yaml'), template(`{{file "${secret}"}}|{{file "../outside/secret.txt"}}|{{file "link.txt"}}`));
    const state = await loadConfig([cfg], { env: {}, allowFilesOutside: true });
    expect(state.resources.find((r) => r.kind === 'messageTemplate')!.body.defaultTemplate).toBe(`${CANARY}\n|${CANARY}\n|${CANARY}\n`);
    expect(state.resources.some((r) => r.kind === 'tenant' && r.key === 'a')).toBe(true);
  });

  it('still refuses FIFOs, devices and kernel files', async () => {
    const { top, cfg } = tree();
    execFileSync('mkfifo', [join(top, 'outside/pipe')]);
    const cases: Array<[string, RegExp]> = [
      ['../outside/pipe', /^file "\.\.\/outside\/pipe" is a FIFO \(named pipe\), not a regular file$/],
      ['/dev/zero', /^file "\/dev\/zero" is a device, not a regular file$/],
      ['/proc/self/pagemap', /^file "\/proc\/self\/pagemap" is a kernel file/],
      ['/proc/self/environ', /^file "\/proc\/self\/environ" is a kernel file/],
    ];
    for (const [target, message] of cases) {
      writeFileSync(join(cfg, 'k.yaml'), template(`{{file "${target}"}}`));
      expect((await oneError([join(cfg, 'k.yaml')], { allowFilesOutside: true })).message).toMatch(message);
    }
  });
});

describe('every file the loader reads is bounded', () => {
  it('a FIFO fails fast as configuration file, variable file and {{file}} target', async () => {
    const { cfg } = tree();
    execFileSync('mkfifo', [join(cfg, 'pipe.yaml')]);
    const fifo = /is a FIFO \(named pipe\), not a regular file$/;
    expect((await oneError([join(cfg, 'pipe.yaml')])).message).toMatch(fifo);
    writeFileSync(join(cfg, 'k.yaml'), tenant);
    expect((await oneError([join(cfg, 'k.yaml')], { varFiles: [join(cfg, 'pipe.yaml')] })).message).toMatch(new RegExp(`^variable file .*pipe\\.yaml ${fifo.source}`));
    writeFileSync(join(cfg, 'k.yaml'), template('{{file "pipe.yaml"}}'));
    expect((await oneError([join(cfg, 'k.yaml')])).message).toMatch(/^file "pipe\.yaml" is a FIFO/);
  });

  it('in a folder, a FIFO is skipped and a link named .yaml to a FIFO fails fast', async () => {
    const { cfg } = tree({ 'cfg/k.yaml': tenant });
    execFileSync('mkfifo', [join(cfg, 'pipe.yaml')]);
    expect((await loadConfig([cfg], { env: {} })).resources.map((r) => r.key)).toEqual(['a']);
    execFileSync('mkfifo', [join(cfg, 'pipe')]);
    symlinkSync('pipe', join(cfg, 'link.yaml'));
    expect((await oneError([cfg])).message).toMatch(/link\.yaml is a FIFO \(named pipe\), not a regular file$/);
  });

  it('/dev/zero is refused as configuration file, variable file and {{file}} target', async () => {
    const { cfg } = tree({ 'cfg/k.yaml': tenant });
    expect((await oneError(['/dev/zero'])).message).toBe('file /dev/zero is a device, not a regular file');
    expect((await oneError([join(cfg, 'k.yaml')], { varFiles: ['/dev/zero'] })).message).toBe('variable file /dev/zero is a device, not a regular file');
    writeFileSync(join(cfg, 'k.yaml'), template('{{file "/dev/zero"}}'));
    expect((await oneError([join(cfg, 'k.yaml')])).message).toBe('file "/dev/zero" is a device, not a regular file');
  });

  it('/proc/self/pagemap (stat says 0 bytes; reading it grows without end) is refused as configuration and variable file', async () => {
    const { cfg } = tree({ 'cfg/k.yaml': tenant });
    expect((await oneError(['/proc/self/pagemap'])).message).toBe('file /proc/self/pagemap is a kernel file (under /proc, /sys or /dev), not a data file');
    expect((await oneError([join(cfg, 'k.yaml')], { varFiles: ['/proc/self/pagemap'] })).message).toBe('variable file /proc/self/pagemap is a kernel file (under /proc, /sys or /dev), not a data file');
    symlinkSync('/proc/self/pagemap', join(cfg, 'pm.yaml'));
    expect((await oneError([cfg])).message).toMatch(/pm\.yaml is a kernel file/);
  });

  it('a --var-file outside the configuration\'s tree is read (named by the user), with the same checks', async () => {
    const { top, cfg } = tree({ 'outside/v.env': 'who=outside\n', 'outside/nul.env': 'who=a\u0000b\n' });
    writeFileSync(join(cfg, 'k.yaml'), `variables:\n  who:\n${template('{{who}}')}`);
    expect(await rendered([join(cfg, 'k.yaml')], { varFiles: [join(top, 'outside/v.env')] })).toBe('outside');
    const { errors } = await loadErrors([join(cfg, 'k.yaml')], { varFiles: [join(top, 'outside/nul.env')] });
    expect(errors[0]!.message).toMatch(/^variable file .*nul\.env contains binary data \(a NUL byte\)$/);
    expect(errors[0]!.where).toMatchObject({ line: 1, column: 6 });
  });

  it('size messages keep their shape for all three kinds of file', async () => {
    const { cfg } = tree({ 'cfg/big.txt': 'x'.repeat(2000), 'cfg/big.env': `a=${'x'.repeat(2000)}\n`, 'cfg/t.yaml': tenant });
    const limits = { maxFileBytes: 1500 };
    writeFileSync(join(cfg, 'k.yaml'), template('{{file "big.txt"}}'));
    expect((await oneError([join(cfg, 'k.yaml')], limits)).message).toBe('file "big.txt" is 2000 bytes, over the limit of 1500 bytes');
    expect((await oneError([join(cfg, 't.yaml')], { ...limits, varFiles: [join(cfg, 'big.env')] })).message).toMatch(/^variable file .*big\.env is 2003 bytes, over the limit of 1500 bytes$/);
    writeFileSync(join(cfg, 'k.yaml'), `${tenant}${'#'.repeat(2000)}\n`);
    expect((await oneError([join(cfg, 'k.yaml')], limits)).message).toMatch(/^file .*k\.yaml is \d+ bytes, over the limit of 1500 bytes$/);
  });
});

/**
 * Where variable values come from besides the files: `KICKSTAND_VAR_<name>` (below var files and --var), dotenv var
 * files of any name (parsed as dotenv tools parse them), YAML/JSON var files with undeclared names, and the CLI's
 * refusal of what used to pass green: a misspelt --var, an empty file, a folder without configuration files.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import { isDotenvFile } from '../../src/config/variables.js';
import type { DesiredState } from '../../src/core/types.js';
import { loadErrors, runCli, tmpFiles } from './helpers.js';

const FILE = 'variables:\n  issuer: from-default\n  logout:\n    default: https://a.test/bye\n    sensitive: false\ntenants:\n  - key: t\n    name: T\n    issuer: "{{issuer}}"\n    logoutURL: "{{logout}}"\n';

const tenant = (s: DesiredState) => s.resources.find((r) => r.kind === 'tenant')!.body;

describe('KICKSTAND_VAR_<name>', () => {
  it('sits between the defaults and the var files: default < KICKSTAND_VAR_ < --var-file < --var', async () => {
    const dir = tmpFiles({ 'k.yaml': FILE, 'v.yaml': 'issuer: from-file\n' });
    const k = [join(dir, 'k.yaml')];
    const env = { KICKSTAND_VAR_issuer: 'from-env' };
    expect(tenant(await loadConfig(k, { env: {} })).issuer).toBe('from-default');
    expect(tenant(await loadConfig(k, { env })).issuer).toBe('from-env');
    expect(tenant(await loadConfig(k, { env, varFiles: [join(dir, 'v.yaml')] })).issuer).toBe('from-file');
    expect(tenant(await loadConfig(k, { env, varFiles: [join(dir, 'v.yaml')], vars: { issuer: 'from-var' } })).issuer).toBe('from-var');
  });

  it('the name after the prefix is case-sensitive; an undeclared one is ignored without a diagnostic', async () => {
    const dir = tmpFiles({ 'k.yaml': FILE });
    const state = await loadConfig([join(dir, 'k.yaml')], { env: { KICKSTAND_VAR_ISSUER: 'upper', KICKSTAND_VAR_nope: 'x', KICKSTAND_VAR_: 'y' } });
    expect(tenant(state).issuer).toBe('from-default');
    expect(state.diagnostics).toEqual([]);
  });

  it('a value from the environment is a secret unless the declaration says sensitive: false', async () => {
    const dir = tmpFiles({ 'k.yaml': FILE });
    const state = await loadConfig([join(dir, 'k.yaml')], { env: { KICKSTAND_VAR_issuer: 'env-issuer-value', KICKSTAND_VAR_logout: 'https://b.test/bye' } });
    expect(state.secrets).toContain('env-issuer-value');
    expect(state.secrets).not.toContain('https://b.test/bye');
    expect(tenant(state).logoutURL).toBe('https://b.test/bye');
  });
});

describe('dotenv var files', () => {
  it('are recognised by name: .env, .env.<name>, <name>.env — unless the name ends in .json, .yaml or .yml', () => {
    for (const p of ['.env', '/a/.env', '.env.production', 'ci/.env.local', 'prod.env', 'PROD.ENV']) expect(isDotenvFile(p), p).toBe(true);
    for (const p of ['vars.yaml', 'vars.json', '.env.yaml', 'prod.env.json', 'env', 'vars.txt', '.envrc', 'my.environment']) expect(isDotenvFile(p), p).toBe(false);
  });

  it('are parsed as dotenv tools parse them: export, comments, quotes, multi-line double quotes, "v" # comment', async () => {
    const vars = 'variables:\n  a:\n  b:\n  c:\n  d:\n  e:\n  f:\ntenants:\n  - key: t\n    name: T\n    data: { a: "{{a}}", b: "{{b}}", c: "{{c}}", d: "{{d}}", e: "{{e}}", f: "{{f}}" }\n';
    const dir = tmpFiles({
      'k.yaml': vars,
      '.env.production': [
        '# production settings',
        'export a=plain value # a comment',
        'b="quoted" # a comment after quotes',
        'c="first line',
        'second line"',
        "d='single # not a comment'",
        'e="escaped\\nnewline"',
        'this line is not an assignment',
        'f=',
        'OTHER_PROGRAM_SETTING=x',
        '',
      ].join('\n'),
    });
    const state = await loadConfig([join(dir, 'k.yaml')], { env: {}, varFiles: [join(dir, '.env.production')] });
    expect(tenant(state).data).toEqual({ a: 'plain value', b: 'quoted', c: 'first line\nsecond line', d: 'single # not a comment', e: 'escaped\nnewline', f: '' });
    // Other programs' settings in a dotenv file are expected: no diagnostic.
    expect(state.diagnostics).toEqual([]);
  });

  it('an undeclared name close to a declared one draws a warning (a likely typo); others in a dotenv file do not', async () => {
    const dir = tmpFiles({ 'k.yaml': FILE, 'ci.env': 'isuer=typo\nDATABASE_URL=postgres://x\n' });
    const state = await loadConfig([join(dir, 'k.yaml')], { env: {}, varFiles: [join(dir, 'ci.env')] });
    expect(tenant(state).issuer).toBe('from-default');
    expect(state.diagnostics.map((d) => d.message)).toEqual(['variable "isuer" is not declared in any file\'s variables block; ignored (did you mean "issuer"?)']);
  });

  it('a file of NAME=value lines under another name is refused with a hint to name it as dotenv', async () => {
    const dir = tmpFiles({ 'k.yaml': FILE, 'vars.txt': 'issuer=x\n' });
    const { errors } = await loadErrors([join(dir, 'k.yaml')], { varFiles: [join(dir, 'vars.txt')] });
    expect(errors.map((e) => e.message)).toEqual(['the document must be a mapping of variable names to values (for NAME=value lines, name the file .env, .env.<name> or <name>.env), not a single value']);
    const list = tmpFiles({ 'k.yaml': FILE, 'v.json': '["issuer"]' });
    expect((await loadErrors([join(list, 'k.yaml')], { varFiles: [join(list, 'v.json')] })).errors[0]!.message).toMatch(/^the document must be a mapping of variable names to values .*, not a list$/);
  });
});

describe('YAML and JSON var files', () => {
  it('an undeclared name draws a warning at its line with the closest declared name; it is not used', async () => {
    const dir = tmpFiles({ 'k.yaml': FILE, 'v.yaml': 'issuer: ok\nlogut: https://typo.test\nzzz: 1\n' });
    const state = await loadConfig([join(dir, 'k.yaml')], { env: {}, varFiles: [join(dir, 'v.yaml')] });
    expect(state.diagnostics.map((d) => [d.where?.line, d.where?.path, d.message])).toEqual([
      [2, 'logut', 'variable "logut" is not declared in any file\'s variables block; ignored (did you mean "logout"?)'],
      [3, 'zzz', 'variable "zzz" is not declared in any file\'s variables block; ignored; declared: issuer, logout'],
    ]);
    expect(tenant(state).logoutURL).toBe('https://a.test/bye');
  });
});

describe('what used to pass green in CI', () => {
  it('a misspelt --var fails the plan (exit 1) instead of "No changes"', async () => {
    const dir = tmpFiles({ 'k.yaml': FILE });
    const r = await runCli(['plan', join(dir, 'k.yaml'), '--emulator', '--emulator-dir', join(dir, '.state'), '--var', 'isuer=x', '--no-color']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('error: --var isuer: no variable "isuer" is declared; did you mean "issuer"? (declared: issuer, logout)');
    expect(r.stdout).not.toContain('No changes');
  });

  it('an empty file and a folder without configuration files fail validate and plan (exit 1)', async () => {
    const dir = tmpFiles({ 'empty.yaml': '# TODO\n', 'emptydir/README.md': 'x' });
    for (const target of [join(dir, 'empty.yaml'), join(dir, 'emptydir')]) {
      const v = await runCli(['validate', target]);
      expect(v.code, target).toBe(1);
      const p = await runCli(['plan', target, '--emulator', '--emulator-dir', join(dir, '.state'), '--format', 'json']);
      expect(p.code, target).toBe(1);
      expect((JSON.parse(p.stdout) as { diagnostics: Array<{ message: string }> }).diagnostics[0]!.message).toMatch(/the file is empty|holds no \.yaml, \.yml or \.json files/);
    }
  });
});

/**
 * Hostile input through `kickstand plan` (the real CLI, in-process) against an emulator: every case fails with exit 1
 * and a message naming the file and, where there is one, the line — and sends zero requests to the server (the
 * emulator's request log stays empty). Table-driven: cases generated here (big and deep files are made at test time in
 * a temporary folder, never committed) plus every fixture under test/fixtures/invalid/ with its expected line.
 *
 * Circular references: the kinds' reference fields form a chain (messengers and templates ← tenants ← applications),
 * so no kind can reference its own kind and a cycle cannot be written; a resource naming itself in a reference field
 * is an unknown reference of the other kind, which the self-reference cases below show.
 */
import { execFileSync } from 'node:child_process';
import { closeSync, mkdirSync, openSync, readFileSync, readdirSync, symlinkSync, ftruncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { mulberry32 } from '../../src/emulator/faults.js';
import { ROOT, runInProcess, tmpDir } from './helpers.js';

/** One hostile case: files to create (text, bytes, or a function that makes the entry itself), what to pass, what must be said. */
interface Case {
  name: string;
  /** Files relative to a fresh temporary folder; a function makes special files (FIFOs, symlinks, sparse files). */
  files?: Record<string, string | Buffer | ((path: string) => void)>;
  /** What to pass to `plan`, relative to the folder (default `k.yaml`); `.` for the folder itself. */
  entry?: string;
  /** Extra arguments; `DIR` is replaced by the folder. */
  args?: string[];
  /** The file the message must name, relative to the folder (default: the entry). */
  file?: string;
  /** The line the message must name, when the problem has one. */
  line?: number;
  message: RegExp;
}

const MB = 1024 * 1024;
const entry = (body: string) => `tenants:\n  - key: a\n    name: A\n${body}`;
const sparse = (bytes: number) => (p: string) => {
  const fd = openSync(p, 'w');
  ftruncateSync(fd, bytes);
  closeSync(fd);
};
const fifo = (p: string) => execFileSync('mkfifo', [p]);
const randomBytes = (n: number, seed: number) => {
  const next = mulberry32(seed);
  return Buffer.from(Array.from({ length: n }, () => Math.floor(next() * 256)));
};
const laughs = (levels: number) => {
  let s = 'a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]\n';
  for (let i = 1; i < levels; i++) s += `a${i}: &a${i} [${Array.from({ length: 10 }, () => `*a${i - 1}`).join(', ')}]\n`;
  return s;
};
const template = (expr: string) => `messageTemplates:\n  - key: t\n    name: T\n    type: SMS\n    defaultTemplate: '${expr}'\n`;

const CASES: Case[] = [
  // Size, depth, amplification.
  { name: 'a 100 MB file', files: { 'k.yaml': sparse(100 * MB) }, message: /is 104857600 bytes, over the limit of 10485760 bytes/ },
  { name: 'a 100 MB variable file', files: { 'k.yaml': entry(''), 'v.yaml': sparse(100 * MB) }, args: ['--var-file', 'DIR/v.yaml'], file: 'v.yaml', message: /variable file .* over the limit of 10485760 bytes/ },
  { name: '10,000-deep flow mappings', files: { 'k.yaml': entry(`    data: ${'{a: '.repeat(10_000)}1${'}'.repeat(10_000)}\n`) }, line: 4, message: /nesting is deeper than the limit of 64 levels/ },
  { name: '10,000-deep flow sequences', files: { 'k.yaml': entry(`    data: {a: ${'['.repeat(10_000)}${']'.repeat(10_000)}}\n`) }, line: 4, message: /deeper than the limit of 64 levels/ },
  { name: '10,000 nested dashes on one line', files: { 'k.yaml': `tenants:\n  ${'- '.repeat(10_000)}x\n` }, line: 2, message: /deeper than the limit of 64 levels/ },
  { name: '10,000-deep JSON', files: { 'k.json': `{"tenants": [{"key": "a", "name": "A", "data": ${'{"a": '.repeat(10_000)}1${'}'.repeat(10_000)}}]}` }, entry: 'k.json', line: 1, message: /deeper than the limit of 64 levels/ },
  { name: '1,000-deep block mappings', files: { 'k.yaml': entry(`    data:\n${Array.from({ length: 1000 }, (_, i) => `${' '.repeat(6 + i)}k${i}:`).join('\n')}\n`) }, line: 66, message: /deeper than the limit of 64 levels/ },
  { name: 'billion laughs (alias bomb)', files: { 'k.yaml': laughs(9) + entry('') }, line: 2, message: /too many alias expansions .* alias bomb/ },
  { name: 'an alias bomb in a variable file', files: { 'k.yaml': entry(''), 'v.yaml': laughs(9) }, args: ['--var-file', 'DIR/v.yaml'], file: 'v.yaml', line: 2, message: /alias bomb/ },
  { name: 'merge keys multiplying an anchor', files: { 'k.yaml': `${laughs(4)}tenants:\n  - key: a\n    name: A\n    data:\n      <<: [${Array.from({ length: 50 }, () => '*a3').join(', ')}]\n` }, line: 9, message: /YAML merge keys \("<<"\) are not supported/ },
  {
    name: 'a 9 MB {{file}} used in 5 fields (expansion bomb)',
    files: { 'big.txt': 'x'.repeat(9 * MB), 'k.yaml': `messageTemplates:\n${Array.from({ length: 6 }, (_, i) => `  - key: t${i}\n    name: T${i}\n    type: SMS\n    defaultTemplate: '{{file "big.txt"}}'\n`).join('')}` },
    line: 21, message: /substitutions add up to more than 41943040 characters .* expansion bomb/,
  },
  {
    name: 'a 9 MB variable from a variable file used in 5 fields',
    files: { 'v.env': `big=${'y'.repeat(9 * MB)}\n`, 'k.yaml': `messageTemplates:\n${Array.from({ length: 6 }, (_, i) => `  - key: t${i}\n    name: T${i}\n    type: SMS\n    defaultTemplate: '{{big}}'\n`).join('')}variables:\n  big:\n` },
    args: ['--var-file', 'DIR/v.env'], line: 21, message: /expansion bomb/,
  },
  // Prototype keys.
  { name: '__proto__ in JSON data', files: { 'k.json': '{"tenants": [{"key": "a", "name": "A",\n "data": {"__proto__": {"polluted": true}}}]}' }, entry: 'k.json', line: 2, message: /key "__proto__" is not allowed/ },
  { name: '__proto__ as a section', files: { 'k.yaml': '__proto__:\n  polluted: true\n' }, line: 1, message: /key "__proto__" is not allowed/ },
  { name: 'constructor in application data', files: { 'k.yaml': 'applications:\n  - key: a\n    name: A\n    data:\n      constructor: x\n' }, line: 5, message: /key "constructor" is not allowed/ },
  { name: 'prototype in messenger headers', files: { 'k.yaml': 'messengers:\n  - key: m\n    name: M\n    type: Generic\n    url: https://x.example\n    connectTimeout: 1\n    readTimeout: 1\n    headers:\n      prototype: x\n' }, line: 9, message: /key "prototype" is not allowed/ },
  { name: 'an entry keyed __proto__', files: { 'k.yaml': 'tenants:\n  - key: __proto__\n    name: A\n' }, line: 2, message: /must be a key|not a valid key/ },
  { name: 'a variable named __proto__', files: { 'k.yaml': `variables:\n  __proto__: x\n${entry('')}` }, line: 2, message: /key "__proto__" is not allowed/ },
  // Duplicates.
  { name: 'duplicate section key', files: { 'k.yaml': `${entry('')}tenants: []\n` }, line: 4, message: /duplicate key/ },
  { name: 'duplicate key in a JSON object', files: { 'k.json': '{"tenants": [{"key": "a", "name": "A",\n "name": "B"}]}' }, entry: 'k.json', line: 2, message: /duplicate key/ },
  { name: 'the same entry key in two files', files: { 'a.yaml': entry(''), 'b.yaml': entry('') }, entry: '.', file: 'b.yaml', line: 2, message: /tenant key "a" is declared twice/ },
  { name: 'the same pinned id twice', files: { 'k.yaml': 'tenants:\n  - key: a\n    id: 8c3e5f0a-2d4b-4f6e-9a1c-7b5d3e9f1a24\n    name: A\n  - key: b\n    id: 8C3E5F0A-2D4B-4F6E-9A1C-7B5D3E9F1A24\n    name: B\n' }, line: 6, message: /is pinned twice/ },
  // Wrong types.
  { name: 'a section that is a mapping', files: { 'k.yaml': 'tenants:\n  a: 1\n' }, line: 1, message: /must be a list/ },
  { name: 'a section that is a string', files: { 'k.yaml': 'tenants: everything\n' }, line: 1, message: /must be a list/ },
  { name: 'a null entry', files: { 'k.yaml': 'tenants:\n  - null\n' }, line: 2, message: /must be a mapping/ },
  { name: 'a list as a name', files: { 'k.yaml': 'tenants:\n  - key: a\n    name: [1, 2]\n' }, line: 3, message: /must be a string/ },
  { name: 'a string as messageTypes', files: { 'k.yaml': 'messengers:\n  - key: m\n    name: M\n    type: Twilio\n    url: https://api.twilio.com\n    accountSID: AC\n    authToken: t\n    fromPhoneNumber: "+1555"\n    messageTypes: SMS\n' }, line: 9, message: /must be a list/ },
  { name: 'a word as a timeout', files: { 'k.yaml': 'messengers:\n  - key: m\n    name: M\n    type: Generic\n    url: https://x.example\n    connectTimeout: fast\n    readTimeout: 1\n' }, line: 6, message: /must be an integer|must be a number/ },
  { name: '"yes" as a boolean', files: { 'k.yaml': entry('    phoneConfiguration:\n      verifyPhoneNumber: "yes"\n') }, line: 5, message: /must be true or false/ },
  // Invalid UUIDs.
  { name: 'a number as a pinned id', files: { 'k.yaml': 'tenants:\n  - key: a\n    id: 12345\n    name: A\n' }, line: 3, message: /must be a UUID|must be a string/ },
  { name: 'a UUID one digit short', files: { 'k.yaml': 'tenants:\n  - key: a\n    id: 8c3e5f0a-2d4b-4f6e-9a1c-7b5d3e9f1a2\n    name: A\n' }, line: 3, message: /must be a UUID/ },
  { name: 'a UUID in braces', files: { 'k.yaml': 'tenants:\n  - key: a\n    id: "{8c3e5f0a-2d4b-4f6e-9a1c-7b5d3e9f1a24}"\n    name: A\n' }, line: 3, message: /must be a UUID/ },
  { name: 'a bad idNamespace', files: { 'k.yaml': `settings:\n  idNamespace: not-a-uuid\n${entry('')}` }, line: 2, message: /must be a UUID/ },
  { name: 'a reference that is neither UUID nor key', files: { 'k.yaml': 'applications:\n  - key: a\n    name: A\n    tenantId: "Not A Key!"\n' }, line: 4, message: /must be a UUID, or must be a key|unknown tenant/ },
  // Unknown sections and references; self references.
  { name: 'an unknown section', files: { 'k.yaml': 'widgets:\n  - key: a\n' }, line: 1, message: /unknown section "widgets"/ },
  { name: 'a section in the wrong case', files: { 'k.yaml': 'Tenants:\n  - key: a\n    name: A\n' }, line: 1, message: /unknown section "Tenants"; did you mean "tenants"/ },
  { name: 'an unknown messenger', files: { 'k.yaml': entry('    phoneConfiguration:\n      messengerId: nope\n') }, line: 5, message: /unknown messenger "nope"/ },
  { name: 'an unknown template', files: { 'k.yaml': entry('    phoneConfiguration:\n      verificationTemplateId: nope\n') }, line: 5, message: /unknown message template "nope"/ },
  { name: 'an unknown tenant', files: { 'k.yaml': 'applications:\n  - key: a\n    name: A\n    tenantId: nope\n' }, line: 4, message: /unknown tenant "nope"/ },
  { name: 'a tenant naming itself as its messenger', files: { 'k.yaml': 'tenants:\n  - key: self\n    name: S\n    phoneConfiguration:\n      messengerId: self\n' }, line: 5, message: /unknown messenger "self"/ },
  { name: 'an application naming itself as its tenant', files: { 'k.yaml': 'applications:\n  - key: self\n    name: S\n    tenantId: self\n' }, line: 4, message: /unknown tenant "self"/ },
  // Template injection.
  { name: '{{constructor.constructor …}}', files: { 'k.yaml': template('{{constructor.constructor "return process"}}') }, line: 5, message: /"constructor.constructor" is not a variable name/ },
  { name: '{{this.constructor}}', files: { 'k.yaml': template('{{this.constructor}}') }, line: 5, message: /is not a variable name/ },
  { name: '{{__proto__}}', files: { 'k.yaml': template('{{__proto__}}') }, line: 5, message: /"__proto__" is not a variable name/ },
  { name: '{{@root}}', files: { 'k.yaml': template('{{@root}}') }, line: 5, message: /is not a variable name/ },
  { name: '{{../x}}', files: { 'k.yaml': template('{{../x}}') }, line: 5, message: /is not a variable name/ },
  { name: '{{lookup this "constructor"}}', files: { 'k.yaml': template('{{lookup this "constructor"}}') }, line: 5, message: /unknown helper "lookup"/ },
  { name: 'a helper that does not exist', files: { 'k.yaml': template('{{exec "id"}}') }, line: 5, message: /unknown helper "exec"/ },
  { name: '{{#with this}}', files: { 'k.yaml': template('{{#with this}}x{{/with}}') }, line: 5, message: /block helpers/ },
  { name: '{{#each}}', files: { 'k.yaml': template('{{#each this}}{{@key}}{{/each}}') }, line: 5, message: /block helpers/ },
  { name: 'a partial {{> x}}', files: { 'k.yaml': template('{{> x}}') }, line: 5, message: /partials/ },
  { name: 'a partial block', files: { 'k.yaml': template('{{#> layout}}x{{/layout}}') }, line: 5, message: /partials|block helpers/ },
  { name: 'a sub-expression', files: { 'k.yaml': template('{{env (env "HOME")}}') }, line: 5, message: /sub-expressions|quoted string/ },
  { name: 'hash arguments', files: { 'k.yaml': template('{{env "HOME" x=1}}') }, line: 5, message: /env|name=value/ },
  { name: 'an unclosed expression', files: { 'k.yaml': template('{{env "HOME"') }, line: 5, message: /template syntax error/ },
  { name: '{{file "/dev/zero"}}', files: { 'k.yaml': template('{{file "/dev/zero"}}') }, line: 5, message: /is a device, not a regular file/ },
  { name: '{{file}} of a FIFO (would block forever)', files: { pipe: fifo, 'k.yaml': template('{{file "pipe"}}') }, line: 5, message: /is a FIFO \(named pipe\), not a regular file/ },
  { name: '{{file}} of binary data', files: { 'b.bin': randomBytes(4096, 9), 'k.yaml': template('{{file "b.bin"}}') }, line: 5, message: /is not UTF-8 text/ },
  // Absurdly long strings: rejected, and not echoed whole.
  { name: 'a 100,000-character key', files: { 'k.yaml': `tenants:\n  - key: ${'k'.repeat(100_000)}\n    name: A\n` }, line: 2, message: /must be a key|not a valid key/ },
  { name: 'a 1,000,000-character enum value', files: { 'k.yaml': `messageTemplates:\n  - key: t\n    name: T\n    type: ${'S'.repeat(MB)}\n    defaultTemplate: x\n` }, line: 4, message: /must be one of: SMS, Voice \(got "S{60}…" \(1048576 characters\)\)/ },
  { name: 'a 1,000,000-character variable name', files: { 'k.yaml': template(`{{${'v'.repeat(MB)}}}`) }, line: 5, message: /unknown variable "v{60}…" \(1048576 characters\)/ },
  { name: 'a 5,000-character section name in YAML', files: { 'k.yaml': `"${'s'.repeat(5000)}": 1\n` }, line: 1, message: /YAML syntax error: The : indicator must be at most 1024 chars/ },
  { name: 'a 5,000-character section name in JSON', files: { 'k.json': `{"${'s'.repeat(5000)}": 1}` }, entry: 'k.json', line: 1, message: /unknown section "s{60}…" \(5000 characters\)|at most 1024 chars/ },
  // Binary garbage and encodings.
  { name: 'random bytes', files: { 'k.yaml': randomBytes(65_536, 1) }, message: /is not UTF-8 text/ },
  { name: 'a NUL byte in text', files: { 'k.yaml': `tenants:\n  - key: a\n    name: "A\u0000"\n` }, line: 3, message: /binary data \(a NUL byte\)/ },
  { name: 'UTF-16 text', files: { 'k.yaml': Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(entry(''), 'utf16le')]) }, message: /is not UTF-8 text/ },
  { name: 'an ELF binary', files: { 'k.yaml': Buffer.concat([Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0]), randomBytes(1024, 2)]) }, message: /is not UTF-8 text|binary data/ },
  // Not a kickstand document.
  { name: 'a JSON array', files: { 'k.json': '[{"tenants": [{"key": "a", "name": "A"}]}]' }, entry: 'k.json', line: 1, message: /must be a mapping of sections .* not a list/ },
  { name: 'a JSON string', files: { 'k.json': '"tenants"' }, entry: 'k.json', line: 1, message: /not a single value/ },
  { name: 'a YAML list', files: { 'k.yaml': '- tenants\n- applications\n' }, line: 1, message: /not a list/ },
  { name: 'two YAML documents', files: { 'k.yaml': `${entry('')}---\n${entry('')}` }, line: 4, message: /holds 2 YAML documents/ },
  { name: 'a complex mapping key', files: { 'k.yaml': '? [a, b]\n: c\n' }, line: 1, message: /mapping key must be a plain string/ },
  { name: '!!binary', files: { 'k.yaml': entry('    data: !!binary aGVsbG8=\n') }, line: 4, message: /unsupported value type \(binary\)/ },
  { name: '!!set', files: { 'k.yaml': entry('    data:\n      s: !!set {a, b}\n') }, line: 5, message: /unsupported value type \(set\)/ },
  { name: '!!timestamp', files: { 'k.yaml': entry('    data:\n      t: !!timestamp 2001-12-14\n') }, line: 5, message: /unsupported value type \(timestamp\)/ },
  { name: '.inf', files: { 'k.yaml': entry('    data:\n      n: .inf\n') }, line: 5, message: /numbers must be finite/ },
  { name: '1e999 in JSON', files: { 'k.json': '{"tenants": [{"key": "a", "name": "A",\n "data": {"n": 1e999}}]}' }, entry: 'k.json', line: 2, message: /numbers must be finite/ },
  { name: 'tabs as indentation', files: { 'k.yaml': entry('    data:\n      a: 1\n\tb: 2\n') }, line: 6, message: /Tabs are not allowed/ },
  { name: 'an unclosed flow sequence', files: { 'k.yaml': 'tenants: [\n' }, line: 2, message: /syntax error/ },
  { name: 'a trailing comma in JSON', files: { 'k.json': '{"tenants": [],}' }, entry: 'k.json', line: 1, message: /invalid JSON/ },
  { name: 'a comment in JSON', files: { 'k.json': '{"tenants": [] // none\n}' }, entry: 'k.json', line: 1, message: /invalid JSON/ },
  // Not regular files.
  { name: 'a FIFO as the kickstand file (would block forever)', files: { 'k.yaml': fifo }, message: /is a FIFO \(named pipe\), not a regular file/ },
  { name: 'a symlink to /dev/zero', files: { 'k.yaml': (p) => symlinkSync('/dev/zero', p) }, message: /is a device, not a regular file/ },
  { name: 'a symlink named .yaml to a folder', files: { 'k.yaml': (p) => symlinkSync('.', p) }, entry: '.', file: 'k.yaml', message: /is a folder, not a file/ },
  { name: 'a symlink in a folder to a file outside it', files: { 'k.yaml': (p) => symlinkSync('/etc/passwd', p) }, entry: '.', file: 'k.yaml', message: /is outside .*\(it resolves to \/etc\/passwd\): refused; --allow-files-outside/ },
  { name: '{{file}} of an absolute path', files: { 'k.yaml': template('{{file "/etc/passwd"}}') }, line: 5, message: /file "\/etc\/passwd" is outside .*--allow-files-outside/ },
  { name: '{{file}} of a path above the folder', files: { 'k.yaml': template('{{file "../../../../etc/passwd"}}') }, line: 5, message: /file "\.\.\/\.\.\/\.\.\/\.\.\/etc\/passwd" is outside .*--allow-files-outside/ },
  { name: '{{file}} of /proc/self/environ (the environment, NUL-separated)', files: { 'k.yaml': template('{{file "/proc/self/environ"}}') }, line: 5, message: /file "\/proc\/self\/environ" is a kernel file/ },
  { name: '{{file}} of a symlink to a file outside', files: { 'link.txt': (p) => symlinkSync('/etc/passwd', p), 'k.yaml': template('{{file "link.txt"}}') }, line: 5, message: /file "link\.txt" is outside .*\(it resolves to \/etc\/passwd\)/ },
  { name: 'a symlink to /proc/self/pagemap (its size says 0; reading never ends)', files: { 'k.yaml': (p) => symlinkSync('/proc/self/pagemap', p) }, message: /is a kernel file/ },
  { name: 'a symlink to /proc/self/pagemap as a variable file', files: { 'k.yaml': entry(''), 'v.yaml': (p) => symlinkSync('/proc/self/pagemap', p) }, args: ['--var-file', 'DIR/v.yaml'], file: 'v.yaml', message: /variable file .* is a kernel file/ },
  { name: 'a path that does not exist', entry: 'missing.yaml', message: /no such file or folder/ },
  { name: 'binary garbage in a variable file', files: { 'k.yaml': entry(''), 'v.env': randomBytes(2048, 3) }, args: ['--var-file', 'DIR/v.env'], file: 'v.env', message: /is not UTF-8 text/ },
];

/** The committed invalid fixtures (owned by the config tests), run through the CLI too. */
const FIXTURES = 'test/fixtures/invalid';
const expected = JSON.parse(readFileSync(join(ROOT, FIXTURES, 'expected.json'), 'utf8')) as Record<string, { line: number; message: string }>;
const fixtureCases = readdirSync(join(ROOT, FIXTURES)).filter((f) => f !== 'expected.json').sort();

let emu: Emulator;
beforeAll(async () => {
  emu = await startEmulator({ licensed: true });
});
afterAll(async () => {
  await emu.stop();
});

/** Run `plan` and check the common contract: exit 1, no internal error, nothing on stdout, zero requests. */
async function planFails(args: string[]): Promise<string> {
  emu.clearLog();
  const r = await runInProcess(['plan', ...args, '--url', emu.url], { FUSIONAUTH_API_KEY: emu.apiKey });
  expect(r.code, r.stderr).toBe(1);
  expect(r.stderr).not.toContain('internal error');
  expect(r.stdout).toBe('');
  expect(emu.requests).toEqual([]);
  return r.stderr;
}

/** The stderr line that names `file` (and `line`) and matches `message`. */
function expectNamed(stderr: string, file: string, line: number | undefined, message: RegExp | string): void {
  const lines = stderr.split('\n');
  const prefix = line === undefined ? file : `${file}:${line}:`;
  const hit = lines.find((l) => l.includes(prefix) && (typeof message === 'string' ? l.includes(message) : message.test(l)));
  expect(hit, `no line names ${prefix} with ${String(message)}; stderr:\n${stderr.slice(0, 2000)}`).toBeDefined();
  // Clear: one line of reasonable length, however big the input.
  expect(hit!.length).toBeLessThan(1000);
}

describe('hostile input fails before any request', () => {
  it(`has at least 50 generated cases (${CASES.length}) and the ${fixtureCases.length} fixtures`, () => {
    expect(CASES.length).toBeGreaterThanOrEqual(50);
    expect(new Set(CASES.map((c) => c.name)).size).toBe(CASES.length);
  });

  it.each(CASES)('$name', async (c) => {
    const dir = tmpDir();
    for (const [name, content] of Object.entries(c.files ?? {})) {
      const p = join(dir, name);
      mkdirSync(join(p, '..'), { recursive: true });
      if (typeof content === 'function') content(p);
      else writeFileSync(p, content);
    }
    const target = c.entry === '.' ? dir : join(dir, c.entry ?? 'k.yaml');
    const stderr = await planFails([target, ...(c.args ?? []).map((a) => a.replace('DIR', dir))]);
    expectNamed(stderr, join(dir, c.file ?? c.entry ?? 'k.yaml').replace(/\/\.$/, ''), c.line, c.message);
  });

  it.each(fixtureCases)('fixture %s', async (f) => {
    const want = expected[f]!;
    const stderr = await planFails([join(FIXTURES, f)]);
    expectNamed(stderr, join(FIXTURES, f), want.line, want.message);
  });
});

describe('terminal control characters', () => {
  it('a name with escape sequences is printed with them made visible, in every format', async () => {
    const dir = tmpDir();
    writeFileSync(join(dir, 'k.yaml'), 'tenants:\n  - key: a\n    name: "\\e[2J\\e]0;pwned\\a\\r\\u009b31m evil"\n');
    for (const format of ['human', 'markdown', 'json']) {
      const r = await runInProcess(['plan', join(dir, 'k.yaml'), '--url', emu.url, '--format', format], { FUSIONAUTH_API_KEY: emu.apiKey });
      expect(r.code).toBe(0);
      const raw = [...r.stdout + r.stderr].filter((ch) => {
        const c = ch.charCodeAt(0);
        return (c < 0x20 && c !== 0x0a && c !== 0x09) || (c >= 0x7f && c <= 0x9f);
      });
      expect(raw, format).toEqual([]);
      expect(r.stdout, format).toContain('evil');
      if (format === 'json') expect(JSON.parse(r.stdout).changes[0].name).toBe('\u001b[2J\u001b]0;pwned\u0007\r\u009b31m evil');
    }
  });
});

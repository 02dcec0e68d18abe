/**
 * examples/phone-gating/README.md works when copied verbatim: the fenced `sh` blocks of its walkthrough section run in
 * order with bash against the emulator the walkthrough's first block starts. Two substitutions, and only these: the
 * port 9011 becomes a free port (tests run in parallel), and `npx kickstand` runs the sources through a shim on PATH
 * (`node --import tsx src/cli/main.ts`, so no build is needed). The output must show the story as a real FusionAuth
 * tells it: the apply creating five objects, the last the seeded test user (users.yaml, its password from
 * TEST_USER_PASSWORD); that user Pending, its code texted at create; the Login API's 212 with a token and the
 * verification id the create started (it never gates); the hosted login form; the gated redirect to the phone
 * verification page with no authorization code; the SMS; the code typed on that page sending the browser back with an
 * authorization code; Completed; the code exchanged at /oauth2/token; the Login API's 200 with an HS256 token; then a
 * user who signs up afterwards, Pending and texted too.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const README = join(ROOT, 'examples/phone-gating/README.md');

/** The fenced ```sh blocks after the walkthrough heading, in order. */
function walkthroughBlocks(markdown: string): string[] {
  const start = markdown.indexOf('## Walkthrough');
  if (start < 0) throw new Error('README has no "## Walkthrough" section');
  return [...markdown.slice(start).matchAll(/^```sh\n([\s\S]*?)^```$/gm)].map((m) => m[1] ?? '');
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

let emulator: ChildProcess | undefined;
afterAll(() => {
  // The emulator was started in its own process group (detached); end that group, by its id.
  if (emulator?.pid !== undefined && emulator.exitCode === null) process.kill(-emulator.pid, 'SIGTERM');
});

describe('examples/phone-gating/README.md', () => {
  it('runs verbatim against the emulator and tells the gated story', async () => {
    const blocks = walkthroughBlocks(readFileSync(README, 'utf8'));
    expect(blocks.length).toBeGreaterThanOrEqual(12);
    const [first, ...rest] = blocks;
    expect(first?.trim()).toMatch(/^npx kickstand emulator .*--licensed/);

    const port = String(await freePort());
    const withPort = (s: string): string => s.replaceAll('9011', port);
    const shim = mkdtempSync(join(tmpdir(), 'kickstand-npx-'));
    writeFileSync(join(shim, 'npx'), `#!/bin/sh\n[ "$1" = kickstand ] || { echo "npx shim: only kickstand" >&2; exit 127; }\nshift\nexec node --import tsx "${join(ROOT, 'src/cli/main.ts')}" "$@"\n`);
    chmodSync(join(shim, 'npx'), 0o755);
    const envVars: NodeJS.ProcessEnv = { ...process.env, PATH: `${shim}:${process.env.PATH ?? ''}`, NO_COLOR: '1' };
    for (const k of ['FUSIONAUTH_URL', 'FUSIONAUTH_API_KEY', 'TEST_USER_PASSWORD']) delete envVars[k];

    // Terminal 1.
    emulator = spawn('bash', ['-c', withPort(first ?? '')], { cwd: ROOT, env: envVars, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    let emuOut = '';
    let emuErr = '';
    emulator.stderr?.on('data', (d: Buffer) => (emuErr += d.toString()));
    await new Promise<void>((resolve, reject) => {
      emulator?.stdout?.on('data', (d: Buffer) => {
        emuOut += d.toString();
        if (emuOut.includes('listening on')) resolve();
      });
      emulator?.once('exit', (code) => reject(new Error(`emulator exited (${code}): ${emuErr}`)));
    });

    // Terminal 2: every other block, in one bash, stopping at the first failing command.
    const script = ['set -euo pipefail', ...rest.map((b, i) => `echo "@@ block ${i + 2}"\n${withPort(b)}`)].join('\n');
    const shell = spawn('bash', ['-c', script], { cwd: ROOT, env: envVars, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    shell.stdout.on('data', (d: Buffer) => (out += d.toString()));
    shell.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const code = await new Promise<number | null>((resolve) => shell.once('exit', resolve));
    expect(code, `stdout:\n${out}\nstderr:\n${err}`).toBe(0);

    // The story, in this order.
    const expected = [
      /\+ user test-user \(id [0-9a-f]{8}…\) created/,
      '5 applied, 0 failed',
      /application [0-9a-f-]{36} in tenant [0-9a-f-]{36}/,
      /\n@@ block 4\n[\s\S]*?value: '\+15555550123'[\s\S]*?verifiedReason: 'Pending'/,
      'HTTP 212',
      /token: yes, identityVerificationId: [A-Za-z0-9_-]{43}\n/,
      'HTTP 200 text/html',
      /\n@@ block 7\nhttp:\/\/localhost:\d+\/phone\/verification-required\/[A-Za-z0-9_-]{43}\nno authorization code yet\n/,
      /\+15555550123: Your verification code is [A-Z0-9]{6}\. It expires soon; do not share it\./,
      /\nhttp:\/\/localhost:3000\/oauth-redirect\?code=…&state=walkthrough&userState=Authenticated\nCompleted\n/,
      /token_type: 'Bearer',\s+expires_in: 3600,\s+id_token: 'string',\s+userId: '[0-9a-f-]{36}'/,
      'HTTP 200',
      "alg: 'HS256'",
      "authenticationType: 'PASSWORD'",
      /\n@@ block 12\n\+15555550124: Pending\n/,
    ];
    let at = 0;
    for (const e of expected) {
      const rest2 = out.slice(at);
      const m = typeof e === 'string' ? { index: rest2.indexOf(e), length: e.length } : (() => { const r = e.exec(rest2); return { index: r ? r.index : -1, length: r?.[0].length ?? 0 }; })();
      expect(m.index, `"${String(e)}" after position ${at} in:\n${out}`).toBeGreaterThanOrEqual(0);
      at += m.index + m.length;
    }
    // Terminal 1 showed the SMS of the seeded user (sent when kickstand created it, before any login), then the one of
    // the user who signed up; no password anywhere.
    const sms = [...emuErr.matchAll(/\[outbox\] SMS to (\+\d+) via messenger "Twilio SMS" \(Twilio\): Your verification code is [A-Z0-9]{6}\./g)].map((m) => m[1]);
    expect(sms).toEqual(['+15555550123', '+15555550124']);
    expect(emuErr.indexOf('[outbox] SMS to +15555550123')).toBeLessThan(emuErr.indexOf('/api/login'));
    for (const password of ['correct-horse-battery', 'another-horse-battery']) expect(emuErr + out).not.toContain(password);
  }, 60_000);
});

/** The loader's and the client's limits through their CLI flags: what each refuses by default and what the flag allows. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { runInProcess, tmpDir } from '../hardening/helpers.js';

let emu: Emulator;
beforeAll(async () => {
  emu = await startEmulator();
});
afterAll(async () => {
  await emu.stop();
});

describe('--max-response-mb', () => {
  it('refuses a reply larger than the limit with a message naming the request and the flag; a larger limit reads it', async () => {
    const dir = tmpDir();
    // Two templates of 600 KB: the retrieve-all reply is over 1 MiB.
    const big = 'x'.repeat(600 * 1024);
    for (const n of [1, 2]) {
      const r = await fetch(`${emu.url}/api/message/template`, {
        method: 'POST', headers: { authorization: emu.apiKey, 'content-type': 'application/json' },
        body: JSON.stringify({ messageTemplate: { name: `big ${n}`, type: 'SMS', defaultTemplate: big } }),
      });
      expect(r.status).toBe(200);
    }
    writeFileSync(join(dir, 'k.yaml'), 'messageTemplates:\n  - key: t\n    name: T\n    type: SMS\n    defaultTemplate: hi\n');
    const env = { FUSIONAUTH_API_KEY: emu.apiKey };
    const small = await runInProcess(['plan', join(dir, 'k.yaml'), '--url', emu.url, '--max-response-mb', '1'], env);
    expect(small.code).toBe(1);
    expect(small.stderr).toMatch(/GET \/api\/message\/template .*larger than the limit of 1 MiB.*--max-response-mb/);
    const enough = await runInProcess(['plan', join(dir, 'k.yaml'), '--url', emu.url, '--max-response-mb', '2'], env);
    expect(enough.code, enough.stderr).toBe(0);
    const bad = await runInProcess(['plan', join(dir, 'k.yaml'), '--url', emu.url, '--max-response-mb', '513'], env);
    expect(bad.stderr).toMatch(/--max-response-mb must be a whole number from 1 to 512/);
  });
});

describe('--allow-files-outside', () => {
  it('{{file}} outside the folder of the files is refused by default and read with the flag', async () => {
    const dir = tmpDir();
    mkdirSync(join(dir, 'config'));
    writeFileSync(join(dir, 'shared.ftl'), 'Code ${code}');
    writeFileSync(join(dir, 'config', 'k.yaml'), 'messageTemplates:\n  - key: t\n    name: T\n    type: SMS\n    defaultTemplate: \'{{file "../shared.ftl"}}\'\n');
    const refused = await runInProcess(['validate', join(dir, 'config')]);
    expect(refused.code).toBe(1);
    expect(refused.stdout).toMatch(/k\.yaml:5:\d+ .*is outside .*--allow-files-outside/);
    const allowed = await runInProcess(['validate', join(dir, 'config'), '--allow-files-outside']);
    expect(allowed.code, allowed.stdout).toBe(0);
  });
});

describe('--allow-unknown-fields', () => {
  it('an unknown field (here with a Cyrillic look-alike letter) is an error by default and a warning with the flag', async () => {
    const dir = tmpDir();
    writeFileSync(join(dir, 'k.yaml'), 'tenants:\n  - key: t\n    name: T\n    phoneConfiguration:\n      verifyPhoneNumbеr: true\n');
    const strict = await runInProcess(['validate', join(dir, 'k.yaml')]);
    expect(strict.code).toBe(1);
    expect(strict.stdout).toMatch(/k\.yaml:5:7 .*error: unknown field .*U\+0435 \(a Cyrillic letter\).*did you mean "verifyPhoneNumber"/);
    const lenient = await runInProcess(['validate', join(dir, 'k.yaml'), '--allow-unknown-fields']);
    expect(lenient.code).toBe(0);
    expect(lenient.stdout).toMatch(/warning: unknown field .*sent as written.*cannot be compared/);
  });
});

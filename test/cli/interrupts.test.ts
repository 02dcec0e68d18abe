/**
 * Interrupts and documents, with real processes: SIGINT, SIGTERM and SIGHUP during an apply stop new writes, let the
 * one in flight finish, report every change and print the JSON document before exiting 130/143/129; a second signal
 * exits at once; a write still in flight after the grace period is reported with its outcome unknown. And with
 * `--format json|markdown` every failure (invalid files, no server, an interrupt before any write) still prints its
 * document on stdout, while progress lines never go there.
 */
import { createServer, request, type IncomingMessage, type ServerResponse } from 'node:http';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { generateConfig, runInProcess, spawnCli, tmpDir } from '../hardening/helpers.js';

/**
 * A proxy in front of the emulator that forwards reads at once and holds every write until `release()`; `onWrite`
 * is told when a write arrives (the moment to send a signal).
 */
async function holdingProxy(target: Emulator, onWrite: (n: number) => void) {
  const held: Array<() => void> = [];
  let writes = 0;
  const forward = (req: IncomingMessage, res: ServerResponse, body: Buffer) => {
    const up = request(`${target.url}${req.url ?? '/'}`, { method: req.method, headers: req.headers }, (upRes) => {
      res.writeHead(upRes.statusCode ?? 502, upRes.headers);
      upRes.pipe(res);
    });
    up.on('error', () => res.destroy());
    up.end(body);
  };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      if (req.method === 'GET') return forward(req, res, body);
      held.push(() => forward(req, res, body));
      onWrite(++writes);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as { port: number }).port}`,
    release: () => held.splice(0).forEach((go) => go()),
    close: () => new Promise<void>((r) => {
      server.close(() => r());
      server.closeAllConnections();
    }),
  };
}

interface ApplyDocument {
  plan: { summary: Record<string, number> };
  apply: { interrupted?: { signal: string }; summary: { applied: number; failed: number; skipped: number }; outcomes: Array<{ key: string; status: string; error?: Array<{ message: string }> }> } | null;
}

let emu: Emulator;
let dir: string;
beforeEach(async () => {
  emu = await startEmulator({ licensed: true });
  dir = tmpDir();
  // Six templates and two tenants: several writes in two dependency levels.
  writeFileSync(join(dir, 'kickstand.json'), JSON.stringify(generateConfig({ messengers: 0, templates: 6, tenants: 2, applications: 0 })));
});
afterEach(async () => {
  await emu.stop();
});

describe('a signal during apply', () => {
  for (const [signal, code] of [['SIGINT', 130], ['SIGTERM', 143], ['SIGHUP', 129]] as const) {
    it(`${signal}: no new write starts, the one in flight finishes, every change is reported, exit ${code}`, async () => {
      let cli: ReturnType<typeof spawnCli> | undefined;
      const proxy = await holdingProxy(emu, (n) => {
        if (n !== 1) return;
        cli!.child.kill(signal);
        // Let the write in flight through once the signal has been handled.
        setTimeout(() => proxy.release(), 300);
      });
      try {
        cli = spawnCli(['apply', join(dir, 'kickstand.json'), '--url', proxy.url, '--auto-approve', '--format', 'json', '--parallelism', '1'], { env: { FUSIONAUTH_API_KEY: emu.apiKey } });
        const r = await cli.done;
        expect(r.code, r.stderr).toBe(code);
        const doc = JSON.parse(r.stdout) as ApplyDocument;
        expect(doc.apply!.interrupted).toEqual({ signal });
        expect(doc.apply!.summary).toEqual({ applied: 1, failed: 0, skipped: 7 });
        expect(doc.apply!.outcomes).toHaveLength(8);
        expect(r.stderr).toContain(`${signal}: stopping`);
        // Exactly the reported write reached the server.
        expect(emu.snapshot().messageTemplates.filter((t) => String(t.name).startsWith('Template '))).toHaveLength(1);
      } finally {
        await proxy.close();
      }
      // A re-run finishes the job.
      const again = await runInProcess(['apply', join(dir, 'kickstand.json'), '--url', emu.url, '--auto-approve'], { FUSIONAUTH_API_KEY: emu.apiKey });
      expect(again.code).toBe(0);
      expect(again.stdout).toContain('7 applied, 0 failed, 0 skipped');
    });
  }

  it('a second signal exits at once, without waiting for the write in flight', async () => {
    let cli: ReturnType<typeof spawnCli> | undefined;
    const proxy = await holdingProxy(emu, (n) => {
      if (n !== 1) return;
      cli!.child.kill('SIGINT');
      setTimeout(() => cli!.child.kill('SIGINT'), 300);
    });
    try {
      cli = spawnCli(['apply', join(dir, 'kickstand.json'), '--url', proxy.url, '--auto-approve', '--format', 'json', '--parallelism', '1'], { env: { FUSIONAUTH_API_KEY: emu.apiKey } });
      const r = await cli.done;
      expect(r.code).toBe(130);
      expect(r.stderr).toMatch(/SIGINT again: exiting at once/);
      // It never waited for the held write to be answered: nothing reached the emulator.
      expect(emu.requests.filter((q) => q.method === 'POST')).toHaveLength(0);
    } finally {
      await proxy.close();
    }
  });

  it('a write still in flight after the grace period is reported as failed, outcome unknown', async () => {
    let cli: ReturnType<typeof spawnCli> | undefined;
    const proxy = await holdingProxy(emu, (n) => {
      if (n === 1) cli!.child.kill('SIGTERM');
    });
    try {
      cli = spawnCli(['apply', join(dir, 'kickstand.json'), '--url', proxy.url, '--auto-approve', '--format', 'json', '--parallelism', '1'], { env: { FUSIONAUTH_API_KEY: emu.apiKey } });
      const r = await cli.done;
      expect(r.code).toBe(143);
      const doc = JSON.parse(r.stdout) as ApplyDocument;
      expect(doc.apply!.summary).toEqual({ applied: 0, failed: 1, skipped: 7 });
      expect(doc.apply!.outcomes.find((o) => o.status === 'failed')!.error![0]!.message).toMatch(/in flight.*may or may not have been applied/);
    } finally {
      await proxy.close();
    }
  });
});

describe('a document on every failure', () => {
  const env = (): Record<string, string> => ({ FUSIONAUTH_API_KEY: emu.apiKey });

  it('invalid files: plan and apply print their JSON and markdown documents holding the errors, exit 1', async () => {
    writeFileSync(join(dir, 'bad.yaml'), 'tenants:\n  - key: t\n    name: 42\n');
    const plan = await runInProcess(['plan', join(dir, 'bad.yaml'), '--url', emu.url, '--format', 'json'], env());
    expect(plan.code).toBe(1);
    const doc = JSON.parse(plan.stdout) as { changes: unknown[]; diagnostics: Array<{ severity: string; message: string; where: { file: string; line: number } }> };
    expect(doc.changes).toEqual([]);
    expect(doc.diagnostics[0]).toMatchObject({ severity: 'error', where: { file: expect.stringContaining('bad.yaml'), line: 3 } });
    expect(plan.stderr).toMatch(/bad\.yaml:3/);
    const md = await runInProcess(['plan', join(dir, 'bad.yaml'), '--url', emu.url, '--format', 'markdown'], env());
    expect(md.code).toBe(1);
    expect(md.stdout).toMatch(/^<!-- kickstand-plan -->\n### kickstand plan/);
    expect(md.stdout).toMatch(/Plan failed: 1 error/);
    const apply = await runInProcess(['apply', join(dir, 'bad.yaml'), '--url', emu.url, '--format', 'json', '--auto-approve'], env());
    expect(apply.code).toBe(1);
    const both = JSON.parse(apply.stdout) as { plan: { diagnostics: unknown[] }; apply: { summary: unknown; diagnostics: Array<{ message: string }> } };
    expect(both.plan.diagnostics).toHaveLength(1);
    expect(both.apply.summary).toEqual({ applied: 0, failed: 0, skipped: 0 });
    expect(both.apply.diagnostics[0]!.message).toMatch(/nothing was applied/);
  });

  it('no server listening: the documents say so, exit 1', async () => {
    for (const command of ['plan', 'apply']) {
      const r = await runInProcess([command, join(dir, 'kickstand.json'), '--url', 'http://127.0.0.1:9', '--format', 'json', '--retries', '1', '--auto-approve'].filter((a) => command === 'apply' || a !== '--auto-approve'), env());
      expect(r.code).toBe(1);
      const doc = JSON.parse(r.stdout) as { diagnostics?: Array<{ message: string }>; plan?: { diagnostics: Array<{ message: string }>; target: string } };
      const diags = doc.plan?.diagnostics ?? doc.diagnostics!;
      expect(diags[0]!.message).toBe('nothing is listening at http://127.0.0.1:9 — is FusionAuth running?');
    }
  });

  it('an interrupt while reading the server: the document says nothing was written, exit 143', async () => {
    // A server that accepts the connection and never answers.
    const silent = createServer(() => undefined);
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
    try {
      const url = `http://127.0.0.1:${(silent.address() as { port: number }).port}`;
      const cli = spawnCli(['plan', join(dir, 'kickstand.json'), '--url', url, '--format', 'json'], { env: { FUSIONAUTH_API_KEY: 'k' } });
      // The plan's GETs are waiting on the silent server once it has accepted a connection.
      await new Promise<void>((r) => silent.once('connection', () => r()));
      cli.child.kill('SIGTERM');
      const r = await cli.done;
      expect(r.code).toBe(143);
      const doc = JSON.parse(r.stdout) as { diagnostics: Array<{ message: string }> };
      expect(doc.diagnostics[0]!.message).toMatch(/interrupted by SIGTERM while reading FusionAuth; nothing was written/);
    } finally {
      silent.closeAllConnections();
      silent.close();
    }
  });

  it('progress lines go to stderr: stdout of apply --format markdown holds only the documents', async () => {
    const r = await runInProcess(['apply', join(dir, 'kickstand.json'), '--url', emu.url, '--format', 'markdown', '--auto-approve'], env());
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/created \(/);
    expect(r.stdout).not.toMatch(/created \(/);
    expect(r.stdout).toMatch(/### kickstand plan[\s\S]*### kickstand apply/);
  });
});

describe('integer options', () => {
  it('are whole numbers within their range: a timeout past what Node timers hold is refused, not turned into 1 ms', async () => {
    for (const [flag, value] of [['--read-timeout', '2147483648'], ['--connect-timeout', '1e3'], ['--retries', '101'], ['--parallelism', '0']] as const) {
      const r = await runInProcess(['apply', join(dir, 'kickstand.json'), '--url', emu.url, '--auto-approve', flag, value], { FUSIONAUTH_API_KEY: emu.apiKey });
      expect(r.code, `${flag} ${value}`).toBe(1);
      expect(r.stderr).toMatch(new RegExp(`${flag} must be a whole number from \\d+ to \\d+`));
    }
  });
});

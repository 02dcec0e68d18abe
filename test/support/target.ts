/**
 * The integration suite's target: kickstand's emulator by default, or a real FusionAuth when
 * `KICKSTAND_TEST_URL` and `KICKSTAND_TEST_API_KEY` are set (e.g. one started with examples/docker-compose.yml).
 * Tests count what the client SENDS (not a server log), so the same assertions hold against both.
 * Against a real server every test works under its own id namespace and name suffix, so runs never collide.
 */
import { randomUUID } from 'node:crypto';
import { cp, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmulator } from '../../src/emulator/index.js';
import { createClient } from '../../src/fusionauth/client.js';
import type { ApiClient, ApiRequest } from '../../src/fusionauth/types.js';
import { WIRE } from '../../src/fusionauth/wire.js';

/** A server to test against and a client that records what it sends. */
export interface Target {
  client: ApiClient;
  /** Every request sent through `client`, in order. */
  sent: ApiRequest[];
  /** The writes among `sent`. */
  writes(): ApiRequest[];
  /** Forget what was sent so far. */
  clear(): void;
  /** Whether the server is licensed (`GET /api/reactor`). */
  licensed: boolean;
  /** A suffix for names that is unique to this target session. */
  suffix: string;
  /** 'emulator' or the real server's URL. */
  kind: 'emulator' | 'real';
  stop(): Promise<void>;
}

const WRITES = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
/** A request that changes something: the user search is a POST that only reads. */
const isWrite = (r: ApiRequest): boolean => WRITES.has(r.method) && r.path !== WIRE.user.searchPath;

/** Open the target the environment names (default: a licensed in-process emulator). */
export async function openTarget(): Promise<Target> {
  const url = process.env.KICKSTAND_TEST_URL;
  const apiKey = process.env.KICKSTAND_TEST_API_KEY;
  let base: { url: string; apiKey: string; stop(): Promise<void>; kind: 'emulator' | 'real' };
  if (url && apiKey) {
    base = { url, apiKey, stop: async () => {}, kind: 'real' };
  } else {
    const emu = await startEmulator({ licensed: true });
    base = { url: emu.url, apiKey: emu.apiKey, stop: () => emu.stop(), kind: 'emulator' };
  }
  const inner = createClient({ url: base.url, apiKey: base.apiKey, allowHttp: true, retry: { attempts: 3, minDelayMs: 10 } });
  const sent: ApiRequest[] = [];
  const client: ApiClient = { baseUrl: inner.baseUrl, request: (req) => { sent.push(req); return inner.request(req); } };
  const reactor = await inner.request<{ status?: { licensed?: boolean } }>({ method: 'GET', path: '/api/reactor' });
  return {
    client,
    sent,
    writes: () => sent.filter(isWrite),
    clear: () => { sent.length = 0; },
    licensed: reactor.body?.status?.licensed === true,
    suffix: randomUUID().slice(0, 8),
    kind: base.kind,
    stop: base.stop,
  };
}

/**
 * A private copy of examples/phone-gating whose names carry the target's suffix and whose ids live in a fresh
 * namespace, so that it can be applied to a shared real server any number of times. On an unlicensed server the
 * tenant uses ClickableLink with Allow (Gated needs a license, reference §4.5).
 */
export async function exampleCopy(target: Target, exampleDir: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'kickstand-it-'));
  await cp(exampleDir, dir, { recursive: true });
  const file = join(dir, 'kickstand.yaml');
  let text = await readFile(file, 'utf8');
  text = text.replace(/^(\s+name: )(.+)$/gm, (_m, head: string, name: string) => `${head}${name} ${target.suffix}`);
  if (!target.licensed) text = text.replace('verificationStrategy: FormField', 'verificationStrategy: ClickableLink').replace('behavior: Gated', 'behavior: Allow');
  text = `settings:\n  idNamespace: ${randomUUID()}\n\n${text}`;
  await writeFile(file, text);
  return dir;
}

/**
 * The benchmarks' FusionAuth: kickstand's emulator in its own process (`kickstand emulator` from dist/), so that its
 * CPU time is not charged to kickstand and kickstand talks to it over a real loopback socket, as to a real server.
 * Steered through the emulator's `/_emulator/…` endpoints (latency, request log, reset).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';

/** One logged request as `/_emulator/requests` returns it. */
export interface LoggedRequest {
  method: string;
  path: string;
  query: string;
  status: number;
}

/** A running emulator process. */
export interface BenchEmulator {
  url: string;
  apiKey: string;
  /** Fixed delay the emulator adds to every FusionAuth request. */
  setLatency(ms: number): Promise<void>;
  /** The FusionAuth requests since the last `clearLog` (the admin endpoints are not logged). */
  requests(): Promise<LoggedRequest[]>;
  clearLog(): Promise<void>;
  /** Back to the boot state (empty of kickstand's objects); clears the log. */
  reset(): Promise<void>;
  stop(): Promise<void>;
}

/** Start `node <cli> emulator --port 0 --licensed` and wait for its URL. Only 127.0.0.1. */
export async function spawnEmulator(cli: string): Promise<BenchEmulator> {
  const apiKey = randomBytes(18).toString('hex');
  // stderr carries one line per request: ignored, so that a full pipe never stalls the emulator.
  const child: ChildProcess = spawn(process.execPath, [cli, 'emulator', '--port', '0', '--host', '127.0.0.1', '--api-key', apiKey, '--licensed'], {
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  const url = await new Promise<string>((resolve, reject) => {
    let text = '';
    const onData = (chunk: Buffer): void => {
      text += chunk.toString('utf8');
      const m = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(text);
      if (m) {
        child.stdout?.off('data', onData);
        child.stdout?.resume();
        resolve(m[1]!);
      }
    };
    child.stdout?.on('data', onData);
    child.once('exit', (code) => reject(new Error(`emulator exited with ${code} before listening: ${text}`)));
  });
  const admin = async (method: string, path: string, body?: unknown): Promise<unknown> => {
    const res = await fetch(`${url}${path}`, {
      method,
      headers: { authorization: apiKey, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    if (!res.ok) throw new Error(`${method} ${path} → ${res.status}`);
    const text = await res.text();
    return text ? JSON.parse(text) : undefined;
  };
  return {
    url,
    apiKey,
    setLatency: async (ms) => void (await admin('PUT', '/_emulator/latency', { ms })),
    requests: async () => ((await admin('GET', '/_emulator/requests')) as { requests: LoggedRequest[] }).requests,
    clearLog: async () => void (await admin('DELETE', '/_emulator/requests')),
    reset: async () => void (await admin('POST', '/_emulator/reset')),
    stop: () => new Promise<void>((resolve) => {
      if (child.exitCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    }),
  };
}

/** Requests that change something on the server. */
export function writesIn(log: LoggedRequest[]): LoggedRequest[] {
  return log.filter((r) => r.method !== 'GET');
}

/**
 * Run by response-limit.test.ts in a child process, so that its peak memory is measured alone: serves a gzip bomb
 * (`GIB` GiB of zeros in ~1 MB per GiB of gzip, as concatenated gzip members) from a local server, lets the real
 * client with its default reply limit read it, and prints one JSON line: the error's name and message, the RSS before
 * the request and the process's peak RSS (`maxRSS`), in MiB.
 */
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { createClient } from '../../../src/fusionauth/client.js';

const GIB = Number(process.argv[2] ?? '2');
// One member inflates to 64 MiB; gunzip reads concatenated members as one stream (RFC 1952 §2.2).
const member = gzipSync(Buffer.alloc(64 * 1024 * 1024), { level: 9 });
const members = GIB * 16;
let served = 0;
const server = createServer((_req, res) => {
  served++;
  res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip' });
  let i = 0;
  const write = (): void => {
    while (i < members) {
      i++;
      if (!res.write(member)) {
        res.once('drain', write);
        return;
      }
    }
    res.end();
  };
  res.on('error', () => undefined); // the client hangs up part-way: expected
  write();
});
server.listen(0, '127.0.0.1');
await once(server, 'listening');
const { port } = server.address() as AddressInfo;
const client = createClient({ url: `http://127.0.0.1:${port}`, apiKey: 'bomb-test-key', retry: { minDelayMs: 1 } });
const rssBeforeMiB = process.memoryUsage().rss / 2 ** 20;
let outcome: { name: string; message: string };
try {
  await client.request({ method: 'GET', path: '/api/tenant' });
  outcome = { name: 'none', message: 'the request succeeded' };
} catch (err) {
  outcome = { name: (err as Error).name, message: (err as Error).message };
}
const peakRssMiB = process.resourceUsage().maxRSS / 1024;
server.closeAllConnections();
server.close();
process.stdout.write(`${JSON.stringify({ ...outcome, served, compressedBytes: member.length * members, rssBeforeMiB, peakRssMiB })}\n`);

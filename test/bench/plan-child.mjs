// The CPU-and-memory benchmark's measured process: plain JavaScript over dist/ (no TypeScript loader in the way, so
// the peak RSS is kickstand's own), run as `node plan-child.mjs <distDir> <file> <url>` with FUSIONAUTH_API_KEY set.
// It loads the file, reads the live state, computes the plan and prints one JSON line of timings and memory.
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const started = performance.now();
const [distDir, file, url] = process.argv.slice(2);
const lib = (p) => import(pathToFileURL(join(distDir, p)).href);
const [{ loadConfig }, { createClient }, { fetchLiveState }, { computePlan }, { KINDS }] = await Promise.all([
  lib('config/load.js'), lib('fusionauth/client.js'), lib('state/fetch.js'), lib('core/plan.js'), lib('kinds/index.js'),
]);
const imported = performance.now();
const cpuAtImport = process.cpuUsage();
const desired = await loadConfig([file]);
const loaded = performance.now();
const client = createClient({ url, apiKey: process.env.FUSIONAUTH_API_KEY ?? '' });
const kinds = [...new Set(desired.resources.map((r) => r.kind))];
const live = await fetchLiveState(client, kinds);
const fetched = performance.now();
const plan = computePlan(desired, live, { kinds: KINDS, target: client.baseUrl, allowReplace: false });
const computed = performance.now();
const cpu = process.cpuUsage(cpuAtImport);
const vmHwmKb = Number(/VmHWM:\s+(\d+)/.exec(readFileSync('/proc/self/status', 'utf8'))?.[1] ?? NaN);
const liveObjects = Object.values(live.objects).reduce((n, l) => n + l.length, 0);
process.stdout.write(JSON.stringify({
  resources: desired.resources.length,
  liveObjects,
  summary: plan.summary,
  errors: plan.diagnostics.filter((d) => d.severity === 'error').length,
  importMs: imported - started,
  loadMs: loaded - imported,
  fetchMs: fetched - loaded,
  computeMs: computed - fetched,
  planMs: computed - imported,
  planCpuMs: (cpu.user + cpu.system) / 1000,
  maxRssMb: process.resourceUsage().maxRSS / 1024,
  vmHwmMb: vmHwmKb / 1024,
}) + '\n');

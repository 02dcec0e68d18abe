/**
 * `npm run bench`: kickstand's benchmarks (issue 5). Not part of the test suite's pass/fail: each benchmark prints a
 * table and its numbers land in test/bench/results/latest.json (git-ignored). The run fails (exit 1) only when a
 * second apply writes anything — that is a correctness property, asserted here — or when a benchmark cannot run.
 *
 * Everything runs against kickstand's emulator in its own process on 127.0.0.1 (see emulator.ts), and kickstand is
 * the compiled dist/ (the script builds first), as users run it.
 *
 *   npm run bench                       # all seven
 *   npm run bench -- --only plan,startup # a subset: plan, apply, cpu, startup, parse-linear, users (second-apply runs with plan/apply/cpu)
 *   npm run bench -- --runs 21           # start-up repetitions (default 15)
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { cpus, freemem, loadavg, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type * as ApplyModule from '../../src/apply/apply.js';
import type * as ClientModule from '../../src/fusionauth/client.js';
import type * as EngineModule from '../../src/engine.js';
import type * as FetchModule from '../../src/state/fetch.js';
import type * as LoadModule from '../../src/config/load.js';
import type * as ParseModule from '../../src/config/parse.js';
import type * as PlanModule from '../../src/core/plan.js';
import type * as KindsModule from '../../src/kinds/index.js';
import type { Plan } from '../../src/core/types.js';
import type { ApiClient } from '../../src/fusionauth/types.js';
import { spawnEmulator, writesIn, type BenchEmulator } from './emulator.js';
import { kindCount, planEntries, SIZE_1000, SIZE_5000, total, writeFixture } from './fixtures.js';
import { measureParseLinear } from './parse-linear.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const DIST = join(ROOT, 'dist');
const CLI = join(DIST, 'cli', 'main.js');
const RESULTS = join(ROOT, 'test', 'bench', 'results', 'latest.json');
const LATENCY_MS = 50;
const BASELINE_CONCURRENCY = 10;

// ---------------------------------------------------------------------------------------------------------------
// Arguments, library (from dist/), small helpers

const args = process.argv.slice(2);
const argValue = (name: string): string | undefined => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const only = new Set((argValue('--only') ?? 'plan,apply,cpu,startup,parse-linear,users').split(',').map((s) => s.trim()));
const startupRuns = Number(argValue('--runs') ?? 15);

const lib = async <T>(p: string): Promise<T> => (await import(pathToFileURL(join(DIST, p)).href)) as T;
const engine = await lib<typeof EngineModule>('engine.js');
const { loadConfig } = await lib<typeof LoadModule>('config/load.js');
const { createClient } = await lib<typeof ClientModule>('fusionauth/client.js');
const { fetchLiveState } = await lib<typeof FetchModule>('state/fetch.js');
const { computePlan } = await lib<typeof PlanModule>('core/plan.js');
const { KINDS } = await lib<typeof KindsModule>('kinds/index.js');
const PLAN = { kinds: KINDS };
const { applyPlan } = await lib<typeof ApplyModule>('apply/apply.js');

const ms = (n: number): string => `${Math.round(n)} ms`;
const sec = (n: number): string => `${(n / 1000).toFixed(2)} s`;
const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
};
const percentile = (xs: number[], p: number): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]!;
};
const verdict = (ok: boolean): string => (ok ? 'met' : 'NOT MET');

/** Print a table: a title, a header row and rows, columns padded. */
function table(title: string, header: string[], rows: string[][]): void {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]): string => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd();
  process.stdout.write(`\n${title}\n${line(header)}\n${line(widths.map((w) => '-'.repeat(w)))}\n`);
  for (const r of rows) process.stdout.write(`${line(r)}\n`);
}

// GNU time, when installed, reports the child's CPU time (user + system): less sensitive than wall time to other load.
const GNU_TIME = existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined;
const CPU_MARK = 'kickstand-bench-cpu';

/** Run a process to completion; resolves with its wall time (from spawn to exit), CPU time when known, exit code and output. */
function timedRun(cmd: string, argv: string[], env: NodeJS.ProcessEnv = process.env): Promise<{ wallMs: number; cpuMs?: number; code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const [file, args] = GNU_TIME ? [GNU_TIME, ['-f', `${CPU_MARK} %U %S`, cmd, ...argv]] : [cmd, argv];
    const child = spawn(file, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (c: Buffer) => out.push(c));
    child.stderr.on('data', (c: Buffer) => err.push(c));
    child.once('error', reject);
    child.once('close', (code) => {
      const wallMs = performance.now() - started;
      let stderr = Buffer.concat(err).toString('utf8');
      const m = new RegExp(`${CPU_MARK} ([\\d.]+) ([\\d.]+)\\s*$`).exec(stderr);
      if (m) stderr = stderr.slice(0, m.index);
      resolve({ wallMs, ...(m ? { cpuMs: (Number(m[1]) + Number(m[2])) * 1000 } : {}), code, stdout: Buffer.concat(out).toString('utf8'), stderr });
    });
  });
}

function clientFor(emu: BenchEmulator): ApiClient {
  return createClient({ url: emu.url, apiKey: emu.apiKey });
}

/** Create everything in `file` on the emulator, fast (no latency, many writes at once). Not timed. */
async function seed(emu: BenchEmulator, file: string): Promise<void> {
  await emu.setLatency(0);
  const { result } = await engine.apply({ files: [file], client: clientFor(emu), parallelism: 32 });
  if (result.summary.failed > 0 || result.diagnostics.some((d) => d.severity === 'error')) {
    throw new Error(`seeding failed: ${JSON.stringify(result.diagnostics.slice(0, 3))} ${JSON.stringify(result.outcomes.find((o) => o.status === 'failed'))}`);
  }
}

/** Writes the apply of this plan sends: one per create/update/delete, two per replace. */
function writesByLevel(p: Plan): Map<number, number> {
  const levels = new Map<number, number>();
  for (const c of p.changes) {
    if (c.action === 'noop') continue;
    const own = c.action === 'replace' ? 2 : c.action === 'update' && Object.keys(c.after ?? {}).length === 0 ? 0 : 1;
    levels.set(c.level, (levels.get(c.level) ?? 0) + own);
  }
  return levels;
}

const env = (emu: BenchEmulator): NodeJS.ProcessEnv => ({ ...process.env, FUSIONAUTH_API_KEY: emu.apiKey, NO_COLOR: '1' });

// ---------------------------------------------------------------------------------------------------------------
// The benchmarks

const results: Record<string, unknown> = {};
let assertionFailed = false;

/** 5. Second apply: zero writes. Runs the real CLI against a server that already holds the file's objects. */
async function secondApply(emu: BenchEmulator, file: string, label: string, latencyMs: number): Promise<Record<string, unknown>> {
  await emu.setLatency(latencyMs);
  await emu.clearLog();
  const run = await timedRun(process.execPath, [CLI, 'apply', '-f', file, '--url', emu.url, '--auto-approve', '--format', 'json'], env(emu));
  const log = await emu.requests();
  const writes = writesIn(log).length;
  const ok = run.code === 0 && writes === 0;
  if (!ok) {
    assertionFailed = true;
    process.stderr.write(`second apply (${label}) FAILED: exit ${run.code}, ${writes} writes\n${run.stderr.slice(0, 2000)}\n`);
  }
  return { label, resources: Number(label.split(' ')[0]), exitCode: run.code, requests: log.length, writes, wallMs: run.wallMs, ok };
}

/** 1. Plan at scale (and 5 on the same server). */
async function benchPlan(emu: BenchEmulator): Promise<void> {
  const file = writeFixture(SIZE_1000);
  const n = total(SIZE_1000);
  await seed(emu, file);
  await emu.setLatency(LATENCY_MS);

  // kickstand as users run it: the whole `kickstand plan` process, three runs, median.
  const cliRuns: Array<{ wallMs: number; cpuMs?: number; requests: number }> = [];
  for (let i = 0; i < 3; i++) {
    await emu.clearLog();
    const run = await timedRun(process.execPath, [CLI, 'plan', '-f', file, '--url', emu.url, '--format', 'json'], env(emu));
    if (run.code !== 0) throw new Error(`kickstand plan exited ${run.code}: ${run.stderr.slice(0, 2000)}`);
    const summary = (JSON.parse(run.stdout) as Plan).summary;
    if (summary.noop !== planEntries(SIZE_1000)) throw new Error(`expected ${planEntries(SIZE_1000)} unchanged entries (${n} objects and their roles), got ${JSON.stringify(summary)}`);
    cliRuns.push({ wallMs: run.wallMs, ...(run.cpuMs !== undefined ? { cpuMs: run.cpuMs } : {}), requests: (await emu.requests()).length });
  }

  // The same plan in-process, by phase (first call in this process, so the schema compile is included in load).
  const t0 = performance.now();
  const desired = await loadConfig([file]);
  const t1 = performance.now();
  const client = clientFor(emu);
  await emu.clearLog();
  const live = await fetchLiveState(client, [...new Set(desired.resources.map((r) => r.kind))]);
  const t2 = performance.now();
  const plan = computePlan(desired, live, { ...PLAN, target: client.baseUrl, allowReplace: false });
  const t3 = performance.now();
  const libRequests = (await emu.requests()).length;

  // Baseline: the Terraform provider's pattern, one GET per resource, 10 at a time (roles come with their application).
  await emu.clearLog();
  const targets = plan.changes.filter((c) => c.parent === undefined).map((c) => ({ kind: c.kind, id: c.id }));
  const apiPath = (kind: string): string => KINDS.find((k) => k.name === kind)!.wire.path!;
  const b0 = performance.now();
  let next = 0;
  let failures = 0;
  const worker = async (): Promise<void> => {
    while (next < targets.length) {
      const t = targets[next++]!;
      const res = await fetch(`${emu.url}${apiPath(t.kind)}/${t.id}`, { headers: { authorization: emu.apiKey, accept: 'application/json' } });
      await res.arrayBuffer();
      if (!res.ok) failures++;
    }
  };
  await Promise.all(Array.from({ length: BASELINE_CONCURRENCY }, worker));
  const baselineMs = performance.now() - b0;
  const baselineRequests = (await emu.requests()).length;
  if (failures > 0) throw new Error(`baseline: ${failures} GETs failed`);

  const wall = median(cliRuns.map((r) => r.wallMs));
  const cpu = cliRuns.every((r) => r.cpuMs !== undefined) ? median(cliRuns.map((r) => r.cpuMs!)) : undefined;
  const requests = Math.max(...cliRuns.map((r) => r.requests));
  const maxRequests = kindCount(SIZE_1000) + 3;
  const rows = [
    ['kickstand plan (whole process, median of 3)', String(requests), sec(wall), '1.00', cpu !== undefined ? `CPU ${sec(cpu)}` : ''],
    ['  in-process: load + validate file', '0', sec(t1 - t0), '', ''],
    ['  in-process: read live state', String(libRequests), sec(t2 - t1), '', ''],
    ['  in-process: compute plan', '0', sec(t3 - t2), '', ''],
    [`baseline: GET per resource, concurrency ${BASELINE_CONCURRENCY}`, String(baselineRequests), sec(baselineMs), (baselineMs / wall).toFixed(2), ''],
    ['target', `≤ ${maxRequests}`, '≤ 1.50 s', '', `${verdict(requests <= maxRequests)} / ${verdict(wall <= 1500)}`],
  ];
  table(`1. Plan at scale: ${n} resources, ${LATENCY_MS} ms latency per request`, ['run', 'requests', 'wall', 'baseline ÷ kickstand', 'target'], rows);
  results.planAtScale = {
    resources: n, latencyMs: LATENCY_MS,
    kickstand: { requests, wallMs: wall, cpuMs: cpu, runs: cliRuns, inProcess: { loadMs: t1 - t0, fetchMs: t2 - t1, computeMs: t3 - t2, requests: libRequests } },
    baseline: { requests: baselineRequests, wallMs: baselineMs, concurrency: BASELINE_CONCURRENCY },
    ratio: { wall: baselineMs / wall, requests: baselineRequests / requests },
    target: { maxRequests, maxWallMs: 1500, requestsMet: requests <= maxRequests, wallMet: wall <= 1500 },
  };
  (results.secondApply as unknown[]).push(await secondApply(emu, file, `${n} resources, ${LATENCY_MS} ms latency`, LATENCY_MS));
}

/** 2. Apply at scale (and 5 afterwards). */
async function benchApply(emu: BenchEmulator): Promise<void> {
  const file = writeFixture(SIZE_1000);
  const n = total(SIZE_1000);
  const rows: string[][] = [];
  const runs: unknown[] = [];
  const floorFor = (p: Plan, concurrency: number) => {
    const levels = writesByLevel(p);
    const writes = [...levels.values()].reduce((a, b) => a + b, 0);
    const perLevel = [...levels.values()].reduce((a, w) => a + Math.ceil(w / concurrency) * LATENCY_MS, 0);
    return { levels: Object.fromEntries(levels), writes, floorMs: perLevel, naiveFloorMs: (writes * LATENCY_MS) / concurrency };
  };

  // The apply phase alone (library: plan first, untimed; then applyPlan timed), at the default parallelism and at 10.
  for (const parallelism of [4, 10]) {
    await emu.reset();
    await emu.setLatency(LATENCY_MS);
    const client = clientFor(emu);
    const desired = await loadConfig([file]);
    const { plan } = await engine.plan({ desired, client });
    await emu.clearLog();
    const t0 = performance.now();
    const result = await applyPlan(plan, client, { parallelism, desired });
    const wallMs = performance.now() - t0;
    if (result.summary.applied !== n) throw new Error(`apply: ${JSON.stringify(result.summary)} ${JSON.stringify(result.outcomes.find((o) => o.status === 'failed'))}`);
    const sent = writesIn(await emu.requests()).length;
    const f = floorFor(plan, parallelism);
    rows.push([`apply phase, parallelism ${parallelism}`, String(sent), sec(wallMs), sec(f.floorMs), (wallMs / f.floorMs).toFixed(2), sec(f.naiveFloorMs), (wallMs / f.naiveFloorMs).toFixed(2)]);
    runs.push({ what: 'applyPlan', parallelism, ...f, writes: sent, plannedWrites: f.writes, wallMs, ratio: wallMs / f.floorMs, ratioNaive: wallMs / f.naiveFloorMs });
  }

  // The whole `kickstand apply` process (start-up, load, plan, apply) at the default parallelism.
  await emu.reset();
  await emu.setLatency(LATENCY_MS);
  const run = await timedRun(process.execPath, [CLI, 'apply', '-f', file, '--url', emu.url, '--auto-approve', '--format', 'json'], env(emu));
  if (run.code !== 0) throw new Error(`kickstand apply exited ${run.code}: ${run.stderr.slice(0, 2000)}`);
  const log = await emu.requests();
  const sent = writesIn(log).length;
  const desired = await loadConfig([file]);
  const dummyPlan = computePlan(desired, { serverVersion: '1.69.0', licensed: true, defaults: {}, objects: {}, parentIds: {} }, { ...PLAN, target: emu.url, allowReplace: false });
  const f = floorFor(dummyPlan, 4);
  rows.push(['whole `kickstand apply` process, parallelism 4', String(sent), sec(run.wallMs), sec(f.floorMs), (run.wallMs / f.floorMs).toFixed(2), sec(f.naiveFloorMs), (run.wallMs / f.naiveFloorMs).toFixed(2)]);
  runs.push({ what: 'cli', parallelism: 4, ...f, writes: sent, plannedWrites: f.writes, requests: log.length, wallMs: run.wallMs, ratio: run.wallMs / f.floorMs, ratioNaive: run.wallMs / f.naiveFloorMs });
  rows.push(['target', '', '', '', '≤ 1.30', '', '']);
  table(`2. Apply at scale: creating ${n} resources, ${LATENCY_MS} ms latency (floor = Σ levels ⌈writes/parallelism⌉ × latency; naive = writes × latency ÷ parallelism)`,
    ['run', 'writes', 'wall', 'floor', 'wall ÷ floor', 'naive floor', 'wall ÷ naive'], rows);
  results.applyAtScale = { resources: n, latencyMs: LATENCY_MS, runs, target: { maxRatio: 1.3 } };
  (results.secondApply as unknown[]).push(await secondApply(emu, file, `${n} resources, ${LATENCY_MS} ms latency (after the timed apply)`, LATENCY_MS));
}

/** 3. CPU and memory: plan of 5,000 resources against live objects full of defaults, no latency, in a child process — the same resources written as YAML and as JSON. */
async function benchCpu(emu: BenchEmulator): Promise<void> {
  const yamlFile = writeFixture(SIZE_5000);
  const jsonFile = writeFixture(SIZE_5000, 'kickstand.json');
  const n = total(SIZE_5000);
  await seed(emu, yamlFile);
  await emu.setLatency(0);
  const child = join(ROOT, 'test', 'bench', 'plan-child.mjs');
  type ChildResult = { resources: number; liveObjects: number; summary: Plan['summary']; errors: number; importMs: number; loadMs: number; fetchMs: number; computeMs: number; planMs: number; planCpuMs: number; maxRssMb: number; vmHwmMb: number };
  type Runs = Array<ChildResult & { processWallMs: number }>;
  const byFormat: Record<'yaml' | 'json', { file: string; bytes: number; runs: Runs; cli?: Awaited<ReturnType<typeof timedRun>> }> = {
    yaml: { file: yamlFile, bytes: statSync(yamlFile).size, runs: [] },
    json: { file: jsonFile, bytes: statSync(jsonFile).size, runs: [] },
  };
  // Interleaved, so that a burst of load on the shared machine does not land on one format only.
  for (let i = 0; i < 3; i++) {
    for (const f of Object.values(byFormat)) {
      const run = await timedRun(process.execPath, [child, DIST, f.file, emu.url], env(emu));
      if (run.code !== 0) throw new Error(`plan child exited ${run.code}: ${run.stderr.slice(0, 2000)}`);
      const r = JSON.parse(run.stdout) as ChildResult;
      if (r.summary.noop !== planEntries(SIZE_5000) || r.errors > 0) throw new Error(`expected ${planEntries(SIZE_5000)} unchanged (${n} objects and their roles), got ${JSON.stringify(r.summary)}, ${r.errors} errors`);
      f.runs.push({ ...r, processWallMs: run.wallMs });
    }
  }
  for (const f of Object.values(byFormat)) {
    f.cli = await timedRun(process.execPath, [CLI, 'plan', '-f', f.file, '--url', emu.url, '--format', 'json'], env(emu));
    if (f.cli.code !== 0) throw new Error(`kickstand plan exited ${f.cli.code}`);
  }

  // Parsing alone, in this process, median of 3: the yaml library on the YAML file (what bounds the YAML load), and
  // kickstand's JSON path (scanner + JSON.parse) on the JSON file.
  const { parseAllDocuments, LineCounter } = await import('yaml');
  const { parseText, DEFAULT_LIMITS } = await lib<typeof ParseModule>('config/parse.js');
  const yamlText = readFileSync(yamlFile, 'utf8');
  const jsonText = readFileSync(jsonFile, 'utf8');
  const timeIt = (fn: () => unknown): number => median([0, 1, 2].map(() => {
    const t = performance.now();
    fn();
    return performance.now() - t;
  }));
  const yamlLibMs = timeIt(() => parseAllDocuments(yamlText, { lineCounter: new LineCounter(), uniqueKeys: true, prettyErrors: false, strict: true }));
  const yamlLibToJsMs = timeIt(() => (parseAllDocuments(yamlText, { uniqueKeys: true, prettyErrors: false, strict: true }) as Array<{ toJS(): unknown }>)[0]!.toJS());
  const jsonPathMs = timeIt(() => parseText(jsonText, jsonFile, DEFAULT_LIMITS));
  const jsonParseMs = timeIt(() => JSON.parse(jsonText));
  const mbps = (bytes: number, t: number): string => `${(bytes / 2 ** 20 / (t / 1000)).toFixed(1)} MB/s`;

  const rows: string[][] = [];
  const summary: Record<string, unknown> = {};
  for (const [format, f] of Object.entries(byFormat)) {
    const med = (k: keyof ChildResult | 'processWallMs'): number => median(f.runs.map((r) => r[k] as number));
    const planMs = med('planMs');
    const rss = Math.max(...f.runs.map((r) => r.maxRssMb));
    const label = `${format.toUpperCase()} (${(f.bytes / 2 ** 20).toFixed(1)} MB)`;
    rows.push(
      [label, 'load + validate file', ms(med('loadMs')), ''],
      [label, 'read live state (1 request per kind + 2)', ms(med('fetchMs')), ''],
      [label, 'compute plan', ms(med('computeMs')), ''],
      [label, 'plan (load + read + compute)', ms(planMs), `< 1000 ms: ${verdict(planMs < 1000)}`],
      [label, '  its CPU time (user + system)', ms(med('planCpuMs')), ''],
      [label, 'module import', ms(med('importMs')), ''],
      [label, 'whole child process', ms(med('processWallMs')), ''],
      [label, 'whole `kickstand plan --format json` process', ms(f.cli!.wallMs), f.cli!.cpuMs !== undefined ? `CPU ${ms(f.cli!.cpuMs)}` : ''],
      [label, 'peak RSS (maxRSS, max of runs)', `${rss.toFixed(0)} MB`, `< 300 MB: ${verdict(rss < 300)}`],
    );
    summary[format] = { file: f.file, bytes: f.bytes, runs: f.runs, cliWallMs: f.cli!.wallMs, cliCpuMs: f.cli!.cpuMs, planMs, peakRssMb: rss, target: { maxPlanMs: 1000, maxRssMb: 300, planMet: planMs < 1000, rssMet: rss < 300 } };
  }
  rows.push(
    ['YAML', 'parse only: yaml parseAllDocuments (with positions)', ms(yamlLibMs), mbps(byFormat.yaml.bytes, yamlLibMs)],
    ['YAML', 'parse only: yaml parseAllDocuments + toJS', ms(yamlLibToJsMs), mbps(byFormat.yaml.bytes, yamlLibToJsMs)],
    ['JSON', 'parse only: kickstand JSON path (scan + JSON.parse)', ms(jsonPathMs), mbps(byFormat.json.bytes, jsonPathMs)],
    ['JSON', 'parse only: JSON.parse alone', ms(jsonParseMs), mbps(byFormat.json.bytes, jsonParseMs)],
  );
  table(`3. CPU and memory: plan of ${n} resources against ${byFormat.yaml.runs[0]!.liveObjects} live objects full of defaults, no latency (median of 3)`, ['file', 'phase', 'time', 'target'], rows);
  results.cpuAndMemory = {
    resources: n, liveObjects: byFormat.yaml.runs[0]!.liveObjects, ...summary,
    parseOnly: { yamlLibMs, yamlLibToJsMs, jsonPathMs, jsonParseMs, yamlBytes: byFormat.yaml.bytes, jsonBytes: byFormat.json.bytes },
  };
  (results.secondApply as unknown[]).push(await secondApply(emu, yamlFile, `${n} resources, no latency`, 0));
}

/** 4. Start-up: whole processes, interleaved, median of N; `node -e 0` is the floor. */
async function benchStartup(): Promise<void> {
  const cases: Array<[string, string[]]> = [
    ['node -e 0 (baseline)', ['-e', '0']],
    ['kickstand --version', [CLI, '--version']],
    ['kickstand validate examples/phone-gating', [CLI, 'validate', join(ROOT, 'examples', 'phone-gating')]],
  ];
  const times = cases.map(() => [] as number[]);
  const cpuTimes = cases.map(() => [] as number[]);
  for (let i = 0; i < startupRuns; i++) {
    for (const [j, [, argv]] of cases.entries()) {
      const run = await timedRun(process.execPath, argv);
      if (run.code !== 0) throw new Error(`${argv.join(' ')} exited ${run.code}: ${run.stderr}`);
      times[j]!.push(run.wallMs);
      if (run.cpuMs !== undefined) cpuTimes[j]!.push(run.cpuMs);
    }
  }
  const base = median(times[0]!);
  const rows = cases.map(([name], j) => {
    const m = median(times[j]!);
    const cpu = cpuTimes[j]!.length > 0 ? ms(median(cpuTimes[j]!)) : 'n/a';
    return [name, ms(m), ms(percentile(times[j]!, 90)), cpu, j === 0 ? '' : ms(m - base), j === 0 ? '' : `< 300 ms: ${verdict(m < 300)}`];
  });
  table(`4. Start-up: whole process, median of ${startupRuns} (interleaved)`, ['command', 'median wall', 'p90 wall', 'median CPU', 'over node -e 0', 'target'], rows);
  results.startup = {
    runs: startupRuns,
    cases: cases.map(([name], j) => ({
      name, medianMs: median(times[j]!), p90Ms: percentile(times[j]!, 90), samples: times[j],
      ...(cpuTimes[j]!.length > 0 ? { medianCpuMs: median(cpuTimes[j]!) } : {}),
    })),
    target: { maxMs: 300 },
  };
}

/**
 * 6. Parsing is linear in the file's size: the files that used to be quadratic (many distinct keys in YAML, many
 * duplicate keys) and an ordinary kickstand file, from 0.1 MB to the 10 MB limit. Flat ms/MB (a ×0.1 MB column near
 * 1) is linear; quadratic doubled it with every doubling of the size.
 */
/**
 * 7. Users: the requests and the wall time of a plan over n users that the server already holds (each registered to
 * the FusionAuth admin application), the files matching them by email. Users are listed through the search API, 1,000
 * a page (src/kinds/user.ts), so the requests are ceil(n / 1,000) searches plus the version, the license and the
 * Default tenant; registrations cost nothing more. Seeded through the Import API with a pre-hashed password (not timed).
 */
async function benchUsers(emu: BenchEmulator): Promise<void> {
  const rows: Array<Record<string, unknown>> = [];
  for (const n of [10, 1_000, 10_000]) {
    await emu.reset();
    await emu.setLatency(0);
    const client = clientFor(emu);
    for (let from = 0; from < n; from += 1000) {
      const users = Array.from({ length: Math.min(1000, n - from) }, (_, j) => ({
        email: `user-${from + j}@example.com`, password: 'aGFzaA==', encryptionScheme: 'salted-pbkdf2-hmac-sha256', salt: 'c2FsdA==', factor: 1, active: true,
        registrations: [{ applicationId: '3c219e58-ed0e-4b18-ad48-f4f92793ae32', roles: ['user_support_viewer'] }],
      }));
      await client.request({ method: 'POST', path: '/api/user/import', body: { users } });
    }
    const file = join(ROOT, 'test', 'bench', 'results', `users-${n}.yaml`);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, `users:\n${Array.from({ length: n }, (_, i) => `  - key: user-${i}\n    email: user-${i}@example.com\n    registrations:\n      - applicationId: fusionauth\n        roles: [user_support_viewer]\n`).join('')}`);
    await emu.setLatency(LATENCY_MS);
    await emu.clearLog();
    const run = await timedRun(process.execPath, [CLI, 'plan', file, '--url', emu.url, '--detailed-exitcode'], { ...process.env, FUSIONAUTH_API_KEY: emu.apiKey });
    const log = await emu.requests();
    const searches = log.filter((r) => r.method === 'POST' && r.path === '/api/user/search').length;
    rows.push({ users: n, requests: log.length, searches, other: log.length - searches, exitCode: run.code, wallMs: run.wallMs, ...(run.cpuMs !== undefined ? { cpuMs: run.cpuMs } : {}) });
    if (run.code !== 0) {
      process.stderr.write(`users ${n}: the plan was not empty (exit ${String(run.code)}): ${run.stderr.slice(0, 500)}\n`);
      assertionFailed = true;
    }
  }
  table(`7. Plan over users (each with a registration), ${LATENCY_MS} ms latency per request`, ['users', 'requests', 'searches', 'other reads', 'wall', 'exit'],
    rows.map((r) => [String(r.users), String(r.requests), String(r.searches), String(r.other), sec(r.wallMs as number), String(r.exitCode)]));
  results.users = rows;
}

async function benchParseLinear(): Promise<void> {
  const rows = await measureParseLinear(await lib<typeof ParseModule>('config/parse.js'), await lib<typeof LoadModule>('config/load.js'));
  const perMb = (ms: number, bytes: number): number => ms / (bytes / 2 ** 20);
  const firstOf = (c: string) => rows.find((r) => r.case === c)!;
  table('6. Parse time by file size (median of 3): ms per MB, and its ratio to the 0.1 MB figure (flat ⇒ linear)',
    ['file', 'size', 'parseText', 'ms/MB', '× 0.1 MB', 'loadConfig', 'ms/MB', '× 0.1 MB'],
    rows.map((r) => {
      const first = firstOf(r.case);
      const parseRatio = perMb(r.parseMs, r.bytes) / perMb(first.parseMs, first.bytes);
      const load = r.loadMs !== undefined && first.loadMs !== undefined
        ? [ms(r.loadMs), perMb(r.loadMs, r.bytes).toFixed(0), (perMb(r.loadMs, r.bytes) / perMb(first.loadMs, first.bytes)).toFixed(2)]
        : ['', '', ''];
      return [r.case, `${(r.bytes / 2 ** 20).toFixed(2)} MB`, ms(r.parseMs), perMb(r.parseMs, r.bytes).toFixed(0), parseRatio.toFixed(2), ...load];
    }));
  results.parseLinear = rows;
}

// ---------------------------------------------------------------------------------------------------------------

const cpuModel = /model name\s*:\s*(.*)/.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1] ?? cpus()[0]?.model ?? 'unknown';
const machine = {
  cpus: cpus().length, cpuModel, memTotalGb: totalmem() / 2 ** 30, memFreeGb: freemem() / 2 ** 30, node: process.version,
  loadavgAtStart: loadavg(),
};
process.stdout.write(`kickstand benchmarks — ${new Date().toISOString()}\nnode ${machine.node}, ${machine.cpus} × ${cpuModel}, ${machine.memTotalGb.toFixed(1)} GB RAM, load average ${machine.loadavgAtStart.map((l) => l.toFixed(2)).join(' ')}\n`);
results.secondApply = [];

const emulators: BenchEmulator[] = [];
try {
  if (only.has('startup')) await benchStartup();
  if (only.has('parse-linear')) await benchParseLinear();
  if (only.has('users')) {
    const emu = await spawnEmulator(CLI);
    emulators.push(emu);
    await benchUsers(emu);
  }
  if (only.has('plan')) {
    const emu = await spawnEmulator(CLI);
    emulators.push(emu);
    await benchPlan(emu);
  }
  if (only.has('apply')) {
    const emu = await spawnEmulator(CLI);
    emulators.push(emu);
    await benchApply(emu);
  }
  if (only.has('cpu')) {
    const emu = await spawnEmulator(CLI);
    emulators.push(emu);
    await benchCpu(emu);
  }
  const second = results.secondApply as Array<Record<string, unknown>>;
  if (second.length > 0) {
    table('5. Second apply: zero writes, always (asserted)', ['configuration', 'exit', 'requests', 'writes', 'wall', 'result'],
      second.map((s) => [String(s.label), String(s.exitCode), String(s.requests), String(s.writes), sec(s.wallMs as number), s.ok ? 'ok' : 'FAILED']));
  }
} finally {
  await Promise.all(emulators.map((e) => e.stop()));
}

const out = { date: new Date().toISOString(), machine: { ...machine, loadavgAtEnd: loadavg() }, ...results };
mkdirSync(dirname(RESULTS), { recursive: true });
writeFileSync(RESULTS, JSON.stringify(out, null, 2) + '\n');
process.stdout.write(`\nresults written to ${RESULTS}\n`);
if (assertionFailed) {
  process.stderr.write('a second apply wrote to the server: kickstand is not idempotent here\n');
  process.exitCode = 1;
}

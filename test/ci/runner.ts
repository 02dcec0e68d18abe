/**
 * Runs the CI recipes of examples/ci locally, step by step, the way GitHub Actions and GitLab CI would: shell steps
 * run in bash with the job's environment in a workspace laid out like the repository the recipe expects; `uses:`
 * steps are what they do on a hosted runner (checkout and setup-node: already done; upload-artifact: the files must
 * exist). `npm ci` installs nothing: the workspace links this checkout's node_modules, and `npx kickstand` runs the
 * built CLI of this checkout. FusionAuth is an emulator the test starts; the GitHub or GitLab API a fake the test starts.
 */
import { spawn } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdtempSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';

const REPO = resolve('.');

/** A finished step: its name, whether it ran, its exit status and output. */
export interface StepRun {
  name: string;
  ran: boolean;
  status: number;
  stdout: string;
  stderr: string;
}

/** A finished job: its steps and whether it succeeded (every step that ran exited 0). */
export interface JobRun {
  steps: StepRun[];
  ok: boolean;
  /** Files the job's artifact steps named (each had to exist). */
  artifacts: string[];
}

/**
 * A workspace laid out like the repository the recipes expect: the kickstand files in fusionauth/, the comment
 * script in examples/ci/, this checkout's node_modules, and an `npx` on the PATH that runs this checkout's CLI.
 */
export function workspace(configDir: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'kickstand-ci-'));
  cpSync(configDir, join(dir, 'fusionauth'), { recursive: true });
  mkdirSync(join(dir, 'examples/ci'), { recursive: true });
  cpSync(join(REPO, 'examples/ci/upsert-comment.mjs'), join(dir, 'examples/ci/upsert-comment.mjs'));
  symlinkSync(join(REPO, 'node_modules'), join(dir, 'node_modules'));
  mkdirSync(join(dir, '.bin'));
  const npx = join(dir, '.bin/npx');
  writeFileSync(npx, `#!/usr/bin/env bash\nif [ "$1" = kickstand ]; then shift; exec "${process.execPath}" "${join(REPO, 'dist/cli/main.js')}" "$@"; fi\necho "npx: only kickstand is available here" >&2; exit 127\n`);
  chmodSync(npx, 0o755);
  return dir;
}

/** Replace `${{ name }}` expressions with values from `context` (an unknown one is an error: the recipe uses it). */
function expand(text: string, context: Record<string, string>): string {
  return text.replace(/\$\{\{\s*([^}]+?)\s*\}\}/g, (_m, expr: string) => {
    const v = context[expr];
    if (v === undefined) throw new Error(`the recipe uses \${{ ${expr} }}, which the runner was not given`);
    return v;
  });
}

/**
 * Run a script in bash as a hosted runner does (`bash -eo pipefail`). Asynchronous: the emulator and the fake API the
 * steps talk to run in this process, and a synchronous child would stop them from answering.
 */
function runShell(script: string, cwd: string, env: Record<string, string>): Promise<{ status: number; stdout: string; stderr: string }> {
  return new Promise((done) => {
    const child = spawn('bash', ['--noprofile', '--norc', '-eo', 'pipefail', '-c', script], {
      cwd,
      env: { PATH: `${join(cwd, '.bin')}:${process.env.PATH ?? ''}`, HOME: process.env.HOME ?? cwd, ...env },
      timeout: 120_000,
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => { stdout += d; });
    child.stderr.setEncoding('utf8').on('data', (d: string) => { stderr += d; });
    child.on('close', (code) => done({ status: code ?? 1, stdout, stderr }));
  });
}

interface GithubStep {
  name?: string;
  id?: string;
  if?: string;
  uses?: string;
  run?: string;
  env?: Record<string, string>;
  with?: Record<string, string>;
}

/** Whether a step's `if:` holds: `always()`, or `steps.<id>.outputs.<name> == '<value>'`; without one, when no step failed. */
function condition(expr: string | undefined, failed: boolean, outputs: Record<string, Record<string, string>>): boolean {
  if (expr === undefined) return !failed;
  if (expr.trim() === 'always()') return true;
  const m = /^steps\.([\w-]+)\.outputs\.([\w-]+)\s*==\s*'([^']*)'$/.exec(expr.trim());
  if (!m) throw new Error(`the runner does not know the condition ${expr}`);
  return !failed && outputs[m[1]!]?.[m[2]!] === m[3];
}

/**
 * Run one job of a GitHub Actions workflow. `context` gives the `${{ … }}` values (vars, secrets, github.*); `runner`
 * the variables a hosted runner sets for every step (GITHUB_API_URL, GITHUB_REPOSITORY).
 */
export async function runGithubJob(workflowFile: string, job: string, cwd: string, context: Record<string, string>, runner: Record<string, string> = {}): Promise<JobRun> {
  const wf = parse(readFileSync(workflowFile, 'utf8')) as { env?: Record<string, string>; jobs: Record<string, { env?: Record<string, string>; steps: GithubStep[] }> };
  const spec = wf.jobs[job];
  if (!spec) throw new Error(`no job ${job} in ${workflowFile}`);
  const outputs: Record<string, Record<string, string>> = {};
  const steps: StepRun[] = [];
  const artifacts: string[] = [];
  let failed = false;
  const baseEnv: Record<string, string> = { ...runner };
  for (const [k, v] of Object.entries({ ...wf.env, ...spec.env })) baseEnv[k] = expand(String(v), context);
  for (const [i, step] of spec.steps.entries()) {
    const name = step.name ?? step.uses ?? step.run ?? `step ${i}`;
    if (!condition(step.if, failed, outputs)) {
      steps.push({ name, ran: false, status: 0, stdout: '', stderr: '' });
      continue;
    }
    if (step.uses) {
      let status = 0;
      if (step.uses.startsWith('actions/upload-artifact')) {
        for (const p of String(step.with?.path ?? '').split('\n').map((x) => x.trim()).filter((x) => x !== '')) {
          artifacts.push(p);
          if (!existsSync(join(cwd, p))) status = 1;
        }
      }
      steps.push({ name, ran: true, status, stdout: '', stderr: status === 0 ? '' : 'artifact file missing' });
      failed ||= status !== 0;
      continue;
    }
    const script = expand(step.run!, context);
    if (script.trim() === 'npm ci') {
      steps.push({ name, ran: true, status: 0, stdout: '', stderr: '' });
      continue;
    }
    const outFile = join(cwd, `.github-output-${i}`);
    writeFileSync(outFile, '');
    const env: Record<string, string> = { ...baseEnv, GITHUB_OUTPUT: outFile };
    for (const [k, v] of Object.entries(step.env ?? {})) env[k] = expand(String(v), context);
    const r = await runShell(script, cwd, env);
    if (step.id) {
      outputs[step.id] = Object.fromEntries(readFileSync(outFile, 'utf8').split('\n').filter((l) => l.includes('=')).map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]));
    }
    steps.push({ name, ran: true, ...r });
    failed ||= r.status !== 0;
  }
  return { steps, ok: !failed, artifacts };
}

/** Run one job of a GitLab CI file: `before_script` and `script` lines in one errexit shell, as a runner does. */
export async function runGitlabJob(ciFile: string, job: string, cwd: string, env: Record<string, string>): Promise<JobRun> {
  const doc = parse(readFileSync(ciFile, 'utf8')) as Record<string, { extends?: string; before_script?: string[]; script?: string[]; variables?: Record<string, string>; artifacts?: { paths?: string[] } }> & { variables?: Record<string, string> };
  const spec = doc[job];
  if (!spec) throw new Error(`no job ${job} in ${ciFile}`);
  const base = spec.extends ? doc[spec.extends] : undefined;
  // `npm ci` installs nothing here (see the module comment).
  const lines = [...(spec.before_script ?? base?.before_script ?? []), ...(spec.script ?? [])].filter((l) => !/^npm ci\b/.test(l));
  const r = await runShell(lines.join('\n'), cwd, { ...(doc.variables as Record<string, string>), ...spec.variables, ...env });
  const artifacts = spec.artifacts?.paths ?? [];
  const missing = artifacts.filter((p) => !existsSync(join(cwd, p)));
  return { steps: [{ name: job, ran: true, ...r }], ok: r.status === 0 && missing.length === 0, artifacts };
}

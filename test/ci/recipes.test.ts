/**
 * The CI recipes of examples/ci, run locally step by step (test/ci/runner.ts) against an emulated FusionAuth and a fake
 * GitHub or GitLab API: a pull request gets one plan comment that later pushes update, also when the plan has errors
 * (and the job then fails after posting); the plan is kept as markdown and JSON artifacts; the apply job applies; the
 * next plan says there is nothing to do. No secret reaches a comment, an artifact or a log.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { listenLocal, type LocalServer } from '../support/local-server.js';
import { runGithubJob, runGitlabJob, workspace, type JobRun } from './runner.js';

const TWILIO_TOKEN = 'ci-canary-twilio-token-7d1e9b3f';
/** The default of the example's testUserPassword variable (examples/phone-gating/users.yaml). */
const TEST_USER_PASSWORD = 'test-user-placeholder';
const API_TOKEN = 'ci-canary-api-token-2c8a6f0e';

/** A fake of the comment endpoints of GitHub (issue comments) and GitLab (merge request notes). */
class CommentApi {
  comments: Array<{ id: number; body: string }> = [];
  requests: string[] = [];
  private next = 1;

  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const url = new URL(req.url ?? '/', 'http://x');
    this.requests.push(`${req.method} ${url.pathname}`);
    const auth = req.headers.authorization === `Bearer ${API_TOKEN}` || req.headers['private-token'] === API_TOKEN;
    const reply = (status: number, body?: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(body === undefined ? '' : JSON.stringify(body));
    };
    if (!auth) return reply(401, { message: 'Bad credentials' });
    const body = chunks.length > 0 ? (JSON.parse(Buffer.concat(chunks).toString('utf8')) as { body: string }).body : undefined;
    const one = /^\/(?:repos\/acme\/config\/issues\/comments|projects\/42\/merge_requests\/7\/notes)\/(\d+)$/.exec(url.pathname);
    const list = /^\/(?:repos\/acme\/config\/issues\/5\/comments|projects\/42\/merge_requests\/7\/notes)$/.test(url.pathname);
    if (req.method === 'GET' && list) {
      const page = Number(url.searchParams.get('page') ?? '1');
      const size = Number(url.searchParams.get('per_page') ?? '30');
      return reply(200, this.comments.slice((page - 1) * size, page * size));
    }
    if (req.method === 'POST' && list && body !== undefined) {
      const c = { id: this.next++, body };
      this.comments.push(c);
      return reply(201, c);
    }
    if ((req.method === 'PATCH' || req.method === 'PUT') && one && body !== undefined) {
      const c = this.comments.find((x) => x.id === Number(one[1]));
      if (!c) return reply(404, {});
      c.body = body;
      return reply(200, c);
    }
    reply(404, {});
  }
}

let emu: Emulator;
let api: CommentApi;
let server: LocalServer;
beforeAll(async () => {
  emu = await startEmulator({ licensed: true });
  api = new CommentApi();
  server = await listenLocal((req, res) => void api.handle(req, res));
});
afterAll(async () => {
  await server.close();
  await emu.stop();
});

/** The phone-gating example as the repository's fusionauth/ folder; `broken` adds a field FusionAuth does not have. */
function config(broken = false): string {
  const dir = mkdtempSync(join(tmpdir(), 'kickstand-ci-config-'));
  cpSync('examples/phone-gating', dir, { recursive: true });
  if (broken) {
    const file = join(dir, 'kickstand.yaml');
    writeFileSync(file, readFileSync(file, 'utf8').replace('    name: Phone app\n', '    name: Phone app\n    colour: blue\n'));
  }
  return dir;
}

/** Everything a job left behind that a reviewer or a log could see: step output, comments, artifact files. */
function visible(job: JobRun, cwd: string): string {
  return [
    ...job.steps.flatMap((s) => [s.stdout, s.stderr]),
    ...api.comments.map((c) => c.body),
    ...job.artifacts.map((a) => { try { return readFileSync(join(cwd, a), 'utf8'); } catch { return ''; } }),
  ].join('\n');
}

const secrets = () => ({
  'vars.FUSIONAUTH_URL': emu.url,
  'secrets.FUSIONAUTH_API_KEY': emu.apiKey,
  'secrets.TWILIO_ACCOUNT_SID': 'AC00000000000000000000000000000000',
  'secrets.TWILIO_AUTH_TOKEN': TWILIO_TOKEN,
  'secrets.TWILIO_FROM_NUMBER': '+15555550100',
  'github.ref': 'refs/pull/5/merge',
  'github.token': API_TOKEN,
  'github.event.pull_request.number': '5',
});

describe('examples/ci/github-actions.yml', () => {
  const WF = 'examples/ci/github-actions.yml';
  // The comment script talks to the fake API through the variables GitHub's runner sets.
  const github = (job: string, cwd: string): Promise<JobRun> => runGithubJob(WF, job, cwd, secrets(), { GITHUB_API_URL: server.url, GITHUB_REPOSITORY: 'acme/config' });

  it('plans a pull request into one comment that pushes update, applies on merge, then plans nothing; errors are posted, then fail the job', async () => {
    api.comments = [];
    emu.reset();
    const cwd = workspace(config());
    try {
      const first = await github('plan', cwd);
      expect(first.ok, JSON.stringify(first.steps)).toBe(true);
      expect(api.comments).toHaveLength(1);
      expect(api.comments[0]!.body).toMatch(/^<!-- kickstand-plan: production -->\n/);
      expect(api.comments[0]!.body).toContain('5 to create');
      expect(first.artifacts).toEqual(['plan.md', 'plan.json']);
      expect((JSON.parse(readFileSync(join(cwd, 'plan.json'), 'utf8')) as { summary: { create: number } }).summary.create).toBe(5);

      // A second push: the same comment is updated, none is added.
      const second = await github('plan', cwd);
      expect(second.ok).toBe(true);
      expect(api.comments).toHaveLength(1);
      expect(api.requests.filter((r) => r.startsWith('PATCH'))).toHaveLength(1);

      const applied = await github('apply', cwd);
      expect(applied.ok, JSON.stringify(applied.steps)).toBe(true);
      expect((JSON.parse(readFileSync(join(cwd, 'apply.json'), 'utf8')) as { apply: { summary: { applied: number } } }).apply.summary.applied).toBe(5);

      const after = await github('plan', cwd);
      expect(after.ok).toBe(true);
      expect(api.comments).toHaveLength(1);
      expect(api.comments[0]!.body).toContain('No changes');
      for (const job of [first, second, applied, after]) {
        expect(visible(job, cwd)).not.toContain(TWILIO_TOKEN);
        // The example's seeded test user (users.yaml): its password, the variable's default here, is never shown.
        expect(visible(job, cwd)).not.toContain(TEST_USER_PASSWORD);
      }
    } finally {
      rmSync(cwd, { recursive: true, force: true });
    }
  }, 120_000);

  it('posts a plan with errors before failing the job', async () => {
    api.comments = [];
    const cwd = workspace(config(true));
    try {
      const run = await github('plan', cwd);
      expect(run.ok).toBe(false);
      const byName = Object.fromEntries(run.steps.map((s) => [s.name, s]));
      expect(byName['Post or update the plan comment']).toMatchObject({ ran: true, status: 0 });
      expect(byName['Fail when the plan has errors']).toMatchObject({ ran: true, status: 1 });
      expect(api.comments).toHaveLength(1);
      expect(api.comments[0]!.body).toContain('colour');
      expect(run.artifacts).toEqual(['plan.md', 'plan.json']);
    } finally {
      rmSync(cwd, { recursive: true, force: true });
    }
  }, 60_000);
});

describe('examples/ci/gitlab-ci.yml', () => {
  const CI = 'examples/ci/gitlab-ci.yml';
  const env = () => ({
    FUSIONAUTH_URL: emu.url, FUSIONAUTH_API_KEY: emu.apiKey, TWILIO_AUTH_TOKEN: TWILIO_TOKEN,
    TWILIO_ACCOUNT_SID: 'AC00000000000000000000000000000000', TWILIO_FROM_NUMBER: '+15555550100',
    GITLAB_TOKEN: API_TOKEN, CI_API_V4_URL: server.url, CI_PROJECT_ID: '42', CI_MERGE_REQUEST_IID: '7',
  });

  it('plans a merge request into one note, applies on the default branch, then plans nothing; errors are posted, then fail the job', async () => {
    api.comments = [];
    emu.reset();
    const cwd = workspace(config());
    try {
      const first = await runGitlabJob(CI, 'fusionauth:plan', cwd, env());
      expect(first.ok, JSON.stringify(first.steps)).toBe(true);
      expect(api.comments).toHaveLength(1);
      expect(api.comments[0]!.body).toContain('5 to create');
      expect((await runGitlabJob(CI, 'fusionauth:plan', cwd, env())).ok).toBe(true);
      expect(api.comments).toHaveLength(1);

      const applied = await runGitlabJob(CI, 'fusionauth:apply', cwd, env());
      expect(applied.ok, JSON.stringify(applied.steps)).toBe(true);
      expect((await runGitlabJob(CI, 'fusionauth:plan', cwd, env())).ok).toBe(true);
      expect(api.comments[0]!.body).toContain('No changes');
      expect(visible(applied, cwd) + visible(first, cwd)).not.toContain(TWILIO_TOKEN);
      expect(visible(applied, cwd) + visible(first, cwd)).not.toContain(TEST_USER_PASSWORD);
    } finally {
      rmSync(cwd, { recursive: true, force: true });
    }

    const broken = workspace(config(true));
    try {
      const run = await runGitlabJob(CI, 'fusionauth:plan', broken, env());
      expect(run.ok).toBe(false);
      expect(api.comments).toHaveLength(1);
      expect(api.comments[0]!.body).toContain('colour');
    } finally {
      rmSync(broken, { recursive: true, force: true });
    }
  }, 120_000);
});

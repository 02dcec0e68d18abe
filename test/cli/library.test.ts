/**
 * The package entry as a user imports it: `import { loadConfig, plan, apply } from 'kickstand-cli'` (Node's
 * self-reference through package.json "exports", so this runs the built dist/ — `npm ci` builds it).
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);

const SCRIPT = `
import { loadConfig, plan, apply, createClient, startEmulator, renderPlanHuman } from 'kickstand-cli';
const emu = await startEmulator({ licensed: true });
try {
  const client = createClient({ url: emu.url, apiKey: emu.apiKey });
  const desired = await loadConfig(['examples/phone-gating']);
  const first = await plan({ desired, client });
  const { result } = await apply({ plan: first.plan, desired, client });
  const second = await plan({ desired, client });
  console.log(JSON.stringify({
    planned: first.plan.summary.create,
    applied: result.summary.applied,
    after: second.plan.changes.map((c) => c.action),
    rendered: renderPlanHuman(second.plan, { color: false }).includes('No changes.'),
  }));
} finally {
  await emu.stop();
}
`;

describe("import from 'kickstand-cli'", () => {
  it('loads, plans and applies through the public entry, then plans no changes', async () => {
    const { stdout } = await run(process.execPath, ['--input-type=module', '-e', SCRIPT], { cwd: process.cwd() });
    expect(JSON.parse(stdout)).toEqual({ planned: 5, applied: 5, after: ['noop', 'noop', 'noop', 'noop', 'noop', 'noop'], rendered: true });
  });
});

describe('the other ways in', () => {
  it('require() from CommonJS gets the same entry', async () => {
    const cjs = "const k = require('kickstand-cli'); console.log(JSON.stringify([typeof k.loadConfig, typeof k.plan, typeof k.apply]));";
    const { stdout } = await run(process.execPath, ['--input-type=commonjs', '--no-warnings', '-e', cjs], { cwd: process.cwd() });
    expect(JSON.parse(stdout)).toEqual(['function', 'function', 'function']);
  });

  it('the schema is exported at kickstand-cli/schema/kickstand.schema.json, with the $id of its published address', async () => {
    const script = "import s from 'kickstand-cli/schema/kickstand.schema.json' with { type: 'json' }; console.log(s.$id);";
    const { stdout } = await run(process.execPath, ['--input-type=module', '--no-warnings', '-e', script], { cwd: process.cwd() });
    expect(stdout.trim()).toBe('https://cdn.jsdelivr.net/npm/kickstand-cli/schema/kickstand.schema.json');
  });
});

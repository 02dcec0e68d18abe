/**
 * Families in kickstand files, over real HTTP against the emulator: created with their first Adult and completed member
 * by member; members additive, matched by user, unless `membersComplete`; one read per family entry (FusionAuth cannot
 * list families); the offline rules through `kickstand validate`; FusionAuth's own refusals surfacing at apply.
 * Sources: src/kinds/family.ts and src/emulator/users/families.ts.
 */
import { describe, expect, it } from 'vitest';
import type { Diagnostic, JsonObject } from '../../src/core/types.js';
import type { RequestLogEntry } from '../../src/emulator/index.js';
import { runCli } from '../config/helpers.js';
import { againstEmulator } from '../support/against-emulator.js';

const t = againstEmulator();

async function call(method: string, path: string, body?: unknown): Promise<{ status: number; body: JsonObject | undefined }> {
  const r = await fetch(`${t.emu().url}${path}`, { method, headers: { authorization: t.emu().apiKey, 'content-type': 'application/json' }, ...(body ? { body: JSON.stringify(body) } : {}) });
  const text = await r.text();
  return { status: r.status, body: text ? (JSON.parse(text) as JsonObject) : undefined };
}

/** A user created straight through the User API (the users kind is not part of these tests). */
async function user(email: string, birthDate: string): Promise<string> {
  const r = await call('POST', '/api/user', { user: { email, password: 'password-123', birthDate } });
  expect(r.status, JSON.stringify(r.body)).toBe(200);
  return (r.body!.user as JsonObject).id as string;
}

const familyYaml = (members: Array<[string, string, boolean?]>, extra = ''): string => [
  'families:',
  '  - key: smiths',
  ...(extra ? [`    ${extra}`] : []),
  '    members:',
  ...members.flatMap(([userId, role, owner]) => [`      - userId: ${userId}`, `        role: ${role}`, ...(owner === undefined ? [] : [`        owner: ${String(owner)}`])]),
  '',
].join('\n');

const log = (): RequestLogEntry[] => t.emu().requests as RequestLogEntry[];
const sent = (): string[] => log().map((r) => `${r.method} ${r.path}${r.query ? `?${r.query}` : ''}`);

describe('families: plan and apply', () => {
  it('creates the family with its first Adult (POST) and adds the others (PUT), then plans nothing', async () => {
    const kid = await user('kid@example.com', '2015-01-18');
    const parent = await user('parent@example.com', '1976-05-30');
    // The child is written first: the family is still created with the Adult (FusionAuth refuses any other first member).
    const yaml = familyYaml([[kid, 'Child'], [parent, 'Adult', true]]);
    const first = await t.planOf(yaml);
    expect(first.changes.map((c) => [c.kind, c.action, c.match])).toEqual([['family', 'create', 'new']]);
    const id = first.changes[0]!.id!;
    t.emu().clearLog();
    await t.applyOf(yaml);
    // Read: the families of the first Adult, then the family by id (none yet); written: POST with the Adult, PUT the child.
    expect(sent().filter((s) => s.includes('/api/user/family'))).toEqual([
      `GET /api/user/family?userId=${parent}`,
      `GET /api/user/family/${id}`,
      `POST /api/user/family/${id}`,
      `PUT /api/user/family/${id}`,
    ]);
    const live = (await call('GET', `/api/user/family/${id}`)).body!.family as JsonObject;
    expect((live.members as JsonObject[]).map((m) => [m.userId, m.role, m.owner])).toEqual([[parent, 'Adult', true], [kid, 'Child', false]]);
    t.emu().clearLog();
    const again = await t.planOf(yaml);
    expect(again.changes.map((c) => c.action)).toEqual(['noop']);
    // Once it exists, one read finds it: the families of its first Adult.
    expect(sent().filter((s) => s.includes('/api/user/family'))).toEqual([`GET /api/user/family?userId=${parent}`]);
  });

  it('reads at most two requests per family entry and nothing else (FusionAuth cannot list families): one once it exists', async () => {
    const adults = await Promise.all(Array.from({ length: 5 }, (_, i) => user(`adult${i}@example.com`, '1970-01-01')));
    const yaml = ['families:', ...adults.map((a, i) => `  - key: f${i}\n    members:\n      - userId: ${a}\n        role: Adult`), ''].join('\n');
    t.emu().clearLog();
    await t.planOf(yaml);
    const server = ['GET /api/reactor', 'GET /api/system/version'];
    expect(sent().filter((x) => !server.includes(x))).toHaveLength(2 * adults.length);
    await t.applyOf(yaml);
    t.emu().clearLog();
    const p = await t.planOf(yaml);
    expect(p.changes.map((c) => c.action)).toEqual(adults.map(() => 'noop'));
    expect(sent().filter((x) => !server.includes(x)).sort()).toEqual(adults.map((a) => `GET /api/user/family?userId=${a}`).sort());
  });

  it('matches by user: adopts the family its first Adult already belongs to as an Adult, and adds the members it lacks', async () => {
    const parent = await user('owner@example.com', '1976-05-30');
    const kid = await user('kid2@example.com', '2015-01-18');
    const existing = (await call('POST', '/api/user/family', { familyMember: { userId: parent, role: 'Adult' } })).body!.family as JsonObject;
    const yaml = familyYaml([[parent, 'Adult'], [kid, 'Child']]);
    const p = await t.planOf(yaml);
    expect(p.changes.map((c) => [c.action, c.match, c.id, c.fields.map((f) => f.path)])).toEqual([['update', 'adopted-by-name', existing.id, ['members']]]);
    await t.applyOf(yaml);
    const members = ((await call('GET', `/api/user/family/${String(existing.id)}`)).body!.family as JsonObject).members as JsonObject[];
    expect(members.map((m) => [m.userId, m.role])).toEqual([[parent, 'Adult'], [kid, 'Child']]);
    expect((await t.planOf(yaml)).changes.map((c) => [c.action, c.id])).toEqual([['noop', existing.id]]);
    // Pinning another id for it is an error: creating that family would fail, its Adult already being in one.
    const pinned = await t.planOf(familyYaml([[parent, 'Adult']], 'id: 6d6d6d6d-0000-4000-8000-000000000000'));
    expect(pinned.diagnostics.filter((d) => d.severity === 'error').map((d) => d.message)).toEqual([
      expect.stringMatching(new RegExp(`already exists with id ${String(existing.id)} \\(the family of its first Adult member\\), but the file pins id`)),
    ]);
  });

  it('finds the family it created by id when the file names another first Adult (a second read)', async () => {
    const first = await user('first@example.com', '1970-01-01');
    const second = await user('second@example.com', '1971-01-01');
    await t.applyOf(familyYaml([[first, 'Adult']]));
    const yaml = familyYaml([[second, 'Adult'], [first, 'Adult']], 'membersComplete: true');
    const p = await t.planOf(yaml);
    expect(p.changes.map((c) => [c.action, c.match])).toEqual([['update', 'derived-id']]);
    await t.applyOf(yaml);
    expect((await t.planOf(yaml)).changes.map((c) => c.action)).toEqual(['noop']);
  });

  it('members are additive: a member added out of band is kept; a changed role is one PUT; a new member one PUT', async () => {
    const parent = await user('p@example.com', '1976-05-30');
    const kid = await user('k@example.com', '2015-01-18');
    const other = await user('o@example.com', '1980-02-02');
    await t.applyOf(familyYaml([[parent, 'Adult']]));
    const id = (await t.planOf(familyYaml([[parent, 'Adult']]))).changes[0]!.id!;
    expect((await call('PUT', `/api/user/family/${id}`, { familyMember: { userId: other, role: 'Adult' } })).status).toBe(200);
    // The out-of-band Adult is not in the file: nothing to do.
    expect((await t.planOf(familyYaml([[parent, 'Adult']]))).changes.map((c) => c.action)).toEqual(['noop']);
    const yaml = familyYaml([[parent, 'Adult'], [kid, 'Teen']]);
    const p = await t.planOf(yaml);
    expect(p.changes.map((c) => [c.action, c.fields.map((f) => f.path)])).toEqual([['update', ['members']]]);
    t.emu().clearLog();
    await t.applyOf(yaml);
    expect(sent().filter((s) => !s.startsWith('GET'))).toEqual([`PUT /api/user/family/${id}`]);
    await t.applyOf(familyYaml([[parent, 'Adult'], [kid, 'Child']]));
    const members = ((await call('GET', `/api/user/family/${id}`)).body!.family as JsonObject).members as JsonObject[];
    expect(members.map((m) => [m.userId, m.role])).toEqual([[parent, 'Adult'], [other, 'Adult'], [kid, 'Child']]);
  });

  it('membersComplete: true removes the members the entry does not list, with one DELETE each, and then plans nothing', async () => {
    const parent = await user('p2@example.com', '1976-05-30');
    const other = await user('o2@example.com', '1980-02-02');
    await t.applyOf(familyYaml([[parent, 'Adult'], [other, 'Adult']]));
    const yaml = familyYaml([[parent, 'Adult']], 'membersComplete: true');
    const p = await t.planOf(yaml);
    const id = p.changes[0]!.id!;
    expect(p.changes.map((c) => [c.action, c.fields.map((f) => f.path)])).toEqual([['update', ['members']]]);
    t.emu().clearLog();
    await t.applyOf(yaml);
    expect(sent().filter((s) => !s.startsWith('GET'))).toEqual([`DELETE /api/user/family/${id}/${other}`]);
    expect((await t.planOf(yaml)).changes.map((c) => c.action)).toEqual(['noop']);
  });

  it('a first Adult written owner: false is made no owner right after the create (FusionAuth makes the first Adult the owner)', async () => {
    const a = await user('notowner@example.com', '1970-01-01');
    const b = await user('owner2@example.com', '1971-01-01');
    const yaml = familyYaml([[a, 'Adult', false], [b, 'Adult', true]]);
    const { plan: p } = await t.applyOf(yaml);
    const id = p.changes[0]!.id!;
    const members = ((await call('GET', `/api/user/family/${id}`)).body!.family as JsonObject).members as JsonObject[];
    expect(members.map((m) => [m.userId, m.owner])).toEqual([[a, false], [b, true]]);
    expect((await t.planOf(yaml)).changes.map((c) => c.action)).toEqual(['noop']);
  });

  it('adopts an existing family by its pinned id', async () => {
    const parent = await user('p3@example.com', '1976-05-30');
    const id = '7a7a7a7a-1111-4222-8333-444444444444';
    expect((await call('POST', `/api/user/family/${id}`, { familyMember: { userId: parent, role: 'Adult' } })).status).toBe(200);
    const p = await t.planOf(familyYaml([[parent, 'Adult', true]], `id: ${id}`));
    expect(p.changes.map((c) => [c.action, c.match, c.id])).toEqual([['noop', 'pinned-id', id]]);
  });

  it('FusionAuth\'s refusals surface at apply: a creator younger than the tenant\'s minimumOwnerAge (21 by default)', async () => {
    const young = await user('young@example.com', '2010-01-01');
    const planned = await t.planOf(familyYaml([[young, 'Adult']]));
    expect(planned.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const { apply } = await import('../../src/engine.js');
    const out = await apply({ files: [t.files(familyYaml([[young, 'Adult']]))], load: { env: {} }, client: t.client() });
    const failed = out.result.outcomes.filter((o) => o.status !== 'applied');
    expect(failed).toHaveLength(1);
    expect(JSON.stringify(failed[0])).toContain('[invalid]familyMember.userId');
  });
});

describe('families with the users of the files', () => {
  const FILE = [
    'users:',
    '  - key: parent',
    '    email: parent@example.com',
    '    password: parent-password-1',
    '    birthDate: "1976-05-30"',
    '  - key: kid',
    '    email: kid@example.com',
    '    password: kid-password-1',
    '    birthDate: "2015-01-18"',
    'families:',
    '  - key: smiths',
    '    members:',
    '      - userId: kid',
    '        role: Child',
    '      - userId: parent',
    '        role: Adult',
    '        owner: true',
    '',
  ].join('\n');

  it('members name declared users by key: created after the users in one apply, found again through the first Adult, nothing to do', async () => {
    const first = await t.planOf(FILE);
    expect(first.changes.map((c) => [c.kind, c.action])).toEqual([['user', 'create'], ['user', 'create'], ['family', 'create']]);
    await t.applyOf(FILE);
    const again = await t.planOf(FILE);
    expect(again.changes.map((c) => [c.kind, c.action])).toEqual([['user', 'noop'], ['user', 'noop'], ['family', 'noop']]);
    const parent = again.changes.find((c) => c.key === 'parent')!.id!;
    const kid = again.changes.find((c) => c.key === 'kid')!.id!;
    const family = ((await call('GET', `/api/user/family?userId=${kid}`)).body!.families as JsonObject[])[0]!;
    expect((family.members as JsonObject[]).map((m) => [m.userId, m.role, m.owner])).toEqual([[parent, 'Adult', true], [kid, 'Child', false]]);
  });

  it('an unknown user key is refused offline, naming the declared users', async () => {
    const r = await runCli(['validate', t.files(FILE.replace('userId: kid', 'userId: nobody')), '--format', 'json']);
    expect(r.code).toBe(1);
    const out = JSON.parse(r.stdout) as { diagnostics: Diagnostic[] };
    expect(out.diagnostics.find((d) => d.where?.path === 'families[0].members[0].userId')?.message).toMatch(/unknown user "nobody".*kid, parent/);
  });
});

describe('families: offline rules', () => {
  it('kickstand validate catches them: no Adult, an owner that is a Teen or Child, a user twice, no members', async () => {
    const u1 = '1b1b1b1b-0000-4000-8000-000000000001';
    const u2 = '1b1b1b1b-0000-4000-8000-000000000002';
    const path = t.files([
      'families:',
      '  - key: no-adult',
      '    members:',
      `      - { userId: ${u1}, role: Child }`,
      '  - key: child-owner',
      '    members:',
      `      - { userId: ${u1}, role: Adult }`,
      `      - { userId: ${u2}, role: Teen, owner: true }`,
      '  - key: twice',
      '    members:',
      `      - { userId: ${u1}, role: Adult }`,
      `      - { userId: ${u1.toUpperCase()}, role: Child }`,
      '  - key: empty',
      '    members: []',
      '',
    ].join('\n'));
    const r = await runCli(['validate', path, '--format', 'json']);
    expect(r.code).toBe(1);
    const out = JSON.parse(r.stdout) as { diagnostics: Diagnostic[] };
    const at = (p: string) => out.diagnostics.filter((d) => d.where?.path === p).map((d) => d.message).join(' | ');
    expect(at('families[0].members')).toMatch(/needs an Adult member/);
    expect(at('families[1].members[1].owner')).toMatch(/a Teen cannot own a family/);
    expect(at('families[2].members[1].userId')).toMatch(/listed twice/);
    expect(at('families[3].members')).toMatch(/at least one member/);
  });

  it('an Adult in two family entries is a plan error at the second (docs: an Adult belongs to a single family)', async () => {
    const a = await user('two@example.com', '1970-01-01');
    const yaml = ['families:', `  - key: one\n    members:\n      - userId: ${a}\n        role: Adult`, `  - key: two\n    members:\n      - userId: ${a.toUpperCase()}\n        role: Adult`, ''].join('\n');
    const p = await t.planOf(yaml);
    expect(p.diagnostics.filter((d) => d.severity === 'error').map((d) => [d.where?.key, d.where?.path, d.message])).toEqual([
      ['two', 'members[0].userId', expect.stringMatching(/is an Adult of the family "one" too/)],
    ]);
  });

  it('a member is a UUID (or a declared user): anything else is refused by validate', async () => {
    const r = await runCli(['validate', t.files(familyYaml([['not-a-user', 'Adult']])), '--format', 'json']);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('families[0].members[0].userId');
  });
});

import { describe, expect, it } from 'vitest';
import { derivedId, matchResource, type MatchContext } from '../../src/core/match.js';
import type { JsonObject } from '../../src/core/types.js';
import { NS, res } from './helpers.js';
import { kindByName } from '../../src/kinds/index.js';

const application = kindByName('application');
const messenger = kindByName('messenger');

const ctx = (live: JsonObject[], extra: Partial<MatchContext> = {}): MatchContext => ({ kind: messenger, idNamespace: NS, live, claimed: new Set(), ...extra });
const PINNED = '0f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0';

describe('matchResource', () => {
  it('matches a pinned id, case-insensitively', () => {
    const m = matchResource(res('messenger', 'sms', { name: 'SMS' }, { id: PINNED }), ctx([{ id: PINNED.toUpperCase(), name: 'Other' }]));
    expect(m).toMatchObject({ id: PINNED, match: 'pinned-id', diagnostics: [] });
    expect(m.live?.name).toBe('Other');
  });

  it('creates with the pinned id when it is not live, and errors when that name is taken by another id', () => {
    expect(matchResource(res('messenger', 'sms', { name: 'SMS' }, { id: PINNED }), ctx([]))).toMatchObject({ id: PINNED, match: 'new', diagnostics: [] });
    const clash = matchResource(res('messenger', 'sms', { name: 'SMS' }, { id: PINNED }), ctx([{ id: 'aaaaaaaa-0000-4000-8000-000000000001', name: 'SMS' }]));
    expect(clash.diagnostics[0]?.message).toContain('already exists with id aaaaaaaa-0000-4000-8000-000000000001');
  });

  it('matches the derived id (UUIDv5 of kind:key in the namespace)', () => {
    const id = derivedId('messenger', 'sms', NS);
    const m = matchResource(res('messenger', 'sms', { name: 'SMS' }), ctx([{ id: id.toUpperCase(), name: 'renamed' }, { id: 'aaaaaaaa-0000-4000-8000-000000000001', name: 'SMS' }]));
    expect(m).toMatchObject({ id, match: 'derived-id' });
  });

  it('adopts a unique live object with the same name', () => {
    const m = matchResource(res('messenger', 'sms', { name: 'SMS' }), ctx([{ id: 'AAAAAAAA-0000-4000-8000-000000000001', name: 'SMS' }, { id: 'aaaaaaaa-0000-4000-8000-000000000002', name: 'sms' }]));
    expect(m).toMatchObject({ id: 'aaaaaaaa-0000-4000-8000-000000000001', match: 'adopted-by-name', diagnostics: [] });
  });

  it('does not adopt an object another entry claimed by id', () => {
    const m = matchResource(res('messenger', 'sms', { name: 'SMS' }), ctx([{ id: 'aaaaaaaa-0000-4000-8000-000000000001', name: 'SMS' }], { claimed: new Set(['aaaaaaaa-0000-4000-8000-000000000001']) }));
    expect(m).toMatchObject({ id: derivedId('messenger', 'sms', NS), match: 'new' });
  });

  it('refuses to guess between two live objects with the same name, naming both ids', () => {
    const m = matchResource(res('messenger', 'sms', { name: 'SMS' }, { lines: { name: 7 } }), ctx([
      { id: 'aaaaaaaa-0000-4000-8000-000000000001', name: 'SMS' }, { id: 'aaaaaaaa-0000-4000-8000-000000000002', name: 'SMS' },
    ]));
    expect(m.id).toBeUndefined();
    expect(m.diagnostics).toHaveLength(1);
    expect(m.diagnostics[0]!.message).toContain('aaaaaaaa-0000-4000-8000-000000000001, aaaaaaaa-0000-4000-8000-000000000002');
    expect(m.diagnostics[0]!.where).toMatchObject({ file: 'kickstand.yaml', line: 7, path: 'name', kind: 'messenger', key: 'sms' });
  });

  it('creates with the derived id when nothing matches', () => {
    expect(matchResource(res('messenger', 'sms', { name: 'SMS' }), ctx([{ id: 'aaaaaaaa-0000-4000-8000-000000000001', name: 'Other' }])))
      .toMatchObject({ id: derivedId('messenger', 'sms', NS), match: 'new', diagnostics: [] });
  });

  it('adopts applications by name only within their tenant', () => {
    const T1 = '11111111-0000-4000-8000-000000000001', T2 = '11111111-0000-4000-8000-000000000002';
    const live = [{ id: 'aaaaaaaa-0000-4000-8000-000000000001', name: 'Web', tenantId: T1 }, { id: 'aaaaaaaa-0000-4000-8000-000000000002', name: 'Web', tenantId: T2 }];
    const m = matchResource(res('application', 'web', { name: 'Web' }), ctx(live, { kind: application, tenantId: T2.toUpperCase() }));
    expect(m).toMatchObject({ id: 'aaaaaaaa-0000-4000-8000-000000000002', match: 'adopted-by-name' });
  });

  it('reports a soft-deleted application instead of updating or adopting it', () => {
    const id = derivedId('application', 'web', NS);
    const byId = matchResource(res('application', 'web', { name: 'Web' }), ctx([{ id, name: 'Web', active: false }], { kind: application }));
    expect(byId.diagnostics[0]!.message).toMatch(/soft-deleted/);
    const byName = matchResource(res('application', 'web', { name: 'Web' }), ctx([{ id: 'aaaaaaaa-0000-4000-8000-000000000001', name: 'Web', state: 'Inactive' }], { kind: application }));
    expect(byName.match).toBe('new');
    expect(byName.diagnostics[0]!.message).toMatch(/held by the soft-deleted application/);
  });
});

/**
 * Matching file entries to live objects by id goes through one index per live list (src/core/match.ts `liveById`)
 * instead of a linear search per entry, which made planning quadratic. The index must find what the search found.
 */
import { describe, expect, it } from 'vitest';
import { liveById } from '../../src/core/match.js';
import type { JsonObject } from '../../src/core/types.js';

describe('liveById', () => {
  it('finds objects by lowercase id whatever the case the server wrote, the first of duplicate ids', () => {
    const live: JsonObject[] = [
      { id: 'AAAAAAAA-0000-4000-8000-000000000001', name: 'first' },
      { id: 'aaaaaaaa-0000-4000-8000-000000000001', name: 'second' },
      { id: 'bbbbbbbb-0000-4000-8000-000000000002', name: 'b' },
      { name: 'no id' },
    ];
    const index = liveById(live);
    expect(index.get('aaaaaaaa-0000-4000-8000-000000000001')?.name).toBe('first');
    expect(index.get('bbbbbbbb-0000-4000-8000-000000000002')?.name).toBe('b');
    expect(index.size).toBe(2);
  });

  it('is rebuilt when the list changed length, and is per list', () => {
    const live: JsonObject[] = [{ id: 'cccccccc-0000-4000-8000-000000000003' }];
    expect(liveById(live).has('dddddddd-0000-4000-8000-000000000004')).toBe(false);
    live.push({ id: 'dddddddd-0000-4000-8000-000000000004' });
    expect(liveById(live).has('dddddddd-0000-4000-8000-000000000004')).toBe(true);
    expect(liveById([]).size).toBe(0);
  });
});

import { describe, expect, it } from 'vitest';
import { isUuid, normaliseUuid, sameId, uuidV5 } from '../../src/core/uuid.js';

describe('uuidV5', () => {
  it('matches the RFC 4122 / Python uuid5 test vector for the DNS namespace', () => {
    expect(uuidV5('www.example.com', '6ba7b810-9dad-11d1-80b4-00c04fd430c8')).toBe('2ed6657d-e927-568b-95e1-2665a8aea6a2');
  });
  it('is stable, lowercase, version 5 and depends on both name and namespace', () => {
    const ns = '5B2A3A4E-9D0F-4C55-8A3E-0D6C3C1B7F10';
    const a = uuidV5('tenant:acme', ns);
    expect(a).toBe(uuidV5('tenant:acme', ns.toLowerCase()));
    expect(a).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(uuidV5('tenant:acme2', ns)).not.toBe(a);
    expect(uuidV5('tenant:acme', '6ba7b810-9dad-11d1-80b4-00c04fd430c8')).not.toBe(a);
  });
  it('rejects a namespace that is not a UUID', () => {
    expect(() => uuidV5('x', 'not-a-uuid')).toThrow(/namespace/);
  });
});

describe('uuid helpers', () => {
  it('compare and normalise case-insensitively', () => {
    expect(isUuid('2ED6657D-E927-568B-95E1-2665A8AEA6A2')).toBe(true);
    expect(isUuid('2ed6657d-e927-568b-95e1')).toBe(false);
    expect(normaliseUuid('2ED6657D-E927-568B-95E1-2665A8AEA6A2')).toBe('2ed6657d-e927-568b-95e1-2665a8aea6a2');
    expect(normaliseUuid('Acme')).toBe('Acme');
    expect(sameId('2ED6657D-E927-568B-95E1-2665A8AEA6A2', '2ed6657d-e927-568b-95e1-2665a8aea6a2')).toBe(true);
    expect(sameId(undefined, undefined)).toBe(false);
  });
});

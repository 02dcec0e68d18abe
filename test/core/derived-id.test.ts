import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { derivedId } from '../../src/core/match.js';
import { uuidV5 } from '../../src/core/uuid.js';

const DNS = '6ba7b810-9dad-11d1-80b4-00c04fd430c8';
const URL_NS = '6ba7b811-9dad-11d1-80b4-00c04fd430c8';

describe('uuidV5 and derivedId (remembered ids)', () => {
  it('gives the RFC 4122 version 5 ids, also when namespaces alternate', () => {
    for (let i = 0; i < 3; i++) {
      expect(uuidV5('www.example.com', DNS)).toBe('2ed6657d-e927-568b-95e1-2665a8aea6a2');
      expect(uuidV5('www.example.com', URL_NS)).not.toBe('2ed6657d-e927-568b-95e1-2665a8aea6a2');
      expect(uuidV5('www.example.com', DNS.toUpperCase())).toBe('2ed6657d-e927-568b-95e1-2665a8aea6a2');
    }
  });

  it('derivedId is uuidV5 of kind:key in the namespace, on first and repeated calls, per namespace', () => {
    fc.assert(fc.property(fc.constantFrom('tenant', 'application', 'messenger'), fc.string({ maxLength: 20 }), fc.constantFrom(DNS, URL_NS, DNS.toUpperCase()), (kind, key, ns) => {
      const expected = uuidV5(`${kind}:${key}`, ns);
      expect(derivedId(kind, key, ns)).toBe(expected);
      expect(derivedId(kind, key, ns)).toBe(expected);
    }), { numRuns: 300 });
  });

  it('stays right past the memo bound (it is emptied, not wrong)', () => {
    for (let i = 0; i < 50_010; i += 1) derivedId('application', `k${i}`, URL_NS);
    expect(derivedId('application', 'k1', URL_NS)).toBe(uuidV5('application:k1', URL_NS));
    expect(derivedId('application', 'k50009', URL_NS)).toBe(uuidV5('application:k50009', URL_NS));
  });

  it('refuses a namespace that is not a UUID, every time', () => {
    expect(() => derivedId('tenant', 'a', 'not-a-uuid')).toThrow(/namespace is not a UUID/);
    expect(() => derivedId('tenant', 'a', 'not-a-uuid')).toThrow(/namespace is not a UUID/);
  });
});

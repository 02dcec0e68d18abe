/** The three PATCH flavours (reference §1.7) as pure functions: RFC 6902, RFC 7396 and FusionAuth's original merge. */
import { afterEach, describe, expect, it } from 'vitest';
import type { Json, JsonObject } from '../../src/core/types.js';
import { mergeOver, stripNulls } from '../../src/emulator/defaults/merge.js';
import { applyJsonPatch, applyMergePatch, applyOriginalPatch, parsePointer, patchFlavour, PatchError } from '../../src/emulator/patch.js';
import { prototypeGuard } from './helpers.js';

describe('patchFlavour', () => {
  it('maps the three media types; no media type means the original flavour', () => {
    expect(patchFlavour('application/json')).toBe('original');
    expect(patchFlavour(undefined)).toBe('original');
    expect(patchFlavour('application/merge-patch+json')).toBe('merge');
    expect(patchFlavour('application/json-patch+json')).toBe('jsonPatch');
    expect(patchFlavour('text/plain')).toBeUndefined();
  });
});

describe('original FusionAuth PATCH', () => {
  it('merges objects, null removes, arrays append', () => {
    const out = applyOriginalPatch({ a: { b: 1, c: 2 }, list: [1], keep: 'x' }, { a: { b: 9, c: null }, list: [2] });
    expect(out).toEqual({ a: { b: 9 }, list: [1, 2], keep: 'x' });
  });
  it('replaces the arrays `replaced` names (@JsonMerge(OptBoolean.FALSE)), appends to the others', () => {
    const doc = { app: { grants: ['a'], urls: ['u'] } };
    const out = applyOriginalPatch(doc, { app: { grants: ['b'], urls: ['u'] } }, (p) => p === 'app.grants');
    expect(out).toEqual({ app: { grants: ['b'], urls: ['u', 'u'] } });
  });
  it('does not mutate its inputs', () => {
    const doc = { a: [1] };
    const patch = { a: [2] };
    applyOriginalPatch(doc, patch);
    expect(doc).toEqual({ a: [1] });
    expect(patch).toEqual({ a: [2] });
  });
});

describe('RFC 7396 merge patch', () => {
  it('replaces arrays, deletes on null, recurses into objects (RFC 7396 appendix A cases)', () => {
    expect(applyMergePatch({ a: 'b' }, { a: 'c' })).toEqual({ a: 'c' });
    expect(applyMergePatch({ a: 'b' }, { b: 'c' })).toEqual({ a: 'b', b: 'c' });
    expect(applyMergePatch({ a: 'b' }, { a: null })).toEqual({});
    expect(applyMergePatch({ a: ['b'] }, { a: 'c' })).toEqual({ a: 'c' });
    expect(applyMergePatch({ a: 'c' }, { a: ['b'] })).toEqual({ a: ['b'] });
    expect(applyMergePatch({ a: { b: 'c' } }, { a: { b: 'd', c: null } })).toEqual({ a: { b: 'd' } });
    expect(applyMergePatch({ a: [{ b: 'c' }] }, { a: [1] })).toEqual({ a: [1] });
    expect(applyMergePatch(['a', 'b'], ['c', 'd'])).toEqual(['c', 'd']);
    expect(applyMergePatch({ a: 'b' }, ['c'])).toEqual(['c']);
    expect(applyMergePatch({ e: null }, { a: 1 })).toEqual({ e: null, a: 1 });
    expect(applyMergePatch([1, 2], { a: 'b', c: null })).toEqual({ a: 'b' });
  });
});

describe('RFC 6902 JSON patch', () => {
  it('decodes pointer escapes ~1 and ~0', () => {
    expect(parsePointer('/a~1b/m~0n')).toEqual(['a/b', 'm~n']);
    expect(parsePointer('')).toEqual([]);
    expect(() => parsePointer('a')).toThrow(PatchError);
  });
  it('add: object member, array insert and "-" append', () => {
    expect(applyJsonPatch({ foo: 'bar' }, [{ op: 'add', path: '/baz', value: 'qux' }])).toEqual({ foo: 'bar', baz: 'qux' });
    expect(applyJsonPatch({ foo: ['bar', 'baz'] }, [{ op: 'add', path: '/foo/1', value: 'qux' }])).toEqual({ foo: ['bar', 'qux', 'baz'] });
    expect(applyJsonPatch({ foo: [1] }, [{ op: 'add', path: '/foo/-', value: 2 }])).toEqual({ foo: [1, 2] });
  });
  it('remove and replace need an existing target', () => {
    expect(applyJsonPatch({ baz: 'qux', foo: 'bar' }, [{ op: 'remove', path: '/baz' }])).toEqual({ foo: 'bar' });
    expect(applyJsonPatch({ foo: ['bar', 'qux', 'baz'] }, [{ op: 'remove', path: '/foo/1' }])).toEqual({ foo: ['bar', 'baz'] });
    expect(applyJsonPatch({ baz: 'qux' }, [{ op: 'replace', path: '/baz', value: 'boo' }])).toEqual({ baz: 'boo' });
    expect(() => applyJsonPatch({}, [{ op: 'remove', path: '/nope' }])).toThrow(PatchError);
    expect(() => applyJsonPatch({}, [{ op: 'replace', path: '/nope', value: 1 }])).toThrow(PatchError);
  });
  it('move and copy', () => {
    expect(applyJsonPatch({ foo: { bar: 'baz', waldo: 'fred' }, qux: { corge: 'grault' } }, [{ op: 'move', from: '/foo/waldo', path: '/qux/thud' }])).toEqual({
      foo: { bar: 'baz' },
      qux: { corge: 'grault', thud: 'fred' },
    });
    expect(applyJsonPatch({ foo: ['all', 'grass', 'cows', 'eat'] }, [{ op: 'move', from: '/foo/1', path: '/foo/3' }])).toEqual({ foo: ['all', 'cows', 'eat', 'grass'] });
    expect(applyJsonPatch({ a: { b: 1 } }, [{ op: 'copy', from: '/a', path: '/c' }])).toEqual({ a: { b: 1 }, c: { b: 1 } });
    expect(() => applyJsonPatch({ a: { b: 1 } }, [{ op: 'move', from: '/a', path: '/a/b/c' }])).toThrow(PatchError);
  });
  it('test compares deeply; a failed test fails the whole patch without changing the input', () => {
    const doc = { a: { b: [1, { c: 2 }] } };
    expect(applyJsonPatch(doc, [{ op: 'test', path: '/a/b', value: [1, { c: 2 }] }])).toEqual(doc);
    expect(() => applyJsonPatch(doc, [{ op: 'remove', path: '/a' }, { op: 'test', path: '/a', value: 1 }])).toThrow(PatchError);
    expect(doc).toEqual({ a: { b: [1, { c: 2 }] } });
  });
  it('rejects malformed operations and bad indexes', () => {
    expect(() => applyJsonPatch({}, { op: 'add' })).toThrow(PatchError);
    expect(() => applyJsonPatch({}, [{ op: 'frobnicate', path: '/a' }])).toThrow(PatchError);
    expect(() => applyJsonPatch({}, [{ op: 'add', path: '/a' }])).toThrow(PatchError);
    expect(() => applyJsonPatch({ a: [1] }, [{ op: 'add', path: '/a/01', value: 1 }])).toThrow(PatchError);
    expect(() => applyJsonPatch({ a: [1] }, [{ op: 'add', path: '/a/5', value: 1 }])).toThrow(PatchError);
  });
});

describe('prototype keys (__proto__, constructor, prototype) stay data in every merge', () => {
  // Built with JSON.parse, as the server builds request bodies: an object literal's `__proto__` would set a prototype.
  const body = (text: string): Json => JSON.parse(text) as Json;
  const guard = prototypeGuard();
  afterEach(() => guard.restore());
  const unpolluted = guard.assertClean;
  const protoOf = (v: Json | undefined): unknown => Object.getPrototypeOf(v);

  it('original PATCH: a __proto__ key becomes an own key, no prototype changes, also when the target already has the key', () => {
    const out = applyOriginalPatch({ tenant: { name: 'a' } }, body('{"tenant":{"__proto__":{"auth":"none"}}}')) as JsonObject;
    unpolluted();
    const tenant = out.tenant as JsonObject;
    expect(protoOf(tenant)).toBe(Object.prototype);
    expect(Object.hasOwn(tenant, '__proto__')).toBe(true);
    expect(tenant.auth).toBeUndefined();
    const again = applyOriginalPatch(out, body('{"tenant":{"__proto__":{"x":1}}}')) as JsonObject;
    unpolluted();
    expect(Object.getOwnPropertyDescriptor(again.tenant, '__proto__')?.value).toEqual({ auth: 'none', x: 1 });
  });
  it('original PATCH: constructor.prototype is not merged into Object (the key was "in" every object before)', () => {
    const out = applyOriginalPatch({ tenant: {} }, body('{"tenant":{"constructor":{"prototype":{"auth":"none"}}}}')) as JsonObject;
    unpolluted();
    expect(Object.getOwnPropertyDescriptor(out.tenant, 'constructor')?.value).toEqual({ prototype: { auth: 'none' } });
  });
  it('merge patch: same guarantees', () => {
    const out = applyMergePatch({ tenant: { name: 'a' } }, body('{"tenant":{"__proto__":{"auth":"none"},"constructor":{"prototype":{"auth":"none"}}}}')) as JsonObject;
    unpolluted();
    expect(protoOf(out.tenant)).toBe(Object.prototype);
    expect(Object.keys(out.tenant as JsonObject).sort()).toEqual(['__proto__', 'constructor', 'name']);
  });
  it('mergeOver (request body over defaults) and stripNulls: same guarantees', () => {
    const out = mergeOver({ data: {} }, body('{"data":{"__proto__":{"auth":"none"}},"constructor":{"prototype":{"auth":"none"}}}') as JsonObject);
    unpolluted();
    expect(protoOf(out)).toBe(Object.prototype);
    expect(protoOf(out.data)).toBe(Object.prototype);
    expect(Object.keys(out.data as JsonObject)).toEqual(['__proto__']);
    const stripped = stripNulls(body('{"__proto__":{"auth":"none"}}'));
    unpolluted();
    expect(protoOf(stripped)).toBe(Object.prototype);
  });
  it('JSON Patch: pointers with __proto__, constructor or prototype are refused', () => {
    for (const path of ['/tenant/__proto__/auth', '/__proto__', '/tenant/constructor/prototype/auth', '/prototype']) {
      expect(() => parsePointer(path)).toThrow(/not allowed/);
      expect(() => applyJsonPatch({ tenant: {} }, [{ op: 'add', path, value: 'none' }])).toThrow(PatchError);
      expect(() => applyJsonPatch({ tenant: {} }, [{ op: 'copy', from: path, path: '/tenant/x' }])).toThrow(PatchError);
    }
    unpolluted();
  });
  it('JSON Patch: a value holding a __proto__ key is added as data', () => {
    const out = applyJsonPatch({ tenant: {} }, body('[{"op":"add","path":"/tenant/data","value":{"__proto__":{"auth":"none"}}}]')) as JsonObject;
    unpolluted();
    expect(Object.keys((out.tenant as JsonObject).data as JsonObject)).toEqual(['__proto__']);
  });
});

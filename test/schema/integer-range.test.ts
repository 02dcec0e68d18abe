/**
 * Every integer of the schema carries its Java range (a 32-bit `int` unless FusionAuth's spec says `format: int64`),
 * and a value outside it — written, or produced by a `{{…}}` expression — is rejected with the range in the message.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  INT32_RANGE, INT64_SAFE_RANGE, componentSchemas, generateSchema, loadOpenapi, openapiPath, type SchemaObject,
} from '../../scripts/gen-schema.js';
import { loadConfig } from '../../src/config/load.js';
import { loadErrors, tmpFiles } from '../config/helpers.js';

let cachedSpec: unknown;
const theSpec = (): unknown => (cachedSpec ??= loadOpenapi(openapiPath([])));

/** Every `type: integer` node of a schema, with the path it was found at. */
function integerNodes(node: unknown, at = '', out: Array<{ at: string; node: SchemaObject }> = []): Array<{ at: string; node: SchemaObject }> {
  if (Array.isArray(node)) node.forEach((x, i) => integerNodes(x, `${at}[${i}]`, out));
  else if (node !== null && typeof node === 'object') {
    const o = node as SchemaObject;
    if (o.type === 'integer') out.push({ at, node: o });
    for (const [k, v] of Object.entries(o)) integerNodes(v, `${at}.${k}`, out);
  }
  return out;
}

const INT32_MESSAGE = (limit: 'at most 2147483647' | 'at least -2147483648', got: string) => `must be ${limit} (a 32-bit integer in FusionAuth), not ${got}`;

describe('generated integer ranges', () => {
  it('every integer of the generated schema has a minimum and a maximum, either the int or the safe long range', () => {
    const nodes = integerNodes(generateSchema(theSpec()));
    expect(nodes.length).toBeGreaterThan(40);
    for (const { at, node } of nodes) {
      const range = { minimum: node.minimum, maximum: node.maximum };
      expect([INT32_RANGE, INT64_SAFE_RANGE], at).toContainEqual(range);
    }
  });

  it('follows the spec: no format is a Java int, format int64 a long (limited to ±(2^53−1))', () => {
    const defs = generateSchema(theSpec()).definitions as Record<string, SchemaObject>;
    const intOf = (def: string, field: string) => ((defs[def]!.properties as Record<string, SchemaObject>)[field]!.anyOf as SchemaObject[])[0];
    expect(intOf('EmailConfiguration', 'port')).toEqual({ type: 'integer', ...INT32_RANGE });
    expect(intOf('JWTConfiguration', 'timeToLiveInSeconds')).toEqual({ type: 'integer', ...INT32_RANGE });
    expect(intOf('FailedAuthenticationConfiguration', 'actionDuration')).toEqual({ type: 'integer', ...INT64_SAFE_RANGE });
    // The claim the generator relies on, checked on the spec itself: the int64 ones are marked, the TTL is not.
    const spec = componentSchemas(theSpec());
    const props = (n: string) => spec[n]!.properties as Record<string, SchemaObject>;
    expect(props('FailedAuthenticationConfiguration').actionDuration).toMatchObject({ type: 'integer', format: 'int64' });
    expect(props('JWTConfiguration').timeToLiveInSeconds!.format).toBeUndefined();
    expect(spec.ZonedDateTime).toMatchObject({ type: 'integer', format: 'int64' });
  });

  it('keeps a tighter bound the spec sets and never widens the Java range with a looser one', () => {
    const spec = structuredClone(theSpec()) as { components: { schemas: Record<string, SchemaObject> } };
    const p = spec.components.schemas.EmailConfiguration!.properties as Record<string, SchemaObject>;
    p.port = { type: 'integer', minimum: 1, maximum: 65535 };
    const jwt = spec.components.schemas.JWTConfiguration!.properties as Record<string, SchemaObject>;
    jwt.timeToLiveInSeconds = { type: 'integer', minimum: -1e12, maximum: 1e12 };
    const defs = generateSchema(spec).definitions as Record<string, SchemaObject>;
    const intOf = (def: string, field: string) => ((defs[def]!.properties as Record<string, SchemaObject>)[field]!.anyOf as SchemaObject[])[0];
    expect(intOf('EmailConfiguration', 'port')).toEqual({ type: 'integer', minimum: 1, maximum: 65535 });
    expect(intOf('JWTConfiguration', 'timeToLiveInSeconds')).toEqual({ type: 'integer', ...INT32_RANGE });
  });

  it('refuses an integer format it does not know instead of guessing its range', () => {
    const spec = structuredClone(theSpec()) as { components: { schemas: Record<string, SchemaObject> } };
    (spec.components.schemas.EmailConfiguration!.properties as Record<string, SchemaObject>).port = { type: 'integer', format: 'int16' };
    expect(() => generateSchema(spec)).toThrow(/EmailConfiguration\.port has unsupported integer format int16/);
  });
});

describe('loading out-of-range integers', () => {
  const tenant = (field: string) => `tenants:\n  - key: a\n    name: A\n    emailConfiguration:\n      host: smtp.example\n      port: ${field}\n`;

  // A literal past 2^53 is refused earlier, by the parser (it would round): test/config/integers.test.ts.
  const ROUNDED = 'integer 99999999999999999999999 cannot be represented exactly (it would read as 1e+23): integers must lie within ±9007199254740991 (2^53 − 1); quote it if it is meant as text';

  it.each([
    ['99999999999999999999999', ROUNDED],
    ['1e23', INT32_MESSAGE('at most 2147483647', '1e+23')],
    ['2147483648', INT32_MESSAGE('at most 2147483647', '2147483648')],
    ['-2147483649', INT32_MESSAGE('at least -2147483648', '-2147483649')],
  ])('port: %s is rejected at its line with the range', async (value, message) => {
    const dir = tmpFiles({ 'k.yaml': tenant(value) });
    const { errors } = await loadErrors([dir]);
    expect(errors.map((d) => [d.where?.line, d.where?.path, d.message])).toEqual([[6, 'tenants[0].emailConfiguration.port', message]]);
  });

  it('the same in a JSON file', async () => {
    const dir = tmpFiles({ 'k.json': '{"tenants": [{"key": "a", "name": "A", "httpSessionMaxInactiveInterval": 99999999999999999999999}]}' });
    const { errors } = await loadErrors([dir]);
    expect(errors.map((d) => d.message)).toEqual([ROUNDED]);
    const exponent = tmpFiles({ 'k.json': '{"tenants": [{"key": "a", "name": "A", "httpSessionMaxInactiveInterval": 1e23}]}' });
    expect((await loadErrors([exponent])).errors.map((d) => d.message)).toEqual([INT32_MESSAGE('at most 2147483647', '1e+23')]);
  });

  it('accepts the bounds themselves', async () => {
    for (const v of ['2147483647', '-2147483648']) {
      const state = await loadConfig([tmpFiles({ 'k.yaml': tenant(v) })], { env: {} });
      expect(state.resources[0]!.body).toMatchObject({ emailConfiguration: { port: Number(v) } });
    }
  });

  it.each([
    ['2147483648', INT32_MESSAGE('at most 2147483647', '2147483648')],
    ['-2147483649', INT32_MESSAGE('at least -2147483648', '-2147483649')],
    ['99999999999999999999999', INT32_MESSAGE('at most 2147483647', '1e+23')],
  ])('a templated value {{X}} converting to %s is rejected too, at the field', async (x, message) => {
    // A variable, not {{env}}: a value read from the environment is a secret, and the message would mask it.
    const dir = tmpFiles({ 'k.yaml': `${tenant(`'{{X}}'`)}variables:\n  X:\n` });
    const { errors } = await loadErrors([join(dir, 'k.yaml')], { vars: { X: x } });
    expect(errors.map((d) => [d.where?.line, d.message])).toEqual([[6, message]]);
    const ok = await loadConfig([join(dir, 'k.yaml')], { vars: { X: '2147483647' } });
    expect(ok.resources[0]!.body).toMatchObject({ emailConfiguration: { port: 2147483647 } });
  });

  it('a long (format int64) takes up to 2^53−1 and no more', async () => {
    const doc = (v: string) => `tenants:\n  - key: a\n    name: A\n    failedAuthenticationConfiguration:\n      actionDuration: ${v}\n`;
    const ok = await loadConfig([tmpFiles({ 'k.yaml': doc('9007199254740991') })], { env: {} });
    expect(ok.resources[0]!.body).toMatchObject({ failedAuthenticationConfiguration: { actionDuration: 9007199254740991 } });
    // 2^53 + 1 written as a literal is refused by the parser; through a variable it reaches the schema's bound.
    const { errors } = await loadErrors([tmpFiles({ 'k.yaml': `${doc("'{{X}}'")}variables:\n  X:\n` })], { vars: { X: '9007199254740993' } });
    expect(errors.map((d) => d.message)).toEqual([
      'must be at most 9007199254740991 (a 64-bit integer in FusionAuth, kept within ±(2^53−1), the integers a JSON number carries exactly), not 9007199254740992',
    ]);
  });

  it('the range applies to integers inside lists and in every kind (a Generic messenger timeout)', async () => {
    const dir = tmpFiles({ 'k.yaml': 'messengers:\n  - key: g\n    name: G\n    type: Generic\n    url: https://x.example\n    connectTimeout: 2147483648\n    readTimeout: 1\n' });
    const { errors } = await loadErrors([dir]);
    expect(errors.map((d) => [d.where?.path, d.message])).toEqual([['messengers[0].connectTimeout', INT32_MESSAGE('at most 2147483647', '2147483648')]]);
  });
});

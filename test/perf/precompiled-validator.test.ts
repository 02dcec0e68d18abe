/**
 * The build's precompiled schema validator (dist/config/kickstand.validate.cjs, made by scripts/precompile-schema.ts)
 * must judge every document exactly as the validator compiled at run time: same verdict, same errors (keyword, path,
 * params, message, parent schema — the did-you-mean lists read it). It replaces ~300 ms of ajv compile per run.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { parseAllDocuments } from 'yaml';
import { describe, expect, it } from 'vitest';
import { SCHEMA_PATH, schemaHash, standaloneValidatorSource } from '../../src/config/schema.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const schemaText = readFileSync(SCHEMA_PATH, 'utf8');

/** Evaluate the generated CommonJS source as a module, resolving its `require`s from this repository. */
function loadSource(source: string): ValidateFunction & { schemaHash?: string } {
  const module = { exports: {} as unknown };
  const req = createRequire(import.meta.url);
  new Function('module', 'exports', 'require', source)(module, module.exports, req);
  return module.exports as ValidateFunction & { schemaHash?: string };
}

/** The reference: ajv compiling the schema with the options documented in src/config/schema.ts. */
function compiled(): ValidateFunction {
  const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (a: Ajv) => Ajv;
  const ajv = new Ajv({ allErrors: true, strict: false, verbose: true, inlineRefs: false, code: { optimize: false } });
  addFormats(ajv);
  return ajv.compile(JSON.parse(schemaText) as object);
}

/** Every document of the invalid fixtures and the examples, as plain data (what the loader validates). */
function documents(): Array<{ name: string; doc: unknown }> {
  const out: Array<{ name: string; doc: unknown }> = [];
  const dirs = [join(ROOT, 'test/fixtures/invalid'), join(ROOT, 'examples/phone-gating')];
  for (const dir of dirs) {
    for (const f of readdirSync(dir).filter((n) => /\.(ya?ml|json)$/.test(n))) {
      const text = readFileSync(join(dir, f), 'utf8');
      if (text.length > 1_000_000) continue;
      try {
        parseAllDocuments(text).forEach((d, i) => {
          if (d.errors.length === 0) out.push({ name: `${f}#${i}`, doc: d.toJS({ maxAliasCount: 100 }) });
        });
      } catch {
        // A fixture the YAML parser itself rejects (alias bombs, garbage) never reaches the schema.
      }
    }
  }
  return out;
}

describe('precompiled schema validator', () => {
  const standalone = loadSource(standaloneValidatorSource(schemaText));
  const reference = compiled();

  it('is tagged with the hash of the schema file it was compiled from', () => {
    expect(standalone.schemaHash).toBe(schemaHash(schemaText));
    expect(schemaHash(schemaText + ' ')).not.toBe(standalone.schemaHash);
  });

  it('gives the same verdict and the same errors as the run-time compiled validator on every fixture', () => {
    const docs = documents();
    expect(docs.length).toBeGreaterThan(30);
    let invalid = 0;
    for (const { name, doc } of docs) {
      const a = reference(doc);
      const b = standalone(doc);
      expect(b, name).toBe(a);
      if (!a) invalid++;
      const strip = (errs: typeof reference.errors) => (errs ?? []).map((e) => ({
        instancePath: e.instancePath, keyword: e.keyword, params: e.params, message: e.message, parentSchema: e.parentSchema, schemaPath: e.schemaPath,
      }));
      expect(strip(standalone.errors), name).toEqual(strip(reference.errors));
    }
    expect(invalid).toBeGreaterThan(5);
  });
});

/**
 * Contract checks against FusionAuth's own OpenAPI schemas (trimmed and repaired by scripts/trim-openapi.ts into
 * openapi-schemas.json beside this file). Used by the emulator's contract tests: a response body the emulator sends
 * must validate against the schema FusionAuth publishes for it.
 */
import { readFileSync } from 'node:fs';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';

// Why: ajv-formats is CommonJS; under NodeNext its default import is the module object or the function itself.
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (ajv: Ajv) => Ajv;

const SCHEMA_KEY = 'fusionauth-openapi';

let ajv: Ajv | undefined;
let definitions: Record<string, unknown> | undefined;
const cache = new Map<string, ValidateFunction>();

function load(): { ajv: Ajv; definitions: Record<string, unknown> } {
  if (!ajv || !definitions) {
    const doc = JSON.parse(readFileSync(new URL('./openapi-schemas.json', import.meta.url), 'utf8')) as { definitions: Record<string, unknown> };
    // strict: false — the document keeps OpenAPI's vocabulary loosely (x-kickstand-* annotations, no `type` beside
    // every keyword); the checks that matter (types, enums, required, formats) still run.
    ajv = new Ajv({ strict: false, allErrors: true });
    addFormats(ajv);
    ajv.addSchema(doc, SCHEMA_KEY);
    definitions = doc.definitions;
  }
  return { ajv, definitions };
}

/** One ajv error as `path: message` (path `/` for the root), with the allowed values or the extra property. */
function describeError(e: ErrorObject): string {
  const path = e.instancePath === '' ? '/' : e.instancePath;
  let msg = e.message ?? e.keyword;
  if (e.keyword === 'enum') msg += ` (${(e.params as { allowedValues: unknown[] }).allowedValues.map((v) => JSON.stringify(v)).join(', ')})`;
  if (e.keyword === 'additionalProperties') msg += ` (${(e.params as { additionalProperty: string }).additionalProperty})`;
  return `${path}: ${msg}`;
}

/**
 * Validate `body` against the OpenAPI component schema `schemaName` (e.g. `TenantResponse`, `Errors`). Returns the
 * errors as strings; an empty array means valid. Throws for a schema name that is not in the trimmed document.
 * Validators are compiled on first use and cached.
 */
export function validateAgainst(schemaName: string, body: unknown): string[] {
  const { ajv: a, definitions: defs } = load();
  let validate = cache.get(schemaName);
  if (!validate) {
    if (!Object.prototype.hasOwnProperty.call(defs, schemaName)) {
      throw new Error(`no OpenAPI schema ${schemaName} in test/contract/openapi-schemas.json (add it to ROOTS in scripts/trim-openapi.ts)`);
    }
    validate = a.compile({ $ref: `${SCHEMA_KEY}#/definitions/${schemaName}` });
    cache.set(schemaName, validate);
  }
  if (validate(body)) return [];
  return (validate.errors ?? []).map(describeError);
}

/**
 * FusionAuth's error envelope (reference §1.6): `fieldErrors` is an object keyed by field path whose values are
 * arrays of `{code, message}`, `generalErrors` an array. Codes are a prefix plus the field path (`[blank]tenant.name`)
 * unless the server passes a full code explicitly (`[invalidURL]application.oauthConfiguration.authorizedRedirectURLs`
 * for the field `application.oauthConfiguration.authorizedRedirectURLs[0]`).
 */
import type { JsonObject } from '../core/types.js';
import type { Reply } from './http.js';
import { isAbsoluteHttpUrl } from './values.js';

/** One entry of the envelope. */
export interface ErrorEntry {
  code: string;
  message: string;
}

/** Collects validation errors the way FusionAuth's validator does, then turns them into a 400 reply. */
export class Errors {
  readonly fieldErrors: Record<string, ErrorEntry[]> = {};
  readonly generalErrors: ErrorEntry[] = [];

  /** Add a field error whose code is `prefix + field` (the server's usual composition). */
  field(field: string, prefix: string, message: string): this {
    return this.fieldWithCode(field, `${prefix}${field}`, message);
  }

  /** Add a field error with an explicit full code (the server's "WithCode" validator variants). */
  fieldWithCode(field: string, code: string, message: string): this {
    (this.fieldErrors[field] ??= []).push({ code, message });
    return this;
  }

  /** Add a general (not field-bound) error. */
  general(code: string, message: string): this {
    this.generalErrors.push({ code, message });
    return this;
  }

  /** True when a field error is recorded for this exact path. */
  hasField(field: string): boolean {
    return (this.fieldErrors[field]?.length ?? 0) > 0;
  }

  /** Merge another collection into this one. */
  merge(other: Errors): this {
    for (const [k, list] of Object.entries(other.fieldErrors)) for (const e of list) this.fieldWithCode(k, e.code, e.message);
    for (const e of other.generalErrors) this.general(e.code, e.message);
    return this;
  }

  get empty(): boolean {
    return Object.keys(this.fieldErrors).length === 0 && this.generalErrors.length === 0;
  }

  /**
   * The JSON body, always with both keys: an empty `generalErrors: []` beside field errors and an empty
   * `fieldErrors: {}` beside general errors. FusionAuth serialises `com.inversoft.error.Errors`, whose two collections
   * are final and initialised (inversoft/java-error `Errors.java`), and live bodies show both: FusionAuth 1.46.0
   * (leo-technologies-llc/fusion_auth test/fusion_auth/applications_test.exs, every 400 asserted whole) and an older
   * server in fusionauth-issues#254. The docs' `[TenantIdRequired]` example (reference §1.2) shows only
   * `generalErrors`: an abridged example, not a different version. No source shows a version that omits a key, so
   * the emulator sends both for every version it reports.
   */
  toJSON(): JsonObject {
    const fe: JsonObject = {};
    for (const [k, list] of Object.entries(this.fieldErrors)) fe[k] = list.map((e) => ({ code: e.code, message: e.message }));
    return { fieldErrors: fe, generalErrors: this.generalErrors.map((e) => ({ code: e.code, message: e.message })) };
  }

  /** A 400 reply carrying these errors. */
  reply(): Reply {
    return { status: 400, body: this.toJSON() };
  }
}

/** Adds `[invalid]<field>` when a present value is not an absolute http(s) URL. */
export function checkOptionalHttpUrl(errors: Errors, value: unknown, field: string): void {
  if (value === undefined || value === null) return;
  if (!isAbsoluteHttpUrl(value)) errors.field(field, '[invalid]', `The URL [${String(value)}] must be an absolute http or https URL.`);
}

/** A 400 reply with one field error (`prefix + field`). */
export function fieldError(field: string, prefix: string, message: string): Reply {
  return new Errors().field(field, prefix, message).reply();
}

/** A 400 reply with one general error. */
export function generalError(code: string, message: string): Reply {
  return new Errors().general(code, message).reply();
}

/**
 * The reply to a request body value FusionAuth's JSON binding cannot convert (src/emulator/shape.ts): one field error
 * keyed by the property's path, code `[invalidJSON]` with no path appended, and the live 1.46.0 message shape
 * (leo-technologies-llc/fusion_auth test/fusion_auth/applications_test.exs, "update_role/4 returns a 400"). `detail`
 * stands for Jackson's exception text, which the emulator only approximates.
 */
export function invalidJson(property: string, detail: string): Reply {
  return addInvalidJson(new Errors(), property, detail).reply();
}

/**
 * Add the `[invalidJSON]` field error of `invalidJson` to a collection: for a module that reports a value its JSON
 * binding cannot convert beside the errors it collects (the User API's typed fields, the user search criteria).
 */
export function addInvalidJson(e: Errors, property: string, detail: string): Errors {
  return e.fieldWithCode(
    property,
    '[invalidJSON]',
    `Invalid JSON in the request body. The property was [${property}]. The error was [Possible conversion error]. The detailed exception was [${detail}].`,
  );
}

/** The documented `[TenantIdRequired]` error (reference §1.2, [SITE:docs/apis/_tenant-authentication.mdx]). */
export function tenantIdRequired(): Reply {
  return generalError(
    '[TenantIdRequired]',
    'A Tenant Id is required to complete this request. To complete this request, you may assign a Tenant to your API key, or add the X-FusionAuth-TenantId HTTP request header with the Tenant Id.',
  );
}

/** Replies with FusionAuth's empty-body statuses (reference §1.5): 401, 404, 405, 500 have no body. */
export const EMPTY = {
  unauthorized: (): Reply => ({ status: 401 }),
  notFound: (): Reply => ({ status: 404 }),
  methodNotAllowed: (): Reply => ({ status: 405 }),
  ok: (): Reply => ({ status: 200 }),
} as const;

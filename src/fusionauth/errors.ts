/**
 * Typed errors of the FusionAuth client. Both extend `UserError` so the CLI prints them as diagnostics without a
 * stack: a refusal or an unreachable server is about the user's input or environment, not a bug in kickstand.
 *
 * What these errors never carry: the API key, request bodies, response bodies. The server's field error `message`s
 * may echo submitted values (a Twilio token, a client secret), so they are kept only on `errors` / `fieldErrors()`,
 * never in `message`; whoever prints them must pass them through the run's `Masker` (src/core/mask.ts).
 */
import { UserError } from '../core/errors.js';
import type { Json, JsonObject } from '../core/types.js';
import type { FusionAuthErrorEntry, FusionAuthErrors } from './types.js';

/** One field error of FusionAuth's envelope, flattened. */
export interface FieldError {
  /** Dotted field path as FusionAuth names it, e.g. `tenant.phoneConfiguration.messengerId`. */
  field: string;
  /** FusionAuth's code, e.g. `[blank]tenant.name`. Codes are stable; key on them, not on messages. */
  code: string;
  /** The server's human message. May echo submitted values: mask before printing. */
  message: string;
  data?: JsonObject;
}

/** What the client was doing when an error happened. */
interface RequestContext {
  method: string;
  path: string;
  /** True when the last failure was retryable but the attempt or time budget ran out. */
  retriesExhausted?: boolean;
  /** How many attempts were made. */
  attempts?: number;
  cause?: unknown;
}

/** FusionAuth answered with a non-2xx status (after retries, where the status was retryable), or a 2xx it could not parse. */
export class ApiError extends UserError {
  readonly status: number;
  readonly method: string;
  readonly path: string;
  /** FusionAuth's error envelope, normalised so that `fieldErrors` is always an object keyed by field path. */
  readonly errors?: FusionAuthErrors;
  readonly retriesExhausted: boolean;
  readonly attempts: number;

  constructor(message: string, status: number, ctx: RequestContext & { errors?: FusionAuthErrors }) {
    super(message, ctx.cause === undefined ? undefined : { cause: ctx.cause });
    this.name = 'ApiError';
    this.status = status;
    this.method = ctx.method;
    this.path = ctx.path;
    if (ctx.errors) this.errors = ctx.errors;
    this.retriesExhausted = ctx.retriesExhausted ?? false;
    this.attempts = ctx.attempts ?? 1;
  }

  /**
   * The field errors flattened, in the server's order: `[{ field: 'tenant.name', code: '[blank]tenant.name', message }]`.
   * `message` may echo a submitted secret: mask it before printing.
   */
  fieldErrors(): FieldError[] {
    const out: FieldError[] = [];
    for (const [field, entries] of Object.entries(this.errors?.fieldErrors ?? {})) {
      for (const e of entries) out.push({ field, code: e.code, message: e.message, ...(e.data ? { data: e.data } : {}) });
    }
    return out;
  }

  /** The general (not field-specific) errors, e.g. `[TenantIdRequired]`. */
  generalErrors(): FusionAuthErrorEntry[] {
    return this.errors?.generalErrors ?? [];
  }

  /** True when any field or general error has a code starting with this prefix, e.g. `[duplicate]`. */
  hasCode(predicate: (code: string) => boolean): boolean {
    return this.fieldErrors().some((e) => predicate(e.code)) || this.generalErrors().some((e) => predicate(e.code));
  }
}

/**
 * No usable HTTP response: connection refused or reset, DNS failure, timeout, TLS verification failure — or the
 * request was refused locally (plain http to a non-loopback host). `code` is Node's error code when there is one
 * (`ECONNREFUSED`, `ETIMEDOUT`, `DEPTH_ZERO_SELF_SIGNED_CERT`, …), `HTTP_REFUSED` for the local refusal.
 */
export class ConnectionError extends UserError {
  readonly code: string;
  readonly method: string;
  readonly path: string;
  readonly retriesExhausted: boolean;
  readonly attempts: number;

  constructor(message: string, code: string, ctx: RequestContext) {
    super(message, ctx.cause === undefined ? undefined : { cause: ctx.cause });
    this.name = 'ConnectionError';
    this.code = code;
    this.method = ctx.method;
    this.path = ctx.path;
    this.retriesExhausted = ctx.retriesExhausted ?? false;
    this.attempts = ctx.attempts ?? 1;
  }
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function toEntry(v: unknown): FusionAuthErrorEntry | undefined {
  if (!isObject(v) || typeof v.code !== 'string') return undefined;
  const entry: FusionAuthErrorEntry = { code: v.code, message: typeof v.message === 'string' ? v.message : '' };
  if (isObject(v.data)) entry.data = v.data as JsonObject;
  return entry;
}

/** `[blank]tenant.name` → `tenant.name`: the server composes codes as prefix + field path (reference §1.6). */
function fieldFromCode(code: string): string {
  const m = /^\[[^\]]*\](.*)$/.exec(code);
  return m?.[1] ?? code;
}

/**
 * Read FusionAuth's error envelope from a parsed response body; undefined when the body is not one.
 * `fieldErrors` is an object keyed by field path on the wire (reference §1.6); the OpenAPI file says array
 * (reference §11.1), so an array is tolerated too and regrouped by the field path inside each code.
 */
export function parseErrorEnvelope(body: Json | undefined): FusionAuthErrors | undefined {
  if (!isObject(body)) return undefined;
  const { fieldErrors, generalErrors } = body;
  if (fieldErrors === undefined && generalErrors === undefined) return undefined;
  const out: FusionAuthErrors = {};
  if (Array.isArray(fieldErrors)) {
    const grouped: Record<string, FusionAuthErrorEntry[]> = {};
    for (const raw of fieldErrors) {
      const e = toEntry(raw);
      if (!e) continue;
      const field = isObject(raw) && typeof raw.field === 'string' ? raw.field : fieldFromCode(e.code);
      (grouped[field] ??= []).push(e);
    }
    out.fieldErrors = grouped;
  } else if (isObject(fieldErrors)) {
    const grouped: Record<string, FusionAuthErrorEntry[]> = {};
    for (const [field, list] of Object.entries(fieldErrors)) {
      const entries = (Array.isArray(list) ? list : [list]).map(toEntry).filter((e): e is FusionAuthErrorEntry => !!e);
      if (entries.length > 0) grouped[field] = entries;
    }
    out.fieldErrors = grouped;
  }
  if (Array.isArray(generalErrors)) {
    out.generalErrors = generalErrors.map(toEntry).filter((e): e is FusionAuthErrorEntry => !!e);
  }
  return out;
}

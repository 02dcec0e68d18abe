/**
 * The one HTTP client interface kickstand uses to talk to FusionAuth. The implementation (client.ts) is the
 * only module that imports `got`; kinds, the planner and apply receive an `ApiClient` as a parameter.
 */
import type { Json, JsonObject } from '../core/types.js';

/** HTTP methods kickstand sends. */
export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** One request to the FusionAuth API. */
export interface ApiRequest {
  method: HttpMethod;
  /** Path below the server URL, e.g. `/api/tenant/0b8e…`. */
  path: string;
  query?: Record<string, string>;
  body?: Json;
  /** Sent as `X-FusionAuth-TenantId`. */
  tenantId?: string;
  /** Defaults to `application/json` when a body is present. */
  contentType?: 'application/json' | 'application/merge-patch+json' | 'application/json-patch+json';
  /**
   * Set on a POST that creates an object with a client-chosen id (the kind's API knows; the URL's shape does not): it
   * may be retried, and a retry answered with `[duplicate]…Id` means an earlier attempt succeeded. The object is then
   * read back from `readBack` when given, else the create counts as done.
   */
  idempotentCreate?: { readBack?: string };
  /** Send it once, whatever the failure: for a probe that runs its own loop (`waitForServer`). */
  noRetry?: boolean;
}

/** A successful response (2xx). `body` is the parsed JSON, or undefined for an empty body. */
export interface ApiResponse<T = JsonObject> {
  status: number;
  body: T | undefined;
}

/** The client. Every method throws `ApiError` (errors.ts) on a non-2xx status after retries are exhausted. */
export interface ApiClient {
  /** Server base URL without credentials, for display. */
  readonly baseUrl: string;
  request<T = JsonObject>(req: ApiRequest): Promise<ApiResponse<T>>;
}

/** One entry of FusionAuth's error envelope. */
export interface FusionAuthErrorEntry {
  code: string;
  message: string;
  data?: JsonObject;
}

/** FusionAuth's error envelope: `fieldErrors` is an object keyed by field path (the OpenAPI file wrongly says array). */
export interface FusionAuthErrors {
  fieldErrors?: Record<string, FusionAuthErrorEntry[]>;
  generalErrors?: FusionAuthErrorEntry[];
}

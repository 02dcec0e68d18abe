/**
 * The emulator's own endpoints under `/_emulator/…`. They are NOT part of FusionAuth's API: they let tests and users
 * inspect and steer a running emulator (`kickstand emulator`) over HTTP. They need the API key and are not logged.
 *
 * - `GET /_emulator/requests` → `{"requests": [...]}` (the request log); `DELETE /_emulator/requests` clears it.
 * - `POST /_emulator/reset` → back to the boot state (same Default tenant id), log cleared.
 * - `PUT /_emulator/license` `{"licensed": bool}`.
 * - `PUT /_emulator/faults` `{"rate": 0.1, "seed": 1, "kinds": ["503"], "retryAfterSeconds": 1}`; `{}` or `{"rate":0}` turns faults off.
 * - `PUT /_emulator/latency` `{"ms": 50, "jitterMs": 10}`.
 */
import type { Json } from '../../core/types.js';
import { generalError } from '../errors.js';
import type { FaultKind, FaultOptions } from '../faults.js';
import type { RouteModule } from '../http.js';
import { isObject } from '../values.js';

/** The controls the admin endpoints act on (implemented by the running emulator). */
export interface EmulatorControls {
  requests(): Json;
  clearLog(): void;
  reset(): void;
  setLicensed(v: boolean): void;
  setFaults(f: FaultOptions | undefined): void;
  setLatency(ms: number, jitterMs?: number): void;
}

/** Build the `/_emulator` module for a running emulator. */
export function emulatorAdminRoutes(c: EmulatorControls): RouteModule {
  return {
    name: '_emulator',
    routes: [
      { method: 'GET', path: '/_emulator/requests', handle: () => ({ status: 200, body: { requests: c.requests() } }) },
      { method: 'DELETE', path: '/_emulator/requests', handle: () => (c.clearLog(), { status: 200 }) },
      { method: 'POST', path: '/_emulator/reset', handle: () => (c.reset(), { status: 200 }) },
      {
        method: 'PUT',
        path: '/_emulator/license',
        handle: (req) => {
          if (!isObject(req.body) || typeof req.body.licensed !== 'boolean') return generalError('[invalid]', 'Send {"licensed": true|false}.');
          c.setLicensed(req.body.licensed);
          return { status: 200 };
        },
      },
      {
        method: 'PUT',
        path: '/_emulator/faults',
        handle: (req) => {
          const b = isObject(req.body) ? req.body : {};
          if (b.rate === undefined || b.rate === 0) {
            c.setFaults(undefined);
            return { status: 200 };
          }
          try {
            const f: FaultOptions = { rate: Number(b.rate) };
            if (typeof b.seed === 'number') f.seed = b.seed;
            if (Array.isArray(b.kinds)) f.kinds = b.kinds.map(String) as FaultKind[];
            if (typeof b.retryAfterSeconds === 'number') f.retryAfterSeconds = b.retryAfterSeconds;
            c.setFaults(f);
          } catch (e) {
            return generalError('[invalid]', (e as Error).message);
          }
          return { status: 200 };
        },
      },
      {
        method: 'PUT',
        path: '/_emulator/latency',
        handle: (req) => {
          const b = isObject(req.body) ? req.body : {};
          c.setLatency(Number(b.ms ?? 0), Number(b.jitterMs ?? 0));
          return { status: 200 };
        },
      },
    ],
  };
}

/**
 * Helpers shared by the resource modules: request envelopes, path ids, PATCH dispatch, replies, URL checks.
 */
import type { Json, JsonObject } from '../../core/types.js';
import { Errors } from '../errors.js';
import { applyJsonPatch, applyMergePatch, applyOriginalPatch, patchFlavour, PatchError } from '../patch.js';
import type { EmulatorRequest, Reply, RouteModule } from '../http.js';
import type { EmulatorState } from '../state.js';
import { copy, isObject, isUuid } from '../values.js';

export { checkOptionalHttpUrl } from '../errors.js';
export { at, blank, isAbsoluteHttpUrl, isEmailAddress, sameName, without } from '../values.js';

/** The object inside the request envelope (`{"tenant": {...}}`), or a 400 `[missing]<singular>`. */
export function unwrap(req: EmulatorRequest, singular: string): { obj: JsonObject } | { reply: Reply } {
  const inner = isObject(req.body) ? req.body[singular] : undefined;
  if (!isObject(inner)) {
    return { reply: new Errors().field(singular, '[missing]', `Your request is missing the ${singular} object.`).reply() };
  }
  return { obj: copy(inner) };
}

/**
 * The id from the path, lowercased. A value that is not a UUID cannot be converted to the id parameter: 400
 * `[couldNotConvert]<name>` (the code FusionAuth's web framework gives URL segments that fail type conversion).
 */
export function pathId(req: EmulatorRequest, param: string, fieldName: string): { id: string } | { reply: Reply } {
  const v = req.params[param];
  if (v === undefined) return { reply: { status: 404 } };
  if (!isUuid(v)) return { reply: new Errors().field(fieldName, '[couldNotConvert]', `Invalid ${fieldName} [${v}]. It must be a UUID.`).reply() };
  return { id: v.toLowerCase() };
}

/** A 200 reply wrapping one object in its envelope. */
export function one(singular: string, obj: JsonObject): Reply {
  return { status: 200, body: { [singular]: copy(obj) } };
}

/**
 * A 200 reply wrapping a list in its envelope. The stored objects themselves, not copies: a reply body is only ever
 * serialised by the server (`JSON.stringify` in server.ts `send`, which does not mutate), and copying every object of
 * a large list first doubled the time to serve it (4,800 applications: ~270 → ~70 ms of CPU).
 */
export function many(plural: string, list: JsonObject[]): Reply {
  return { status: 200, body: { [plural]: list } };
}

/**
 * Apply a PATCH request to a stored object. The patch operates on the request envelope `{singular: stored}`; the
 * result's inner object is returned for full validation (reference §1.7). Errors: a media type FusionAuth does not
 * take for PATCH, or an inapplicable patch → 400 `[invalidJSON]` (the code FusionAuth uses for request bodies it
 * cannot bind).
 */
export function patched(req: EmulatorRequest, singular: string, stored: JsonObject, setPaths: readonly string[] = []): { obj: JsonObject } | { reply: Reply } {
  const flavour = patchFlavour(req.contentType);
  const invalid = (msg: string): { reply: Reply } => ({ reply: new Errors().general('[invalidJSON]', msg).reply() });
  if (!flavour) return invalid(`PATCH does not accept the content type [${req.contentType}]. Use application/json, application/merge-patch+json or application/json-patch+json.`);
  if (req.body === undefined) return invalid('The PATCH request has no body.');
  const doc: JsonObject = { [singular]: copy(stored) };
  let result: Json;
  try {
    if (flavour === 'original') {
      if (!isObject(req.body)) return invalid('The PATCH body must be a JSON object.');
      result = applyOriginalPatch(doc, req.body, new Set(setPaths.map((p) => `${singular}.${p}`)));
    } else if (flavour === 'merge') {
      result = applyMergePatch(doc, req.body);
    } else {
      result = applyJsonPatch(doc, req.body);
    }
  } catch (e) {
    if (e instanceof PatchError) return invalid(`Unable to apply the patch: ${e.message}`);
    throw e;
  }
  const inner = isObject(result) ? result[singular] : undefined;
  if (!isObject(inner)) return { reply: new Errors().field(singular, '[missing]', `The patch removed the ${singular} object.`).reply() };
  return { obj: inner };
}

/** The handlers of a global (not tenant-scoped) kind, for `globalKindRoutes`. */
export interface GlobalKindHandlers {
  create(req: EmulatorRequest, state: EmulatorState): Reply;
  update(req: EmulatorRequest, state: EmulatorState, mode: 'put' | 'patch'): Reply;
  remove(req: EmulatorRequest, state: EmulatorState): Reply;
}

/**
 * The endpoints of a kind that lives outside tenants (messengers, message templates): create with or without a
 * client id, retrieve all, retrieve one, PUT, PATCH, DELETE on `${path}[/:id]`.
 */
export function globalKindRoutes(
  name: string,
  path: string,
  kind: { singular: string; plural: string; collection: string; idField: string },
  h: GlobalKindHandlers,
): RouteModule {
  return {
    name,
    routes: [
      { method: 'POST', path, handle: h.create },
      { method: 'POST', path: `${path}/:id`, handle: h.create },
      { method: 'GET', path, handle: (_r, s) => many(kind.plural, s.store.list(kind.collection)) },
      {
        method: 'GET',
        path: `${path}/:id`,
        handle: (req, s) => {
          const p = pathId(req, 'id', kind.idField);
          if ('reply' in p) return p.reply;
          const o = s.store.get(kind.collection, p.id);
          return o ? one(kind.singular, copy(o)) : { status: 404 };
        },
      },
      { method: 'PUT', path: `${path}/:id`, handle: (r, s) => h.update(r, s, 'put') },
      { method: 'PATCH', path: `${path}/:id`, handle: (r, s) => h.update(r, s, 'patch') },
      { method: 'DELETE', path: `${path}/:id`, handle: h.remove },
    ],
  };
}

/**
 * Message templates: `/api/message/template[/{id}]` (reference §3). Validation follows FusionAuth's decompiled
 * `DefaultMessageTemplateService`: name not blank, ≤ 191 characters and unique (`[duplicate]messageTemplate.name`),
 * `[duplicate]messageTemplateId`, and a template referenced by a tenant or application cannot be deleted
 * (`[inUse]messageTemplateId`).
 */
import type { JsonObject } from '../../core/types.js';
import { fillMessageTemplate } from '../defaults.js';
import { Errors } from '../errors.js';
import type { EmulatorRequest, Reply, RouteModule } from '../http.js';
import { col, type EmulatorState } from '../state.js';
import { at, blank, globalKindRoutes, one, patched, pathId, sameName, unwrap, without } from './common.js';

const SERVER_OWNED = ['id', 'insertInstant', 'lastUpdateInstant'] as const;
/** `MessageType` ([TS]/[OAS]): Voice since 1.65.0. */
const TYPES = ['SMS', 'Voice'] as const;
/** `MapperTools.MaximumIndexedColumnLength` (the decompiled maxLength on the name); 191 = utf8mb4 index limit. */
const MAX_NAME = 191;

/** Tenant template-id fields (the decompiled `TenantService.PhoneTemplateIdFieldNames` plus MFA). */
export const TENANT_PHONE_TEMPLATE_FIELDS = [
  'adminTwoFactorMethodRemoveTemplateId', 'forgotPasswordTemplateId', 'identityUpdateTemplateId', 'loginIdInUseOnCreateTemplateId',
  'loginIdInUseOnUpdateTemplateId', 'loginNewDeviceTemplateId', 'loginSuspiciousTemplateId', 'passwordlessTemplateId',
  'passwordResetSuccessTemplateId', 'passwordUpdateTemplateId', 'setPasswordTemplateId', 'twoFactorMethodAddTemplateId',
  'twoFactorMethodRemoveTemplateId', 'verificationCompleteTemplateId', 'verificationTemplateId',
] as const;

/** Application template-id overrides (`ApplicationService.PhoneTemplateIdFieldNames`, reference §5.5). */
export const APPLICATION_PHONE_TEMPLATE_FIELDS = [
  'forgotPasswordTemplateId', 'identityUpdateTemplateId', 'loginIdInUseOnCreateTemplateId', 'loginIdInUseOnUpdateTemplateId',
  'loginNewDeviceTemplateId', 'loginSuspiciousTemplateId', 'passwordlessTemplateId', 'passwordResetSuccessTemplateId',
  'passwordUpdateTemplateId', 'setPasswordTemplateId', 'twoFactorMethodAddTemplateId', 'twoFactorMethodRemoveTemplateId',
  'verificationCompleteTemplateId', 'verificationTemplateId',
] as const;

function validate(state: EmulatorState, t: JsonObject, selfId: string | undefined): Errors {
  const e = new Errors();
  if (blank(t.name)) e.field('messageTemplate.name', '[blank]', 'The message template name is required.');
  else if ((t.name as string).length > MAX_NAME) e.field('messageTemplate.name', '[tooLong]', `The name must be at most ${MAX_NAME} characters.`);
  else if (state.store.list(col('messageTemplate')).some((o) => sameName(o.name, t.name) && String(o.id) !== selfId)) {
    e.field('messageTemplate.name', '[duplicate]', `A message template with the name [${String(t.name)}] already exists.`);
  }
  // defaultTemplate is documented as required ([SITE:docs/apis/_message-template-request-body.mdx], reference §3).
  if (blank(t.defaultTemplate)) e.field('messageTemplate.defaultTemplate', '[blank]', 'The default template text is required.');
  return e;
}

/** The polymorphic `type` picks the class; a missing or unknown one cannot be bound (`[invalidJSON]`). */
function typeError(t: JsonObject): Reply | undefined {
  if (typeof t.type === 'string' && (TYPES as readonly string[]).includes(t.type)) return undefined;
  return new Errors()
    .fieldWithCode('messageTemplate.type', '[invalidJSON]', `Unable to parse JSON. The property [messageTemplate.type] is invalid: expected one of ${TYPES.join(', ')}.`)
    .reply();
}

function create(req: EmulatorRequest, state: EmulatorState): Reply {
  let id: string | undefined;
  if (req.params.id !== undefined) {
    const p = pathId(req, 'id', 'messageTemplateId');
    if ('reply' in p) return p.reply;
    id = p.id;
  }
  const u = unwrap(req, 'messageTemplate');
  if ('reply' in u) return u.reply;
  const bad = typeError(u.obj);
  if (bad) return bad;
  const t = fillMessageTemplate(without(u.obj, SERVER_OWNED), state.defaultsContext());
  const e = validate(state, t, id);
  if (id && state.store.get(col('messageTemplate'), id)) e.field('messageTemplateId', '[duplicate]', `A message template with the Id [${id}] already exists.`);
  if (!e.empty) return e.reply();
  const now = state.now();
  const stored: JsonObject = { ...t, id: id ?? state.newId(), insertInstant: now, lastUpdateInstant: now };
  state.store.put(col('messageTemplate'), stored);
  return one('messageTemplate', stored);
}

function update(req: EmulatorRequest, state: EmulatorState, mode: 'put' | 'patch'): Reply {
  const p = pathId(req, 'id', 'messageTemplateId');
  if ('reply' in p) return p.reply;
  const existing = state.store.get(col('messageTemplate'), p.id);
  if (!existing) return { status: 404 };
  const body = mode === 'put' ? unwrap(req, 'messageTemplate') : patched(req, 'messageTemplate', existing);
  if ('reply' in body) return body.reply;
  // The concrete class (type) comes from the stored object; like a messenger's, it is not mutable.
  const t = fillMessageTemplate({ ...without(body.obj, SERVER_OWNED), type: existing.type as string }, state.defaultsContext());
  const e = validate(state, t, p.id);
  if (!e.empty) return e.reply();
  const stored: JsonObject = { ...t, id: existing.id as string, insertInstant: existing.insertInstant as number, lastUpdateInstant: state.now() };
  state.store.put(col('messageTemplate'), stored);
  return one('messageTemplate', stored);
}

/** Where a template is referenced: `tenant.<field>` / `application.<field>` paths with the holder's id. */
function usages(state: EmulatorState, id: string): string[] {
  const out: string[] = [];
  const check = (holder: JsonObject, kind: string, paths: string[]): void => {
    for (const path of paths) {
      const v = at(holder, path);
      if (typeof v === 'string' && v.toLowerCase() === id) out.push(`${kind} [${String(holder.name)}] with Id [${String(holder.id)}] assigned to [${kind}.${path}]`);
    }
  };
  const mfa = ['multiFactorConfiguration.sms.templateId', 'multiFactorConfiguration.voice.templateId'];
  for (const a of state.store.list(col('application'))) check(a, 'application', [...APPLICATION_PHONE_TEMPLATE_FIELDS.map((f) => `phoneConfiguration.${f}`), ...mfa]);
  for (const t of state.store.list(col('tenant'))) check(t, 'tenant', [...TENANT_PHONE_TEMPLATE_FIELDS.map((f) => `phoneConfiguration.${f}`), ...mfa]);
  return out;
}

function remove(req: EmulatorRequest, state: EmulatorState): Reply {
  const p = pathId(req, 'id', 'messageTemplateId');
  if ('reply' in p) return p.reply;
  if (!state.store.get(col('messageTemplate'), p.id)) return { status: 404 };
  const used = usages(state, p.id);
  if (used.length > 0) {
    const e = new Errors();
    for (const u of used) e.field('messageTemplateId', '[inUse]', `The message template is in use: ${u}.`);
    return e.reply();
  }
  state.store.delete(col('messageTemplate'), p.id);
  return { status: 200 };
}

/** The message template endpoints (reference §3). */
export const messageTemplateRoutes: RouteModule = globalKindRoutes('messageTemplate', '/api/message/template', {
  singular: 'messageTemplate', plural: 'messageTemplates', collection: col('messageTemplate'), idField: 'messageTemplateId',
}, { create, update, remove });

/**
 * Lambdas: `/api/lambda[/{id}]`, `GET /api/lambda?type=X` (reference §7). Behaviour follows FusionAuth's decompiled
 * `LambdaAction` and `DefaultLambdaService` ([DEC-LAMBDA]):
 * - `type` is required on create (`[missing]lambda.type`) and never changes: an update stores the type it finds
 *   (`update(existing, lambda) { lambda.type = existing.type; … }`), whatever the request says;
 * - `valid(GraalJS == engineType, "lambda.engineType")`: Nashorn, still in the enum, is refused (removed in 1.49.0);
 * - `notBlank` body and name (the common name rule; names need not be unique); the body is compiled, and must define the function its type
 *   invokes (`[functionMissing]lambda.body`; a body that does not compile is `[invalid]lambda.body`);
 * - a lambda a tenant or an application names cannot be deleted (`[inUse]lambdaId`, refs.ts).
 */
import { Script } from 'node:vm';
import type { Json } from '../../core/types.js';
import type { Call, KindSpec, Write } from '../crud.js';
import { fillLambda } from '../defaults/lambda.js';
import { Errors } from '../errors.js';
import type { Reply } from '../http.js';
import { blank } from '../values.js';

/**
 * Each lambda type (OpenAPI 1.69 `LambdaType`) and the function FusionAuth invokes for it (fusionauth-java-client
 * `LambdaType`'s `functionName`; LoginValidation's `validate` and MFARequirement's `checkRequired` from their docs pages).
 */
const FUNCTION_OF: Readonly<Record<string, string>> = {
  JWTPopulate: 'populate', OpenIDReconcile: 'reconcile', SAMLv2Reconcile: 'reconcile', SAMLv2Populate: 'populate',
  AppleReconcile: 'reconcile', ExternalJWTReconcile: 'reconcile', FacebookReconcile: 'reconcile', GoogleReconcile: 'reconcile',
  HYPRReconcile: 'reconcile', TwitterReconcile: 'reconcile', LDAPConnectorReconcile: 'reconcile', LinkedInReconcile: 'reconcile',
  EpicGamesReconcile: 'reconcile', NintendoReconcile: 'reconcile', SonyPSNReconcile: 'reconcile', SteamReconcile: 'reconcile',
  TwitchReconcile: 'reconcile', XboxReconcile: 'reconcile', ClientCredentialsJWTPopulate: 'populate',
  SCIMServerGroupRequestConverter: 'convert', SCIMServerGroupResponseConverter: 'convert', SCIMServerUserRequestConverter: 'convert',
  SCIMServerUserResponseConverter: 'convert', SelfServiceRegistrationValidation: 'validate', UserInfoPopulate: 'populate',
  LoginValidation: 'validate', MFARequirement: 'checkRequired',
};
const TYPES = Object.keys(FUNCTION_OF);
/** OpenAPI `LambdaEngineType`. */
const ENGINES = ['GraalJS', 'Nashorn'];

/** The compile error of a body, or undefined when it compiles (compiled only, never run). */
function compileError(body: string): string | undefined {
  try {
    new Script(body, { filename: 'lambda.js' });
    return undefined;
  } catch (err) {
    return (err as Error).message;
  }
}

/**
 * Whether the body declares the function at its top level (`function name(`, or a function assigned with `var`,
 * `let` or `const`): the name FusionAuth looks up when it invokes the lambda.
 */
function declares(body: string, name: string): boolean {
  return body.split('\n').some((line) => {
    const l = line.trimStart();
    return l.startsWith(`function ${name}(`) || l.startsWith(`function ${name} (`) || l.startsWith(`async function ${name}(`)
      || new RegExp(`^(?:var|let|const)\\s+${name}\\s*=`).test(l);
  });
}

function validate(w: Write, e: Errors): void {
  const l = w.obj;
  if (w.mode === 'create' && (l.type === undefined || l.type === null)) e.field('lambda.type', '[missing]', 'The lambda type is required.');
  if (l.engineType !== 'GraalJS') e.field('lambda.engineType', '[invalid]', `The engine [${String(l.engineType)}] is not available; use [GraalJS].`);
  if (blank(l.body)) e.field('lambda.body', '[blank]', 'The lambda body is required.');
  if (typeof l.body !== 'string' || blank(l.body)) return;
  const error = compileError(l.body);
  if (error !== undefined) {
    e.field('lambda.body', '[invalid]', `The lambda body does not compile: ${error.replace(/\n/g, '\\n')}`);
    return;
  }
  const fn = typeof l.type === 'string' ? FUNCTION_OF[l.type] : undefined;
  if (fn !== undefined && !declares(l.body, fn)) e.fieldWithCode('lambda.body', '[functionMissing]lambda.body', `A ${String(l.type)} lambda must define the function [${fn}].`);
}

/** `GET /api/lambda?type=X`: a value that is not a lambda type cannot be converted (Prime MVC's parameter binding). */
function guardList(c: Call): Reply | undefined {
  const type = c.req.query.get('type');
  if (type === null || TYPES.includes(type)) return undefined;
  return new Errors().field('type', '[couldNotConvert]', `Invalid type [${type}].`).reply();
}

/** The lambda kind (reference §7). */
export const lambda: KindSpec = {
  kind: 'lambda',
  scope: 'global',
  // `enabled` is `@JsonIgnore`: never bound from a request, never in a response.
  serverOwned: ['id', 'insertInstant', 'lastUpdateInstant', 'enabled'],
  bind: [
    { path: 'type', accepts: (v: Json) => typeof v === 'string' && TYPES.includes(v), expected: `a lambda type (${TYPES.join(', ')})` },
    { path: 'engineType', accepts: (v: Json) => typeof v === 'string' && ENGINES.includes(v), expected: `one of ${ENGINES.join(', ')}` },
  ],
  // Blank names are refused; duplicates are allowed (the service checks none).
  name: {},
  keep: ['type'],
  fill: fillLambda,
  validate,
  guardList,
  listFilter: (c, obj) => {
    const type = c.req.query.get('type');
    return type === null || obj.type === type;
  },
  // No boot objects: a fresh instance has no lambdas. The `[FusionAuth Default] …` reconcile, SCIM and MFA lambdas come
  // from the setup wizard, like the email templates (kinds/emailTemplate.ts has the evidence): `DefaultSetupService._setup`
  // and the upgrade migrations call `SystemDefaultsSingleton.set`, the bootstrap and Kickstart do not; DUMP-1.60 has no
  // schema-time lambda row and `DefaultResetService.reset` deletes every lambda (`deleteLambdas`).
};

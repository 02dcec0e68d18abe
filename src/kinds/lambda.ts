/**
 * Lambdas (reference §7): a JavaScript function FusionAuth calls at a given point (`type`), usually read from a file
 * with `{{file}}`. Tenants, applications and identity providers refer to them (`lambdaConfiguration.*Id`, …).
 *
 * Rules, from FusionAuth's decompiled `DefaultLambdaService` ([DEC-LAMBDA]): `type` is required on create and never
 * changes (an update keeps the stored type); `name` and `body` must not be blank; the body must define the function its
 * type calls (`[functionMissing]lambda.body`); servers from 1.49.0 on accept only the GraalJS engine (Nashorn was removed,
 * `_lambda-engine-options.mdx`). Names need not be unique (the service checks none).
 */
import type { PlanContext, RuleViolation } from '../core/kind.js';
import { olderThan } from '../core/preflight.js';
import type { Change, Diagnostic, Json, JsonObject } from '../core/types.js';
import { WIRE } from '../fusionauth/wire.js';
import { restCollection } from './api.js';
import { defineKind } from './define.js';

/**
 * The function each lambda type must define: FusionAuth's `LambdaType` enum (fusionauth-java-client, with the names of
 * OpenAPI 1.69's `LambdaType`) pairs each type with the function it invokes; LoginValidation and MFARequirement are
 * from their docs pages (`extend/code/lambdas/login-validation.mdx`, `mfa-requirement.mdx`).
 */
export const LAMBDA_FUNCTIONS: Readonly<Record<string, string>> = {
  JWTPopulate: 'populate', OpenIDReconcile: 'reconcile', SAMLv2Reconcile: 'reconcile', SAMLv2Populate: 'populate',
  AppleReconcile: 'reconcile', ExternalJWTReconcile: 'reconcile', FacebookReconcile: 'reconcile', GoogleReconcile: 'reconcile',
  HYPRReconcile: 'reconcile', TwitterReconcile: 'reconcile', LDAPConnectorReconcile: 'reconcile', LinkedInReconcile: 'reconcile',
  EpicGamesReconcile: 'reconcile', NintendoReconcile: 'reconcile', SonyPSNReconcile: 'reconcile', SteamReconcile: 'reconcile',
  TwitchReconcile: 'reconcile', XboxReconcile: 'reconcile', ClientCredentialsJWTPopulate: 'populate',
  SCIMServerGroupRequestConverter: 'convert', SCIMServerGroupResponseConverter: 'convert',
  SCIMServerUserRequestConverter: 'convert', SCIMServerUserResponseConverter: 'convert',
  SelfServiceRegistrationValidation: 'validate', UserInfoPopulate: 'populate', LoginValidation: 'validate',
  MFARequirement: 'checkRequired',
};

/** Whether a body defines a top-level function `name` (a declaration, or a function assigned to a variable). */
export function definesFunction(body: string, name: string): boolean {
  return new RegExp(`(?:^|[^\\w$.])(?:function\\s+${name}\\s*\\(|(?:var|let|const)\\s+${name}\\s*=)`).test(body);
}

const blank = (v: Json | undefined): boolean => v === null || (typeof v === 'string' && v.trim() === '');

function validate(body: JsonObject): RuleViolation[] {
  const out: RuleViolation[] = [];
  if (blank(body.body)) out.push({ path: 'body', message: 'FusionAuth requires the function body (it cannot be blank)' });
  const fn = typeof body.type === 'string' ? LAMBDA_FUNCTIONS[body.type] : undefined;
  if (fn !== undefined && typeof body.body === 'string' && !blank(body.body) && !definesFunction(body.body, fn)) {
    out.push({ path: 'body', message: `a ${String(body.type)} lambda must define function ${fn}(…); FusionAuth refuses it otherwise` });
  }
  return out;
}

/** The version that removed the Nashorn engine (`_lambda-engine-options.mdx`: "Removed in 1.49.0"). */
const NASHORN_REMOVED = '1.49.0';

/**
 * Nashorn on a server that no longer has it: `valid(GraalJS == engineType, "lambda.engineType")` in the decompiled
 * service refuses it, while older servers still run it — so this depends on the server, and is checked in the plan.
 */
function checkPlan(changes: readonly Change[], ctx: PlanContext): Diagnostic[] {
  const mine = changes.filter((c) => c.kind === 'lambda');
  const out: Diagnostic[] = [];
  if (!olderThan(ctx.live.serverVersion, NASHORN_REMOVED)) {
    for (const c of mine.filter((x) => x.after?.engineType === 'Nashorn')) {
      out.push({
        severity: 'error',
        message: `engineType Nashorn: FusionAuth removed the Nashorn engine in ${NASHORN_REMOVED} (this server is ${ctx.live.serverVersion}) and accepts only GraalJS`,
        where: { ...(c.source ?? {}), path: 'engineType', kind: c.kind, key: c.key },
      });
    }
  }
  // Lambda HTTP Connect (`fetch`) is a licensed feature (docs: lambdas overview, "Lambda HTTP Connect"). The API stores
  // such a lambda anyway; FusionAuth's admin UI only warns (`[notLicensed]AdvancedLambdasFeature` in the decompiled
  // lambda form action), and so does the plan.
  if (!ctx.live.licensed) {
    for (const c of mine.filter((x) => typeof x.after?.body === 'string' && /\bfetch\s*\(/.test(x.after.body))) {
      out.push({
        severity: 'warning',
        message: 'the body calls fetch (Lambda HTTP Connect), which needs a FusionAuth license; this server is unlicensed',
        where: { ...(c.source ?? {}), path: 'body', kind: c.kind, key: c.key },
      });
    }
  }
  return out;
}

export const lambda = defineKind({
  name: 'lambda',
  section: 'lambdas',
  title: 'lambda',
  wire: WIRE.lambda,
  api: restCollection(WIRE.lambda),
  // `DefaultLambdaService.update` copies the stored type over the one sent; the docs' PUT body has no type.
  immutableFields: [{ path: 'type', reason: "FusionAuth fixes a lambda's type when it is created" }],
  validate,
  checkPlan,
  examples: 'lambdas',
  openapi: {
    schema: 'Lambda',
    entry: 'Lambda',
    required: ['name', 'type', 'body'],
    description: 'Lambdas (JavaScript functions FusionAuth runs: JWT populate, reconcile, validation, …).',
  },
});

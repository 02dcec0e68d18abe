/**
 * Defaults of lambdas (reference §7) and the lambdas of a fresh instance.
 *
 * Sources: fusionauth-java-client `Lambda` (`debug` false, `engineType = LambdaEngineType.GraalJS`; `enabled` is
 * `@JsonIgnore`d: never bound, never returned), and FusionAuth's decompiled `SystemDefaultsSingleton.Lambdas`, which
 * creates the `[FusionAuth Default] …` lambdas at first start by the version that introduced them (1.0.0: seven
 * reconcile lambdas; 1.36.0: four SCIM converters; 1.68.0: two MFA requirement lambdas) — names and types as there;
 * the bodies are FusionAuth resource files the emulator does not have, so its own minimal functions stand in.
 */
import type { JsonObject } from '../../core/types.js';
import type { DefaultsContext } from './context.js';
import { mergeOver, stripNulls } from './merge.js';

/** A lambda's defaults. */
export function lambdaDefaults(): JsonObject {
  return { debug: false, engineType: 'GraalJS' };
}

/** A lambda body merged over its defaults. Returns a new object; nulls omitted. */
export function fillLambda(body: JsonObject, _ctx: DefaultsContext): JsonObject {
  return stripNulls(mergeOver(lambdaDefaults(), body));
}

/** Name, type and function signature of each `[FusionAuth Default]` lambda, in creation order. */
const BUILT_IN: ReadonlyArray<readonly [name: string, type: string, signature: string]> = [
  ['Apple Reconcile', 'AppleReconcile', 'reconcile(user, registration, idToken)'],
  ['Facebook Reconcile', 'FacebookReconcile', 'reconcile(user, registration, facebookUser)'],
  ['Google Reconcile', 'GoogleReconcile', 'reconcile(user, registration, idToken)'],
  ['LinkedIn Reconcile', 'LinkedInReconcile', 'reconcile(user, registration, linkedInUser)'],
  ['OpenID Connect Reconcile', 'OpenIDReconcile', 'reconcile(user, registration, jwt, id_token, tokens)'],
  ['SAML v2 Reconcile', 'SAMLv2Reconcile', 'reconcile(user, registration, samlResponse)'],
  ['Twitter Reconcile', 'TwitterReconcile', 'reconcile(user, registration, twitterUser)'],
  ['SCIM Group Request Converter', 'SCIMServerGroupRequestConverter', 'convert(group, members, options, scimGroup)'],
  ['SCIM Group Response Converter', 'SCIMServerGroupResponseConverter', 'convert(scimGroup, group, members)'],
  ['SCIM User Request Converter', 'SCIMServerUserRequestConverter', 'convert(user, options, scimUser)'],
  ['SCIM User Response Converter', 'SCIMServerUserResponseConverter', 'convert(scimUser, user)'],
  ['MFA challenge when high risk', 'MFARequirement', 'checkRequired(result, user, registration, context)'],
  ['MFA challenge when medium risk', 'MFARequirement', 'checkRequired(result, user, registration, context)'],
];

/** The lambdas of a fresh instance (no ids: the server generates random ones), defaults filled. */
export function builtInLambdas(): JsonObject[] {
  return BUILT_IN.map(([name, type, signature]) => ({
    ...lambdaDefaults(),
    name: `[FusionAuth Default] ${name}`,
    type,
    body: `function ${signature} {\n  // The emulator's stand-in for FusionAuth's default ${name} lambda.\n}\n`,
  }));
}

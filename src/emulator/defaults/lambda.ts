/**
 * Defaults of lambdas (reference §7).
 *
 * Source: fusionauth-java-client `Lambda` (`debug` false, `engineType = LambdaEngineType.GraalJS`; `enabled` is
 * `@JsonIgnore`d: never bound, never returned). A fresh instance has no lambdas: the `[FusionAuth Default] …` ones are
 * the setup wizard's (kinds/lambda.ts).
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

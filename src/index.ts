/**
 * kickstand as a library: load kickstand files into a desired state (and, as they land, plan and apply it).
 *
 * ```ts
 * import { loadConfig } from 'kickstand';
 * const desired = await loadConfig(['examples/phone-gating'], { vars: { phoneCodeTtl: '300' } });
 * ```
 */
export { loadConfig, ConfigError, DEFAULT_ID_NAMESPACE, KEY_PATTERN, type LoadOptions } from './config/load.js';
export { UserError } from './core/errors.js';
export type {
  Diagnostic,
  DesiredResource,
  DesiredState,
  Json,
  JsonObject,
  KindName,
  ResourceRef,
  SourceMap,
  SourcePos,
  Where,
  Change,
  ChangeAction,
  FieldChange,
  Plan,
  ApplyResult,
  ChangeOutcome,
} from './core/types.js';

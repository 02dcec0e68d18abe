/**
 * kickstand as a library: load kickstand files into a desired state, plan it against a FusionAuth server, apply it.
 *
 * ```ts
 * import { loadConfig, createClient, plan, apply, renderPlanHuman } from 'kickstand-cli';
 * const client = createClient({ url: 'http://localhost:9011', apiKey: process.env.FUSIONAUTH_API_KEY! });
 * const desired = await loadConfig(['examples/phone-gating'], { vars: { phoneCodeTtl: '300' } });
 * const { plan: p } = await plan({ desired, client });
 * console.log(renderPlanHuman(p, { color: false }));
 * const { result } = await apply({ plan: p, desired, client });
 * ```
 */
export { loadConfig, ConfigError, DEFAULT_ID_NAMESPACE, KEY_PATTERN, type LoadOptions } from './config/load.js';
export { plan, apply, planHasChanges, planHasErrors, type PlanInput, type PlanOutput, type ApplyInput } from './engine.js';
export { computePlan, type PlanOptions } from './core/plan.js';
export { applyPlan, type ApplyOptions } from './apply/apply.js';
export { fetchLiveState } from './state/fetch.js';
export { createClient, type ClientOptions } from './fusionauth/client.js';
export { ApiError, ConnectionError } from './fusionauth/errors.js';
export type { ApiClient, ApiRequest, ApiResponse } from './fusionauth/types.js';
export { renderPlanHuman, renderApplyHuman, renderOutcomeLine } from './render/human.js';
export { renderPlanJson, renderApplyJson } from './render/json.js';
export { renderPlanMarkdown, renderApplyMarkdown, planMarker, DEFAULT_MAX_CHARS, type MarkdownOptions } from './render/markdown.js';
export { renderMermaid } from './render/mermaid.js';
export { configGraph } from './core/graph.js';
export { startEmulator, type Emulator, type EmulatorOptions } from './emulator/index.js';
export { UserError } from './core/errors.js';
export { KINDS } from './kinds/index.js';
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
  LiveState,
  Plan,
  ApplyResult,
  AfterWriteOutcome,
  ChangeOutcome,
  UnmanagedObject,
  ConfigGraph,
  GraphNode,
  GraphEdge,
} from './core/types.js';

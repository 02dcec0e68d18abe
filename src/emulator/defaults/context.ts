/**
 * What the defaults need from the emulator's state: the stored Default tenant and FusionAuth admin application
 * (new tenants and applications inherit values from them, reference §4.3 and §5.5) and sources of fresh ids/secrets.
 */
import type { JsonObject } from '../../core/types.js';

/** Input to every `fill*` function; the server owns the store and passes what it holds. */
export interface DefaultsContext {
  /** The Default tenant as stored (source of issuer, jwt key ids, themeId, adminUserFormId); absent while booting it. */
  defaultTenant?: JsonObject;
  /** The FusionAuth admin application as stored (source of formConfiguration.adminRegistrationFormId). */
  fusionAuthApp?: JsonObject;
  /** A fresh random UUID (lowercase). */
  newId(): string;
  /** A fresh random secret, for generated client secrets. */
  randomSecret(): string;
}

/** The FusionAuth admin application's fixed id on every instance (reference §1.3, [SITE:_default-entities.mdx]). */
export const FUSIONAUTH_APP_ID = '3c219e58-ed0e-4b18-ad48-f4f92793ae32';
/** The read-only default theme's fixed id (reference §1.3). */
export const DEFAULT_THEME_ID = '75a068fd-e94b-451a-9aeb-3ddb9a3b5987';
/** The FusionAuth connector's fixed id (reference §1.3); every tenant's connectorPolicies hold it. */
export const FUSIONAUTH_CONNECTOR_ID = 'e3306678-a53a-4964-9040-1c96f36dda72';

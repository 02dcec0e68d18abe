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

/** The fixed ids of built-in objects (reference §1.3) are wire facts: the FusionAuth admin application, the default theme, the FusionAuth connector. */
export { DEFAULT_THEME_ID, FUSIONAUTH_APP_ID, FUSIONAUTH_CONNECTOR_ID } from '../../fusionauth/wire.js';

/**
 * The registry of emulated kinds: one spec per kind (kinds/<kind>.ts). The routes, the store's collections, the
 * boot state, the snapshot, the reference checks and the tenant cascade all derive from this list; adding a kind is
 * its row in src/fusionauth/wire.ts, its spec file and one line here.
 */
import type { KindSpec } from '../crud.js';
import { apiKey } from './apiKey.js';
import { application } from './application.js';
import { emailTemplate } from './emailTemplate.js';
import { lambda } from './lambda.js';
import { key } from './key.js';
import { messageTemplate } from './messageTemplate.js';
import { messenger } from './messenger.js';
import { systemConfiguration } from './systemConfiguration.js';
import { tenant } from './tenant.js';
import { theme } from './theme.js';
import { webhook } from './webhook.js';

/** Every emulated kind, in dependency order (a kind after the kinds it references). */
export const KIND_SPECS: readonly KindSpec[] = [systemConfiguration, lambda, emailTemplate, key, messenger, messageTemplate, theme, tenant, application, webhook, apiKey];

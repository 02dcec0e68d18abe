/**
 * The FusionAuth endpoints the emulator serves, one module per resource kind. A later module (users, login,
 * identity verification) is added to this list — or passed as `EmulatorOptions.routes` — without touching the router.
 */
import type { RouteModule } from '../http.js';
import { kindRoutes } from '../crud.js';
import { application } from '../kinds/application.js';
import { messageTemplate } from '../kinds/messageTemplate.js';
import { messenger } from '../kinds/messenger.js';
import { tenant } from '../kinds/tenant.js';
import { systemRoutes } from './system.js';
import { USER_ROUTES } from '../users/index.js';

/** Every FusionAuth route module, in no particular order (the router prefers static segments over parameters). */
export const FUSIONAUTH_ROUTES: RouteModule[] = [kindRoutes(messenger), kindRoutes(messageTemplate), kindRoutes(tenant), kindRoutes(application), systemRoutes, ...USER_ROUTES];

/**
 * The FusionAuth endpoints the emulator serves: every registered kind's (kinds/index.ts), the system endpoints and
 * the user side. A later module is added to this list — or passed as `EmulatorOptions.routes` — without touching the
 * router.
 */
import { kindRoutes } from '../crud.js';
import type { RouteModule } from '../http.js';
import { KIND_SPECS } from '../kinds/index.js';
import { USER_ROUTES } from '../users/index.js';
import { systemRoutes } from './system.js';

/** Every FusionAuth route module, in no particular order (the router prefers static segments over parameters). */
export const FUSIONAUTH_ROUTES: RouteModule[] = [...KIND_SPECS.map(kindRoutes), systemRoutes, ...USER_ROUTES];

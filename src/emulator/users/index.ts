/**
 * The user side of the emulator: FusionAuth's User, user search, Registration and Import APIs, and enough of login,
 * logout, identity verification and the OAuth2 authorization-code grant (with minimal hosted pages) to show the
 * phone-gated flow end to end, plus the emulator's own outbox (`/_emulator/outbox`, not part
 * of FusionAuth's API). Each file cites the FusionAuth docs it follows and names its choices where the docs are silent.
 */
import type { RouteModule } from '../http.js';
import { familyRoutes } from './families.js';
import { importRoutes } from './import.js';
import { loginRoutes } from './login.js';
import { oauthRoutes } from './oauth.js';
import { outboxRoutes } from './outbox.js';
import { registrationRoutes } from './registrations.js';
import { searchRoutes } from './search.js';
import { userRoutes } from './users.js';
import { verificationRoutes } from './verification.js';

export { outboxMessages } from './outbox.js';
export { renderTemplate, chooseTemplate } from './template.js';
export { canonicalPhone } from './phone.js';
export { UCOL } from './model.js';

/** The user-side route modules, added to the emulator's list in resources/index.ts. */
export const USER_ROUTES: RouteModule[] = [userRoutes, searchRoutes, registrationRoutes, importRoutes, loginRoutes, verificationRoutes, oauthRoutes, outboxRoutes, familyRoutes];

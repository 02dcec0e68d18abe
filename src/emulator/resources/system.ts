/**
 * Version, status, health and license (reference §1.10): `GET /api/system/version`, `GET /api/status`,
 * `GET /api/health`, `GET /api/reactor`.
 */
import type { JsonObject } from '../../core/types.js';
import { authenticate, authorize } from '../auth.js';
import type { Reply, RouteModule } from '../http.js';

/**
 * Reactor feature flags ([TS] `ReactorStatus`). Unlicensed, every feature reports `UNKNOWN`; licensed, `ACTIVE`
 * (state values from [SITE:docs/apis/_reactor-status-values.mdx]).
 */
const FEATURES = [
  'advancedIdentityProviders', 'advancedLambdas', 'advancedMultiFactorAuthentication', 'advancedOAuthScopes',
  'advancedOAuthScopesCustomScopes', 'advancedOAuthScopesThirdPartyApplications', 'advancedRegistration',
  'applicationMultiFactorAuthentication', 'applicationThemes', 'breachedPasswordDetection', 'clientRiskConfiguration',
  'connectors', 'entityManagement', 'intelligentMFA', 'scimServer', 'tenantManagerApplication', 'threatDetection',
  'universalApplication', 'webAuthn', 'webAuthnPlatformAuthenticators', 'webAuthnRoamingAuthenticators',
] as const;

/** The system endpoints. */
export const systemRoutes: RouteModule = {
  name: 'system',
  routes: [
    // API key or HTTP Basic ([SITE:docs/apis/system/retrieve-system-version.mdx]).
    { method: 'GET', path: '/api/system/version', auth: 'apiKeyOrBasic', handle: (_r, s) => ({ status: 200, body: { version: s.version } }) },
    {
      // Without a key `{"status":"ok"}`; with one a larger document whose only stable key is `version` (reference §1.10).
      method: 'GET',
      path: '/api/status',
      auth: 'optional',
      handle: (req, s, auth): Reply => {
        // Also HTTP Basic with the user `apikey` ([SITE:docs/apis/system/retrieve-system-status.mdx]).
        const basicKey = auth.authenticated ? undefined : authenticate(s, req.headers.authorization, true);
        const basic = basicKey !== undefined && authorize(basicKey, req.path, 'GET', req.tenantHeader).ok;
        if (!auth.authenticated && !basic) return { status: 200, body: { status: 'ok' } };
        return { status: 200, body: { status: 'ok', version: s.version, database: { status: 'ok' }, search: { status: 'ok' } } };
      },
    },
    { method: 'GET', path: '/api/health', auth: 'none', handle: () => ({ status: 200 }) },
    {
      method: 'GET',
      path: '/api/reactor',
      handle: (_r, s) => {
        const status: JsonObject = { licensed: s.licensed };
        for (const f of FEATURES) status[f] = s.licensed ? 'ACTIVE' : 'UNKNOWN';
        return { status: 200, body: { status } };
      },
    },
  ],
};

/** Offline tenant rules that mirror the server validator ([DEC-TENANT] validate), reported by `loadConfig`. */
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import { loadErrors, tmpFiles } from './helpers.js';

const tenant = (yaml: string): string => tmpFiles({ 'k.yaml': `tenants:\n  - key: t\n    name: T\n${yaml}` });

describe('tenant rules known offline', () => {
  it('connectorPolicies without the FusionAuth connector is an error at connectorPolicies', async () => {
    const { errors } = await loadErrors([tenant('    connectorPolicies:\n      - connectorId: 27f22280-7e55-4d1c-b9f8-239bf9cc1a5e\n        domains: ["*"]\n')]);
    expect(errors.map((e) => [e.where?.path, e.message])).toEqual([
      ['tenants[0].connectorPolicies', 'must include the FusionAuth connector (e3306678-a53a-4964-9040-1c96f36dda72); FusionAuth rejects a list without it'],
    ]);
  });
  it('an empty connectorPolicies list, or one holding the FusionAuth connector, loads', async () => {
    await expect(loadConfig([tenant('    connectorPolicies: []\n')], { env: {} })).resolves.toBeDefined();
    await expect(loadConfig([tenant('    connectorPolicies:\n      - connectorId: E3306678-A53A-4964-9040-1C96F36DDA72\n')], { env: {} })).resolves.toBeDefined();
  });
  it('OneTimeUse refresh tokens: a grace period outside 0..86400 is an error; with Reusable it is not checked', async () => {
    const jwt = (policy: string, grace: number): string => `    jwtConfiguration:\n      refreshTokenUsagePolicy: ${policy}\n      refreshTokenOneTimeUseConfiguration:\n        gracePeriodInSeconds: ${grace}\n`;
    const { errors } = await loadErrors([tenant(jwt('OneTimeUse', 86401))]);
    expect(errors.map((e) => [e.where?.path, e.message])).toEqual([
      ['tenants[0].jwtConfiguration.refreshTokenOneTimeUseConfiguration.gracePeriodInSeconds', 'must be between 0 and 86400 seconds with refreshTokenUsagePolicy OneTimeUse'],
    ]);
    await expect(loadConfig([tenant(jwt('Reusable', 86401))], { env: {} })).resolves.toBeDefined();
  });
});

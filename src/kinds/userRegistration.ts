/**
 * A user's registrations: a child kind of users, written in the user's entry (`users[].registrations`) and identified
 * by (user, application) — FusionAuth registers a user at most once per application and addresses a registration by
 * the two ids (`/api/user/registration/{userId}/{applicationId}`, [SITE:docs/apis/registrations/*.mdx]), so the file
 * writes no id or key for it. Read from the `registrations` of the users the search returns (no request of its own);
 * a new user's registrations travel in its create requests (src/kinds/user.ts); a registration of an existing user is
 * created, patched or left alone on its own. kickstand never deletes a registration the files do not mention.
 *
 * Rules and their sources:
 * - `applicationId` is a UUID, the key of an application in the files, or `fusionauth`: the FusionAuth admin
 *   application, whose id is fixed on every instance (reference §1.3), for the admin user of a bootstrap file;
 * - `roles` are compared as a set (FusionAuth keeps them as one: `UserRegistration.roles` is a `SortedSet` in
 *   fusionauth-java-client io/fusionauth/domain/UserRegistration.java) and must be roles of the application — the
 *   FusionAuth admin application's built-in ones, or those the application's entry declares when it is in the files
 *   (an offline error: FusionAuth would refuse them with `[invalid]registration.roles`);
 * - `verified` and `skipRegistrationVerification` are used only at create ([SITE:…/_user-registration-request-body.mdx]
 *   `skipRegistrationVerification`: "will set registration.verified to true as well"): afterwards the registration's
 *   verification is the server's, never changed by a plan.
 */
import type { FileEntries, RuleViolation } from '../core/kind.js';
import type { DesiredResource } from '../core/types.js';
import { FUSIONAUTH_APP_ID, FUSIONAUTH_APP_ROLE_NAMES, WIRE } from '../fusionauth/wire.js';
import { compositeChild } from './api.js';
import { defineKind } from './define.js';

/**
 * The roles a registration may hold when its application is known offline: the FusionAuth admin application's built-in
 * roles, or the roles its entry in the files declares; undefined when the application is not in the files.
 */
function knownRoles(r: DesiredResource, files: FileEntries): { roles: ReadonlySet<string>; where: string } | undefined {
  const ref = r.refs.find((x) => x.path === 'applicationId');
  if (ref) {
    const roles = files.children('applicationRole', 'application', ref.key).map((c) => c.body.name).filter((n): n is string => typeof n === 'string');
    return { roles: new Set(roles), where: `application "${ref.key}" declares` };
  }
  const id = r.body.applicationId;
  if (typeof id === 'string' && id.toLowerCase() === FUSIONAUTH_APP_ID) return { roles: new Set(FUSIONAUTH_APP_ROLE_NAMES), where: 'the FusionAuth admin application has' };
  return undefined;
}

/** The application a registration names, as the files resolved it: a key of theirs, or a lowercased UUID. */
function applicationOf(r: DesiredResource): string | undefined {
  const ref = r.refs.find((x) => x.path === 'applicationId');
  if (ref) return `key:${ref.key}`;
  const id = r.body.applicationId;
  return typeof id === 'string' ? id.toLowerCase() : undefined;
}

function validateInFiles(r: DesiredResource, files: FileEntries): RuleViolation[] {
  const out: RuleViolation[] = [];
  // FusionAuth registers a user once per application ([duplicate]registration): a second entry for it is an error.
  const app = applicationOf(r);
  const siblings = r.parent ? files.children('userRegistration', r.parent.kind, r.parent.key) : [];
  const first = siblings.find((s) => applicationOf(s) === app);
  if (app !== undefined && first && first !== r) {
    const at = first.source.pos('applicationId');
    out.push({ path: 'applicationId', message: `the user is registered to this application twice: here and at ${at.file}:${at.line}:${at.column}; FusionAuth registers a user once per application` });
  }
  const roles = r.body.roles;
  if (!Array.isArray(roles)) return out;
  const known = knownRoles(r, files);
  if (!known) return out;
  roles.forEach((role, i) => {
    if (typeof role !== 'string' || known.roles.has(role)) return;
    const list = [...known.roles].sort();
    out.push({
      path: `roles[${i}]`,
      message: `unknown role "${role}": ${known.where} ${list.length > 0 ? `the roles ${list.join(', ')}` : 'no roles'}; FusionAuth would refuse the registration`,
    });
  });
  return out;
}

/** The registration kind. */
export const userRegistration = defineKind({
  name: 'userRegistration',
  title: 'registration',
  wire: WIRE.userRegistration,
  api: compositeChild(WIRE.user, WIRE.userRegistration, 'applicationId', {
    createOptions: ['skipRegistrationVerification'],
    createBody: (body) => {
      const { verified, ...rest } = body;
      return verified === true ? { ...rest, skipRegistrationVerification: true } : rest;
    },
  }),
  parent: { kind: 'user', field: 'registrations', keyField: 'applicationId' },
  // A registration is named by its key (`<user>/<application>`); its display name, when written, is its username.
  nameField: 'username',
  // Owned by the server: instants, refresh tokens, the authentication token (a credential: never written by kickstand),
  // moderation.
  serverFields: ['id', 'insertInstant', 'lastUpdateInstant', 'lastLoginInstant', 'tokens', 'authenticationToken', 'cleanSpeakId', 'usernameStatus', 'verifiedInstant'],
  setFields: ['roles'],
  createOnlyFields: ['verified', 'skipRegistrationVerification'],
  validateInFiles,
  openapi: {
    schema: 'UserRegistration',
    extra: {
      skipRegistrationVerification: { type: 'boolean', description: 'Create the registration as verified, even when the application verifies registrations. Used on create only.' },
    },
  },
});

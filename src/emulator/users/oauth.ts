/**
 * The OAuth2 authorization-code grant with minimal hosted pages: `GET`/`POST /oauth2/authorize` (a login form),
 * `GET`/`POST /phone/verification-required[/{verificationId}]` (the phone verification step of a `Gated` tenant) and
 * `POST /oauth2/token` (`authorization_code`, `refresh_token` and `password` grants).
 *
 * Sources: the endpoints, parameters, responses and error fields of [SITE:docs/lifecycle/authenticate-users/oauth/endpoints.mdx]
 * ("Authorize", "Token", "OAuthError", "Client Secret"); the order of the checks and the exact error/reason/description
 * triples of FusionAuth's decompiled `DefaultOAuthService` (`validateAuthorizeRequest`, `validateTokenRequest`,
 * `validateTokenEndpointAuthorizationGrant`, `validateTokenEndpointRefreshTokenGrant`, `validateClientCredentials`,
 * `exchangeAuthorizationCode`); the gating of the hosted pages from the decompiled `BaseOAuthAction.getNextIntent`
 * (a user with an unverified primary phone identity in a tenant with `verifyPhoneNumber` and `unverified.behavior:
 * Gated` is sent to `/phone/verification-required`, no code is issued) and `phone.VerificationRequiredAction` (the page
 * starts and sends a verification when the user has none, takes `action=verify` with `oneTimeCode`, or `action=resend`).
 *
 * Emulator choices (named so they can be corrected):
 * - The pages are bare HTML forms, not FusionAuth's themes. The hosted login takes a `loginId` that may be an email,
 *   a phone number or a username.
 * - FusionAuth tracks the login between pages in a `loginIntent` cookie; the emulator puts the id of its server-side
 *   record in an `intent` URL parameter instead (lifetime: the tenant's `loginIntentTimeToLiveInSeconds`, 1800 s).
 * - There are no SSO sessions: every authorize request shows the login form; `prompt` is not interpreted.
 * - Only `response_type=code` is served, and the `authorization_code`, `refresh_token` and `password` grants; the
 *   implicit, client credentials and device grants are not (`unsupported_response_type` / `unsupported_grant_type`
 *   naming the emulator). Redirect URLs are compared exactly
 *   (the `ExactMatch` validation policy). Email verification gating and registration verification are not modelled.
 * - HTTP status: the docs give 401 for "the client could not be verified" and 400 for the rest, so `invalid_client`
 *   is 401 and every other token error 400; authorize errors that cannot be redirected are 400 JSON.
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { Json, JsonObject } from '../../core/types.js';
import type { EmulatorRequest, Reply, RouteModule } from '../http.js';
import type { EmulatorState } from '../state.js';
import { isObject } from '../values.js';
import { createRefreshToken, findRefreshToken, issueAccessToken, issueIdToken, registrationOf } from './jwt.js';
import { authenticate, recordLogin } from './login.js';
import { applicationById, get, identityOf, needsVerification, tenantById, UCOL } from './model.js';
import { completeVerification, findVerification, pendingVerifications, phoneStrategy, sendPhoneMessage, startVerification, verifiesPhone } from './verification.js';

/** Authorization codes and login intents (persisted with the rest of the state, cleared by a reset). */
const CODES = 'oauthAuthorizationCodes';
const INTENTS = 'oauthLoginIntents';

/** Delete a collection's records whose `expiresAt` has passed, so that codes and intents never pile up. */
function sweep(state: EmulatorState, collection: string): void {
  const now = state.now();
  for (const r of [...state.store.list(collection)]) if (!(typeof r.expiresAt === 'number' && now < r.expiresAt)) state.store.delete(collection, String(r.id));
}

/** The authorize request parameters carried through the hosted pages. */
const AUTHORIZE_PARAMS = ['client_id', 'redirect_uri', 'response_type', 'scope', 'state', 'nonce', 'code_challenge', 'code_challenge_method', 'tenantId', 'locale'] as const;
type AuthorizeParams = Partial<Record<(typeof AUTHORIZE_PARAMS)[number], string>>;

/** An OAuth error ([OAS] `OAuthError`). */
interface OAuthError {
  error: string;
  reason?: string;
  description: string;
}

/** An `OAuthError` as a JSON reply: `invalid_client` is 401 (the docs' "client could not be verified"), the rest 400. */
function errorReply(e: OAuthError): Reply {
  const body: JsonObject = { error: e.error, error_description: e.description };
  if (e.reason) body.error_reason = e.reason;
  return { status: e.error === 'invalid_client' ? 401 : 400, body, headers: { 'Cache-Control': 'no-store' } };
}

/** An error on the redirect URI ([SITE:…/endpoints.mdx] "Redirect Parameters"). */
function redirectError(p: AuthorizeParams, e: OAuthError): Reply {
  const q = new URLSearchParams({ error: e.error });
  if (e.reason) q.set('error_reason', e.reason);
  q.set('error_description', e.description);
  if (p.state !== undefined) q.set('state', p.state);
  return redirect(withQuery(p.redirect_uri as string, q));
}

function redirect(location: string): Reply {
  return { status: 302, headers: { Location: location, 'Cache-Control': 'no-store' } };
}

function withQuery(uri: string, q: URLSearchParams): string {
  return `${uri}${uri.includes('?') ? '&' : '?'}${q.toString()}`;
}

/** A parameter as FusionAuth binds it: absent or empty is "not provided". */
function param(source: URLSearchParams | undefined, name: string): string | undefined {
  const v = source?.get(name);
  return v === null || v === undefined || v === '' ? undefined : v;
}

/** The request's parameters: the form body, falling back to the query string (the hosted pages post their forms). */
function paramsOf(req: EmulatorRequest): URLSearchParams {
  const merged = new URLSearchParams(req.query);
  for (const [k, v] of req.form ?? []) merged.set(k, v);
  return merged;
}

function authorizeParams(source: URLSearchParams): AuthorizeParams {
  const p: AuthorizeParams = {};
  for (const k of AUTHORIZE_PARAMS) {
    const v = param(source, k);
    if (v !== undefined) p[k] = v;
  }
  return p;
}

/** RFC 7636 §4.1: 43 to 128 characters of `[A-Z] / [a-z] / [0-9] / "-" / "." / "_" / "~"` (FusionAuth's `PKCETools`). */
function validPkceValue(v: string): boolean {
  return /^[A-Za-z0-9\-._~]{43,128}$/.test(v);
}

function scopesOf(scope: string | undefined): string[] {
  return [...new Set((scope ?? '').split(' ').filter((s) => s !== ''))];
}

/** The application of a `client_id` (FusionAuth's client id is the application id, set on create). */
function clientApplication(state: EmulatorState, clientId: string): JsonObject | undefined {
  const app = applicationById(state, clientId);
  return app && get(app, 'oauthConfiguration.clientId') === clientId ? app : undefined;
}

function grantsOf(app: JsonObject): Json[] {
  const g = get(app, 'oauthConfiguration.enabledGrants');
  return Array.isArray(g) ? g : [];
}

function authorizedRedirect(app: JsonObject, uri: string): boolean {
  const urls = get(app, 'oauthConfiguration.authorizedRedirectURLs');
  return Array.isArray(urls) && urls.includes(uri);
}

/** A validated authorize request. */
interface Authorize {
  p: AuthorizeParams;
  app: JsonObject;
  tenant: JsonObject;
}

/** `DefaultOAuthService.validateAuthorizeRequest`, in its order, for `response_type=code`. */
function validateAuthorize(state: EmulatorState, p: AuthorizeParams): Authorize | { reply: Reply } {
  if (p.redirect_uri === undefined) return { reply: errorReply({ error: 'invalid_request', reason: 'missing_redirect_uri', description: 'The request is missing a required parameter: redirect_uri' }) };
  if (p.client_id === undefined) return { reply: errorReply({ error: 'invalid_request', reason: 'missing_client_id', description: 'The request is missing a required parameter: client_id' }) };
  const app = clientApplication(state, p.client_id);
  const tenant = app ? tenantById(state, app.tenantId) : undefined;
  // An unknown client cannot be trusted with a redirect: answered as JSON (the docs' 400 row for authorize).
  if (!app || !tenant) return { reply: { ...errorReply({ error: 'invalid_client', reason: 'invalid_client_id', description: `client_id: ${p.client_id} is not valid.` }), status: 400 } };
  if (p.code_challenge !== undefined) {
    if (!validPkceValue(p.code_challenge)) return { reply: errorReply({ error: 'invalid_request', reason: 'invalid_pkce_code_challenge', description: 'Invalid code_challenge, see https://tools.ietf.org/html/rfc7636#section-4.2 for requirements.' }) };
    if (p.code_challenge_method !== undefined && p.code_challenge_method !== 'S256') return { reply: errorReply({ error: 'invalid_request', reason: 'invalid_pkce_code_challenge_method', description: 'The code_challenge_method must be S256.' }) };
  }
  if (!authorizedRedirect(app, p.redirect_uri)) return { reply: errorReply({ error: 'invalid_request', reason: 'invalid_redirect_uri', description: `Invalid redirect_uri ${p.redirect_uri}` }) };
  // From here on the redirect URI is trusted: errors go back to it.
  if (p.response_type === undefined) return { reply: redirectError(p, { error: 'invalid_request', reason: 'missing_response_type', description: 'The request is missing a required parameter: response_type' }) };
  if (p.response_type === 'code' && p.code_challenge === undefined && get(app, 'oauthConfiguration.proofKeyForCodeExchangePolicy') === 'Required') {
    return { reply: redirectError(p, { error: 'invalid_request', reason: 'missing_code_challenge', description: 'The request is missing a required parameter: code_challenge' }) };
  }
  if (p.response_type !== 'code') return { reply: redirectError(p, { error: 'unsupported_response_type', reason: 'invalid_response_type', description: 'Parameter response_type must be set to code (the emulator serves the authorization code grant only).' }) };
  if (!grantsOf(app).includes('authorization_code')) return { reply: redirectError(p, { error: 'unauthorized_client', reason: 'grant_type_disabled', description: 'The [authorization_code] Authorization Code grant has been disabled for this client.' }) };
  return { p, app, tenant };
}

/** Escape text for HTML. */
function esc(v: string): string {
  return v.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function hidden(fields: Record<string, string | undefined>): string {
  return Object.entries(fields)
    .filter((e): e is [string, string] => e[1] !== undefined)
    .map(([k, v]) => `<input type="hidden" name="${esc(k)}" value="${esc(v)}">`)
    .join('\n');
}

function page(status: number, title: string, body: string): Reply {
  const html = `<!DOCTYPE html>\n<html><head><meta charset="utf-8"><title>${esc(title)}</title></head>\n<body>\n<h1>${esc(title)}</h1>\n${body}\n</body></html>\n`;
  return { status, text: html, headers: { 'Content-Type': 'text/html;charset=UTF-8', 'Cache-Control': 'no-store' } };
}

/** The hosted login form; `error` is shown above it (FusionAuth's `[InvalidLogin]` and friends). */
function loginPage(a: Authorize, error?: string, loginId?: string): Reply {
  const err = error ? `<p class="error" role="alert">${esc(error)}</p>\n` : '';
  return page(200, `Login · ${String(a.app.name)}`, `${err}<form method="post" action="/oauth2/authorize">
${hidden(a.p)}
<label>Login <input name="loginId" autocomplete="username" value="${esc(loginId ?? '')}"></label>
<label>Password <input type="password" name="password" autocomplete="current-password"></label>
<button type="submit">Submit</button>
</form>`);
}

/** Messages of the hosted login for a refused login (decompiled `BaseOAuthAction.handleInteractiveLoginResponse`). */
const LOGIN_ERRORS: Record<number, string> = {
  404: '[InvalidLogin] Invalid login credentials.',
  410: '[UserExpiredException] Your account has expired.',
  423: '[UserLockedException] Your account is locked.',
};

/** Issue an authorization code and send the browser back to the client with it (docs: "Example HTTP Redirect Response"). */
function issueCode(state: EmulatorState, a: Authorize, user: JsonObject): Reply {
  sweep(state, CODES);
  const ttl = get(a.tenant, 'externalIdentifierConfiguration.authorizationGrantIdTimeToLiveInSeconds');
  const code = randomBytes(32).toString('base64url');
  const record: JsonObject = {
    id: randomUUID(),
    code,
    userId: String(user.id),
    applicationId: String(a.app.id),
    tenantId: String(a.tenant.id),
    params: { ...a.p },
    authTime: Math.floor(state.now() / 1000),
    expiresAt: state.now() + (typeof ttl === 'number' && ttl > 0 ? ttl : 30) * 1000,
  };
  state.store.put(CODES, record);
  const q = new URLSearchParams({ code });
  if (a.p.locale !== undefined) q.set('locale', a.p.locale);
  if (a.p.state !== undefined) q.set('state', a.p.state);
  q.set('userState', registrationOf(user, a.app) ? 'Authenticated' : 'AuthenticatedNotRegistered');
  return redirect(withQuery(a.p.redirect_uri as string, q));
}

/** Whether the hosted pages hold the user at the phone verification step (decompiled `BaseOAuthAction.getNextIntent`). */
function phoneGated(tenant: JsonObject, user: JsonObject): boolean {
  const phone = identityOf(user, 'phoneNumber');
  return verifiesPhone(tenant) && get(tenant, 'phoneConfiguration.unverified.behavior') === 'Gated' && phone !== undefined && needsVerification(phone);
}

/** The user's live verification of their phone number, if any (newest first). */
function phoneVerificationOf(state: EmulatorState, user: JsonObject): JsonObject | undefined {
  const phone = identityOf(user, 'phoneNumber');
  return pendingVerifications(state, String(user.id)).filter((v) => v.value === phone?.value).at(-1);
}

/** Where a logged-in user goes next: the not-registered page, the phone verification step, or back with a code. */
function nextStep(state: EmulatorState, a: Authorize, user: JsonObject): Reply {
  if (get(a.app, 'oauthConfiguration.requireRegistration') === true && !registrationOf(user, a.app)) {
    return page(200, 'Not registered', '<p class="error" role="alert">[UserAuthorizedNotRegisteredException] You are not registered for this application.</p>');
  }
  if (phoneGated(a.tenant, user)) {
    sweep(state, INTENTS);
    const ttl = get(a.tenant, 'externalIdentifierConfiguration.loginIntentTimeToLiveInSeconds');
    const intent: JsonObject = { id: randomUUID(), userId: String(user.id), params: { ...a.p }, expiresAt: state.now() + (typeof ttl === 'number' && ttl > 0 ? ttl : 1800) * 1000 };
    state.store.put(INTENTS, intent);
    const existing = phoneStrategy(a.tenant) === 'FormField' ? phoneVerificationOf(state, user) : undefined;
    const segment = typeof existing?.verificationId === 'string' ? `/${encodeURIComponent(existing.verificationId)}` : '';
    return redirect(`/phone/verification-required${segment}?${new URLSearchParams({ intent: String(intent.id), userState: 'AuthenticatedNotVerified' }).toString()}`);
  }
  return issueCode(state, a, user);
}

/** `GET /oauth2/authorize`: the login form, or the error. */
function authorizeGet(req: EmulatorRequest, state: EmulatorState): Reply {
  const a = validateAuthorize(state, authorizeParams(req.query));
  return 'reply' in a ? a.reply : loginPage(a);
}

/** `POST /oauth2/authorize`: the login form's submission. */
async function authorizePost(req: EmulatorRequest, state: EmulatorState): Promise<Reply> {
  const all = paramsOf(req);
  const a = validateAuthorize(state, authorizeParams(all));
  if ('reply' in a) return a.reply;
  const loginId = param(all, 'loginId');
  const password = param(all, 'password');
  if (loginId === undefined || password === undefined) return loginPage(a, '[blank] Login and password are required.', loginId);
  const result = await authenticate(state, a.tenant, loginId, password, ['email', 'phoneNumber', 'username']);
  if ('status' in result) return loginPage(a, LOGIN_ERRORS[result.status], loginId);
  recordLogin(state, result.user, result.identity, a.app);
  return nextStep(state, a, result.user);
}

/** The login intent of a hosted page request, with its authorize request and user, or an error page. */
function intentOf(state: EmulatorState, source: URLSearchParams): { a: Authorize; user: JsonObject; intent: JsonObject } | { reply: Reply } {
  const id = param(source, 'intent');
  const intent = id === undefined ? undefined : state.store.list(INTENTS).find((i) => i.id === id);
  const gone = page(400, 'Login expired', '<p class="error" role="alert">This login is unknown or has expired; start again at /oauth2/authorize.</p>');
  if (!intent) return { reply: gone };
  if (!(typeof intent.expiresAt === 'number' && state.now() < intent.expiresAt)) {
    state.store.delete(INTENTS, String(intent.id));
    return { reply: gone };
  }
  const user = state.store.get(UCOL.users, String(intent.userId));
  const a = validateAuthorize(state, isObject(intent.params) ? (intent.params as AuthorizeParams) : {});
  if (!user || 'reply' in a) return { reply: gone };
  return { a, user, intent };
}

/** The phone verification step's page (`collectVerificationCode` only for `FormField`). */
function verificationPage(a: Authorize, intent: JsonObject, verificationId: string | undefined, error?: string): Reply {
  const formField = phoneStrategy(a.tenant) === 'FormField';
  const action = `/phone/verification-required${verificationId ? `/${encodeURIComponent(verificationId)}` : ''}`;
  const err = error ? `<p class="error" role="alert">${esc(error)}</p>\n` : '';
  const verify = formField
    ? `<form method="post" action="${esc(action)}">
${hidden({ intent: String(intent.id), verificationId, action: 'verify' })}
<label>Verification code <input name="oneTimeCode" autocomplete="one-time-code"></label>
<button type="submit">Verify</button>
</form>\n`
    : '<p>We sent a verification link to your phone. Open it, then reload this page.</p>\n';
  return page(200, 'Verify your phone number', `${err}${verify}<form method="post" action="${esc(action)}">
${hidden({ intent: String(intent.id), action: 'resend' })}
<button type="submit">Send a new code</button>
</form>`);
}

/** Start and send a new phone verification for the user (the page's "resend", and its first visit without one). */
function resend(state: EmulatorState, a: Authorize, user: JsonObject): JsonObject | undefined {
  const phone = identityOf(user, 'phoneNumber');
  if (typeof phone?.value !== 'string') return undefined;
  const v = startVerification(state, { tenant: a.tenant, value: phone.value, userId: String(user.id), strategy: phoneStrategy(a.tenant), applicationId: String(a.app.id) });
  sendPhoneMessage(state, v, 'verificationTemplateId');
  return v;
}

/** `GET /phone/verification-required[/{verificationId}]`. */
function verificationRequiredGet(req: EmulatorRequest, state: EmulatorState): Reply {
  const found = intentOf(state, req.query);
  if ('reply' in found) return found.reply;
  const { a, user, intent } = found;
  // Verified meanwhile (e.g. through the Identity Verify API): carry on (`BaseVerificationRequiredAction.baseValidate`).
  if (!phoneGated(a.tenant, user)) {
    state.store.delete(INTENTS, String(intent.id));
    return issueCode(state, a, user);
  }
  let v = phoneVerificationOf(state, user);
  // The page starts and sends a verification when the user has none (`resendIdentityVerificationRequired`).
  v ??= resend(state, a, user);
  const id = phoneStrategy(a.tenant) === 'FormField' && typeof v?.verificationId === 'string' ? v.verificationId : req.params.verificationId;
  return verificationPage(a, intent, id);
}

/** `POST /phone/verification-required[/{verificationId}]`: `action=verify` (with `oneTimeCode`) or `action=resend`. */
function verificationRequiredPost(req: EmulatorRequest, state: EmulatorState): Reply {
  const all = paramsOf(req);
  const found = intentOf(state, all);
  if ('reply' in found) return found.reply;
  const { a, user, intent } = found;
  const verificationId = param(all, 'verificationId') ?? req.params.verificationId;
  if (param(all, 'action') === 'resend') {
    const v = resend(state, a, user);
    const segment = phoneStrategy(a.tenant) === 'FormField' && typeof v?.verificationId === 'string' ? `/${encodeURIComponent(v.verificationId)}` : '';
    return redirect(`/phone/verification-required${segment}?${new URLSearchParams({ intent: String(intent.id), userState: 'AuthenticatedNotVerified' }).toString()}`);
  }
  if (phoneStrategy(a.tenant) !== 'FormField') return verificationPage(a, intent, verificationId);
  const code = param(all, 'oneTimeCode');
  if (code === undefined) return verificationPage(a, intent, verificationId, '[blank]oneTimeCode Enter the code we sent you.');
  const v = findVerification(state, verificationId);
  const done = v && v.userId === user.id ? completeVerification(state, v, code) : undefined;
  // Every failure reads as a wrong code (`handleVerificationResponse`: `[invalid]code`).
  if (!done || done.status !== 200) return verificationPage(a, intent, verificationId, '[invalid]code The code is not valid.');
  state.store.delete(INTENTS, String(intent.id));
  const fresh = state.store.get(UCOL.users, String(user.id)) ?? user;
  return nextStep(state, a, fresh);
}

/** The client credentials of a token request: HTTP Basic (RFC 6749 §2.3.1) or the body's `client_id`/`client_secret`. */
function clientCredentials(req: EmulatorRequest, body: URLSearchParams): { clientId?: string; secret?: string } | { error: OAuthError } {
  const h = req.headers.authorization;
  let clientId = param(body, 'client_id');
  let secret = param(body, 'client_secret');
  if (h !== undefined) {
    const m = /^Basic\s+(\S+)$/i.exec(h);
    const decoded = m?.[1] ? Buffer.from(m[1], 'base64').toString('utf8') : '';
    const at = decoded.indexOf(':');
    if (at < 0) return { error: { error: 'invalid_client', reason: 'invalid_client_authentication_scheme', description: 'The Authorization header must use the Basic scheme with client_id:client_secret.' } };
    const headerId = decodeURIComponent(decoded.slice(0, at));
    if (clientId !== undefined && clientId !== headerId) return { error: { error: 'invalid_request', reason: 'client_id_mismatch', description: 'The client_id in the request body does not match the one in the Authorization header.' } };
    clientId = headerId;
    secret = decodeURIComponent(decoded.slice(at + 1)) || undefined;
  }
  return { ...(clientId !== undefined ? { clientId } : {}), ...(secret !== undefined ? { secret } : {}) };
}

/** `validateClientId` and `validateClientCredentials` (the "Client Secret" table of the docs). */
function checkClient(state: EmulatorState, c: { clientId?: string; secret?: string }, grant: string): { app: JsonObject; tenant: JsonObject } | { error: OAuthError } {
  if (c.clientId === undefined) return { error: { error: 'invalid_request', reason: 'missing_client_id', description: 'The request is missing a required parameter: client_id' } };
  const app = clientApplication(state, c.clientId);
  const tenant = app ? tenantById(state, app.tenantId) : undefined;
  if (!app || !tenant) return { error: { error: 'invalid_client', reason: 'invalid_client_id', description: `client_id: ${c.clientId} is not valid.` } };
  const policy = get(app, 'oauthConfiguration.clientAuthenticationPolicy');
  const required = policy === 'Required' || (policy === 'NotRequiredWhenUsingPKCE' && grant !== 'authorization_code');
  if (required && c.secret === undefined) return { error: { error: 'invalid_client', reason: 'client_authentication_missing', description: 'Client authentication missing as Basic Authorization header or credentials in the body (or some combination of them).' } };
  // "Even when the client secret is not required, if it is provided it will be validated."
  if (c.secret !== undefined && c.secret !== get(app, 'oauthConfiguration.clientSecret')) return { error: { error: 'invalid_client', reason: 'invalid_client_authentication', description: 'Invalid client authentication credentials.' } };
  return { app, tenant };
}

/** The token response ([OAS] `AccessToken`, [SITE:…/endpoints.mdx] "Response Body"). */
function tokenResponse(state: EmulatorState, tenant: JsonObject, app: JsonObject, user: JsonObject, scopes: string[], o: { code?: string; nonce?: string; refresh?: JsonObject; newRefresh: boolean }): Reply {
  let refresh = o.refresh;
  // A refresh token for `offline_access` when the application generates them (decompiled `exchangeAuthorizationCode`).
  if (o.newRefresh && scopes.includes('offline_access') && get(app, 'oauthConfiguration.generateRefreshTokens') === true) refresh = createRefreshToken(state, tenant, user, app, scopes);
  const access = issueAccessToken(state, { tenant, user, app, claims: { scope: scopes.length > 0 ? scopes.join(' ') : undefined, sid: refresh ? String(refresh.id) : undefined } });
  const body: JsonObject = { access_token: access.token, expires_in: access.expiresIn };
  if (scopes.includes('openid')) body.id_token = issueIdToken(state, access, { user, ...(o.code !== undefined ? { code: o.code } : {}), ...(o.nonce !== undefined ? { nonce: o.nonce } : {}) });
  if (refresh) {
    body.refresh_token = refresh.token as string;
    body.refresh_token_id = refresh.id as string;
  }
  if (scopes.length > 0) body.scope = scopes.join(' ');
  body.token_type = 'Bearer';
  body.userId = String(user.id);
  return { status: 200, body, headers: { 'Cache-Control': 'no-store' } };
}

/** The `authorization_code` grant (`validateTokenEndpointAuthorizationGrant`, then `exchangeAuthorizationCode`). */
function codeGrant(req: EmulatorRequest, state: EmulatorState, body: URLSearchParams): Reply {
  const verifier = param(body, 'code_verifier');
  if (verifier !== undefined && !validPkceValue(verifier)) return errorReply({ error: 'invalid_request', reason: 'invalid_pkce_code_verifier', description: 'Invalid code_verifier, see https://tools.ietf.org/html/rfc7636#section-4.1 for requirements.' });
  const creds = clientCredentials(req, body);
  if ('error' in creds) return errorReply(creds.error);
  const client = checkClient(state, creds, 'authorization_code');
  if ('error' in client) return errorReply(client.error);
  const { app, tenant } = client;
  const oauth = (k: string): Json | undefined => get(app, `oauthConfiguration.${k}`);
  if (oauth('clientAuthenticationPolicy') === 'NotRequiredWhenUsingPKCE' && creds.secret === undefined && verifier === undefined) {
    return errorReply({ error: 'invalid_client', reason: 'client_authentication_missing', description: 'Client authentication missing as Basic Authorization header or credentials in the body (or some combination of them).' });
  }
  const pkce = oauth('proofKeyForCodeExchangePolicy');
  if ((pkce === 'Required' || (pkce === 'NotRequiredWhenUsingClientAuthentication' && creds.secret === undefined)) && verifier === undefined) {
    return errorReply({ error: 'invalid_client', reason: 'missing_code_verifier', description: 'The request is missing a required parameter: code_verifier' });
  }
  if (!grantsOf(app).includes('authorization_code')) return errorReply({ error: 'unauthorized_client', reason: 'grant_type_disabled', description: 'The [authorization_code] Authorization Code grant has been disabled for this client.' });
  const code = param(body, 'code');
  if (code === undefined) return errorReply({ error: 'invalid_request', reason: 'missing_code', description: 'The request is missing a required parameter: code' });
  const redirectUri = param(body, 'redirect_uri');
  if (redirectUri === undefined) return errorReply({ error: 'invalid_request', reason: 'missing_redirect_uri', description: 'The request is missing a required parameter: redirect_uri' });
  if (!authorizedRedirect(app, redirectUri)) return errorReply({ error: 'invalid_grant', reason: 'invalid_redirect_uri', description: `redirect_uri: ${redirectUri} is not valid.` });

  // Every way the code can fail is the same answer, and a code that failed a check is used up.
  const invalidCode = errorReply({ error: 'invalid_request', reason: 'auth_code_not_found', description: 'Invalid Authorization Code' });
  const record = state.store.list(CODES).find((c) => c.code === code);
  if (!record) return invalidCode;
  state.store.delete(CODES, String(record.id));
  if (!(typeof record.expiresAt === 'number' && state.now() < record.expiresAt)) return invalidCode;
  const p = (isObject(record.params) ? record.params : {}) as AuthorizeParams;
  if ((p.code_challenge !== undefined) !== (verifier !== undefined)) return invalidCode;
  if (p.code_challenge !== undefined && createHash('sha256').update(verifier as string, 'ascii').digest('base64url') !== p.code_challenge) return invalidCode;
  if (p.client_id !== creds.clientId || p.redirect_uri !== redirectUri || record.applicationId !== app.id) return invalidCode;
  const user = state.store.get(UCOL.users, String(record.userId));
  if (!user) return invalidCode;
  return tokenResponse(state, tenant, app, user, scopesOf(p.scope), { code, ...(p.nonce !== undefined ? { nonce: p.nonce } : {}), newRefresh: true });
}

/** The `refresh_token` grant (`validateTokenEndpointRefreshTokenGrant`): a new access token; the refresh token is reusable. */
function refreshGrant(req: EmulatorRequest, state: EmulatorState, body: URLSearchParams): Reply {
  const given = param(body, 'refresh_token');
  if (given === undefined) return errorReply({ error: 'invalid_request', reason: 'missing_refresh_token', description: 'The request is missing a required parameter: refresh_token' });
  const creds = clientCredentials(req, body);
  if ('error' in creds) return errorReply(creds.error);
  const client = checkClient(state, creds, 'refresh_token');
  if ('error' in client) return errorReply(client.error);
  const { app, tenant } = client;
  if (!grantsOf(app).includes('refresh_token')) return errorReply({ error: 'unauthorized_client', reason: 'grant_type_disabled', description: 'The [refresh_token] Refresh Token grant has been disabled for this client.' });
  const invalid = errorReply({ error: 'invalid_grant', reason: 'refresh_token_not_found', description: 'The refresh_token is invalid.' });
  const token = findRefreshToken(state, given);
  if (!token || token.applicationId !== app.id) return invalid;
  const user = state.store.get(UCOL.users, String(token.userId));
  if (!user) return invalid;
  const granted = Array.isArray(get(token, 'metaData.scopes')) ? (get(token, 'metaData.scopes') as Json[]).map(String) : [];
  const asked = scopesOf(param(body, 'scope'));
  if (asked.length > 0 && !asked.every((s) => granted.includes(s))) return errorReply({ error: 'invalid_scope', description: 'The scope provided is different than the scope used to generate the refresh token.' });
  return tokenResponse(state, tenant, app, user, asked.length > 0 ? asked : granted, { refresh: token, newRefresh: false });
}

/** The Login API statuses the password grant answers as errors (decompiled `TokenAction.authenticatePasswordGrant`). */
const PASSWORD_GRANT_ERRORS: Record<number, OAuthError> = {
  404: { error: 'invalid_grant', reason: 'invalid_user_credentials', description: 'The user credentials are invalid.' },
  410: { error: 'invalid_grant', reason: 'user_expired', description: 'The user is expired.' },
  423: { error: 'invalid_grant', reason: 'user_locked', description: 'The user is locked and cannot login.' },
};

/**
 * The `password` grant (`validateTokenEndpointPasswordGrant`, then `TokenAction.authenticatePasswordGrant`): the
 * credentials go through the Login API, whose 200, 202, 212 and 213 all give tokens — this grant is not gated either.
 * `loginId` or `username`, compared with emails and usernames (the Login API's default `loginIdTypes`).
 */
async function passwordGrant(req: EmulatorRequest, state: EmulatorState, body: URLSearchParams): Promise<Reply> {
  const creds = clientCredentials(req, body);
  if ('error' in creds) return errorReply(creds.error);
  const client = checkClient(state, creds, 'password');
  if ('error' in client) return errorReply(client.error);
  const { app, tenant } = client;
  if (!grantsOf(app).includes('password')) return errorReply({ error: 'unauthorized_client', reason: 'grant_type_disabled', description: 'The [password] Password grant has been disabled for this client.' });
  const loginId = param(body, 'loginId') ?? param(body, 'username');
  const password = param(body, 'password');
  // Without them the Login API answers 400, which the grant reports as an unknown failure.
  if (loginId === undefined || password === undefined) return errorReply({ error: 'invalid_grant', reason: 'unknown', description: 'The user is unable to login. Authentication server responded with 400 status code.' });
  const result = await authenticate(state, tenant, loginId, password, ['email', 'username']);
  if ('status' in result) return errorReply(PASSWORD_GRANT_ERRORS[result.status] as OAuthError);
  recordLogin(state, result.user, result.identity, app);
  return tokenResponse(state, tenant, app, result.user, scopesOf(param(body, 'scope')), { newRefresh: true });
}

/** `POST /oauth2/token`. */
async function token(req: EmulatorRequest, state: EmulatorState): Promise<Reply> {
  const body = req.form ?? new URLSearchParams();
  const grant = param(body, 'grant_type');
  let reply: Reply;
  if (grant === undefined) reply = errorReply({ error: 'invalid_request', reason: 'missing_grant_type', description: 'The request is missing a required parameter: grant_type' });
  else if (grant === 'authorization_code') reply = codeGrant(req, state, body);
  else if (grant === 'refresh_token') reply = refreshGrant(req, state, body);
  else if (grant === 'password') reply = await passwordGrant(req, state, body);
  else reply = errorReply({ error: 'unsupported_grant_type', description: 'The requested authorization grant type is not supported by the emulator. Parameter grant_type must be set to authorization_code, password or refresh_token.' });
  // `TokenAction.post`: an invalid client authenticated with the Authorization header is told the scheme to use.
  if (reply.status === 401 && req.headers.authorization !== undefined) reply.headers = { ...reply.headers, 'WWW-Authenticate': 'Basic' };
  return reply;
}

/** The OAuth2 and hosted page routes (no API key: browsers and OAuth clients call them). */
export const oauthRoutes: RouteModule = {
  name: 'oauth2',
  routes: [
    { method: 'GET', path: '/oauth2/authorize', auth: 'none', handle: (req, state) => authorizeGet(req, state) },
    { method: 'POST', path: '/oauth2/authorize', auth: 'none', form: true, handle: (req, state) => authorizePost(req, state) },
    { method: 'POST', path: '/oauth2/token', auth: 'none', form: true, handle: (req, state) => token(req, state) },
    { method: 'GET', path: '/phone/verification-required', auth: 'none', handle: (req, state) => verificationRequiredGet(req, state) },
    { method: 'GET', path: '/phone/verification-required/:verificationId', auth: 'none', handle: (req, state) => verificationRequiredGet(req, state) },
    { method: 'POST', path: '/phone/verification-required', auth: 'none', form: true, handle: (req, state) => verificationRequiredPost(req, state) },
    { method: 'POST', path: '/phone/verification-required/:verificationId', auth: 'none', form: true, handle: (req, state) => verificationRequiredPost(req, state) },
  ],
};

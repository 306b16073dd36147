import { Inject, Injectable } from '@nestjs/common';
import { PageRedirect } from '../auth/errors/auth.errors';
import type { Principal } from '../auth/principal';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import type { AuthorizationContext, CodeFlowExtension, ConsentStep, IssuedTokens } from '../grants/code-flow-extension.registry';
import type { AuthorizationRequest } from '../authorization/dto/authorization-request';
import {
  AuthorizationPageError,
  AuthorizationRedirectError,
  type AuthorizationRedirectErrorCode,
} from '../authorization/errors/authorization.errors';
import { SessionsService } from '../sessions/sessions.service';
import { IdTokensService } from './id-tokens.service';
import { OidcClientSettingsService } from './oidc-client-settings.service';
import type { Client } from '../clients/client.entity';
import { OidcSignInsService } from './oidc-sign-ins.service';
import { OidcScope } from './oidc.scopes';
import { reauthMarker, reauthSatisfied, REAUTH_PARAM, withReauthMarker } from './reauthentication-marker';

/** Core §3.1.2.1 `prompt` values. */
const PROMPTS = new Set(['none', 'login', 'consent', 'select_account']);
/** `max_age`: a non-negative integer of seconds; more than 9 digits is not a real age. */
const MAX_AGE = /^\d{1,9}$/;

/** The longest value of each OpenID Connect request parameter (characters). */
export const OIDC_PARAM_LIMITS: Readonly<Record<string, number>> = {
  nonce: 512,
  prompt: 64,
  max_age: 16,
  login_hint: 254,
  id_token_hint: 8192,
  ui_locales: 100,
  display: 16,
  acr_values: 200,
  claims_locales: 100,
  response_mode: 32,
  claims: 4000,
  request: 8192,
  request_uri: 2000,
  registration: 4000,
  [REAUTH_PARAM]: 200,
};

/** What the OpenID Connect layer made of an authorization request; absent when it did not ask for `openid`. */
export interface OidcRequest {
  prompt: ReadonlySet<string>;
  maxAge?: number;
  nonce?: string;
  loginHint?: string;
  /** The `sub` of a valid `id_token_hint`. */
  hintSubject?: string;
  reauthMarker?: string;
}

/** The key of the OpenID Connect extension in CodeFlowExtensionRegistry and `request.extensions`. */
export const OIDC_EXTENSION = 'oidc';

/**
 * OpenID Connect on the authorization code flow (Core §3.1): request parameters (§3.1.2.1),
 * `prompt`/`max_age` before consent, the sign-in recorded with the code, and the id_token in
 * the token response (§3.1.3.3) and on refresh (§12.2). Requests without `openid` are plain
 * OAuth and pass untouched, apart from `request`/`request_uri`/`registration`, refused always.
 */
@Injectable()
export class OidcCodeFlowExtension implements CodeFlowExtension {
  readonly paramLimits = OIDC_PARAM_LIMITS;

  constructor(
    private readonly sessions: SessionsService,
    private readonly signIns: OidcSignInsService,
    private readonly idTokens: IdTokensService,
    private readonly settings: OidcClientSettingsService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /**
   * Core §3.1.2.1: redirect_uri is REQUIRED in an OpenID Connect request, even where RFC 6749
   * §3.1.2.3 lets a client with one registered URI leave it out. Not sent, it is not the client's
   * word: an error page, no redirect, whatever else is wrong with the request (scope, PKCE, …).
   * A request is OpenID Connect when any `scope` value it carries (repeated or not) names openid,
   * or when it sends none and the client's default scopes (RFC 6749 §3.3) include openid.
   */
  checkRedirect(raw: Readonly<Record<string, unknown>>, ctx: { client: Client; redirectUriGiven: boolean }): void {
    if (ctx.redirectUriGiven) return;
    const sent = [raw.scope].flat().filter((v): v is string => typeof v === 'string' && v !== '');
    const scopes = sent.length > 0 ? sent : [ctx.client.allowedScopes.join(' ')];
    if (scopes.some((v) => v.split(' ').includes(OidcScope.OpenId))) {
      throw new AuthorizationPageError('invalid_request', 'redirect_uri is required in an OpenID Connect request (scope openid)');
    }
  }

  async validate(raw: Readonly<Record<string, string | undefined>>, ctx: AuthorizationContext): Promise<OidcRequest | undefined> {
    const fail = (error: AuthorizationRedirectErrorCode, message: string) =>
      new AuthorizationRedirectError(ctx.redirectUri, ctx.state, error, message);
    // Core §6 and §7.2.1: request objects and self-issued registration are not supported.
    if (raw.request !== undefined) throw fail('request_not_supported', 'The request parameter (a request object) is not supported');
    if (raw.request_uri !== undefined) throw fail('request_uri_not_supported', 'The request_uri parameter is not supported');
    if (raw.registration !== undefined) throw fail('registration_not_supported', 'The registration parameter is not supported');
    if (raw.response_mode !== undefined && raw.response_mode !== 'query') {
      throw fail('invalid_request', 'Only response_mode=query is supported');
    }
    if (!ctx.scopes.includes(OidcScope.OpenId)) return undefined;

    const prompt = new Set((raw.prompt ?? '').split(' ').filter(Boolean));
    const unknown = [...prompt].find((p) => !PROMPTS.has(p));
    if (unknown) throw fail('invalid_request', `Unknown prompt value: ${unknown}`);
    if (prompt.has('none') && prompt.size > 1) throw fail('invalid_request', 'prompt=none cannot be combined with other prompt values');

    let maxAge: number | undefined;
    if (raw.max_age !== undefined) {
      if (!MAX_AGE.test(raw.max_age)) throw fail('invalid_request', 'max_age must be a non-negative integer number of seconds');
      maxAge = Number(raw.max_age);
    }

    let hintSubject: string | undefined;
    if (raw.id_token_hint !== undefined) {
      const hint = await this.idTokens.verifyHint(raw.id_token_hint);
      const audiences = hint ? (Array.isArray(hint.aud) ? hint.aud : [hint.aud]) : [];
      if (!hint || !audiences.includes(ctx.client.clientId)) {
        throw fail('invalid_request', 'id_token_hint is not an id_token this server issued to this client');
      }
      hintSubject = hint.sub;
    }
    // `claims` (§5.5) is not supported and ignored, as §5.5 allows (claims_parameter_supported: false).
    return { prompt, maxAge, nonce: raw.nonce, loginHint: raw.login_hint, hintSubject, reauthMarker: raw[REAUTH_PARAM] };
  }

  whenSignedOut(request: AuthorizationRequest, returnTo: string): Error | undefined {
    const oidc = request.extensions[OIDC_EXTENSION] as OidcRequest | undefined;
    if (!oidc) return undefined;
    if (oidc.prompt.has('none')) return this.error(request, 'login_required', 'The user is not signed in');
    // Signing in now is the re-authentication prompt=login asks for: mark the request so the
    // fresh session satisfies it when the browser comes back.
    if (oidc.prompt.has('login') || oidc.maxAge === 0) return this.toSignIn(returnTo);
    return undefined;
  }

  async beforeConsent(request: AuthorizationRequest, p: Principal, approved: boolean, returnTo: string): Promise<ConsentStep> {
    const oidc = request.extensions[OIDC_EXTENSION] as OidcRequest | undefined;
    if (!oidc) return {};
    const none = oidc.prompt.has('none');
    const sessionId = p.credential.id;
    // Core §3.1.2.1 id_token_hint: the request is for that user; another one must sign in.
    const otherUser = oidc.hintSubject !== undefined && oidc.hintSubject !== p.actor.id;
    const auth = oidc.maxAge !== undefined || oidc.reauthMarker !== undefined ? await this.sessions.authenticationOf(sessionId) : null;
    // Sent to sign in again by this request (the marker): an authentication since then satisfies it.
    const marked = auth !== null && reauthSatisfied(this.key, oidc.reauthMarker, auth.authTime);
    let stale = false;
    if (oidc.maxAge !== undefined && !marked) {
      stale = oidc.maxAge === 0 || !auth || Date.now() - auth.authTime.getTime() > oidc.maxAge * 1000;
    }
    const reauthenticate = otherUser || stale || (oidc.prompt.has('login') && !marked);
    if (reauthenticate) {
      if (none) throw this.error(request, 'login_required', 'The user must sign in again');
      throw this.toSignIn(returnTo);
    }
    if (none && !approved) throw this.error(request, 'consent_required', 'The user has not approved this application');
    // select_account: Gatehouse holds one session per browser; the consent page names the
    // account and offers to sign out, which is the choice there is.
    return { showConsent: oidc.prompt.has('consent') || oidc.prompt.has('select_account') };
  }

  async onCodeIssued(code: string, request: AuthorizationRequest, p: Principal, scopes: readonly string[]): Promise<void> {
    const oidc = request.extensions[OIDC_EXTENSION] as OidcRequest | undefined;
    if (!oidc || !scopes.includes(OidcScope.OpenId)) return;
    const auth = await this.sessions.authenticationOf(p.credential.id);
    await this.signIns.record({
      code,
      sessionId: p.credential.id,
      clientId: request.client.clientId,
      userId: p.actor.id,
      nonce: oidc.nonce ?? null,
      authTime: auth?.authTime ?? new Date(),
      amr: auth?.amr ?? null,
      acr: auth?.acr ?? null,
    });
  }

  async extendTokenResponse(issued: IssuedTokens): Promise<Record<string, string> | undefined> {
    if (!issued.scopes.includes(OidcScope.OpenId)) return undefined;
    const signIn = issued.code ? await this.signIns.redeem(issued.code, issued.grantId) : await this.signIns.findByGrant(issued.grantId);
    if (!signIn) return undefined;
    const { idTokenAlg } = await this.settings.forClient(issued.client.clientId);
    const idToken = await this.idTokens.sign({
      clientId: issued.client.clientId,
      alg: idTokenAlg,
      user: issued.user,
      scopes: issued.scopes,
      authTime: signIn.authTime,
      amr: signIn.amr,
      acr: signIn.acr,
      sid: signIn.sessionId,
      // Core §12.2: the nonce belongs to the authentication, not to refreshes.
      nonce: issued.code ? signIn.nonce : null,
      accessToken: issued.response.access_token,
    });
    return { id_token: idToken };
  }

  private get key(): Uint8Array {
    return this.config.session.keys[0];
  }

  private toSignIn(returnTo: string): PageRedirect {
    const next = withReauthMarker(returnTo, reauthMarker(this.key));
    return new PageRedirect(`/login?next=${encodeURIComponent(next)}`, 'Sign in again');
  }

  private error(request: AuthorizationRequest, error: AuthorizationRedirectErrorCode, message: string): AuthorizationRedirectError {
    return new AuthorizationRedirectError(request.redirectUri, request.state, error, message);
  }
}

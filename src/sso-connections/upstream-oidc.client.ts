import { BadRequestException, HttpStatus, Inject, Injectable, Logger } from '@nestjs/common';
import * as oidc from 'openid-client';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { SsoSignInError } from './sso-sign-in.error';

/** Discovered metadata is reused this long; the JWKS inside it refreshes itself on an unknown `kid`. */
const METADATA_TTL_MS = 10 * 60_000;

/** What the relying party needs of a connection (the secret already opened). */
export interface UpstreamClientSettings {
  id: string;
  /** Changes whenever the connection does: a cached configuration of an older version is dropped. */
  version: number;
  issuer: string;
  clientId: string;
  clientSecret: string;
}

/** The checked result of a callback: the id_token's claims (and UserInfo's, when asked). */
export interface UpstreamSignIn {
  claims: Record<string, unknown>;
}

/**
 * The relying-party side, all of it through openid-client 6 (OpenID Certified): Discovery 1.0
 * (the `issuer` must equal the configured one, §4.3), the authorization code flow with PKCE
 * (RFC 7636) + `state` + `nonce`, and the callback's checks (Core §3.1.3.7: signature by a key
 * of the discovered `jwks_uri`, `iss`, `aud`, `azp`, `exp`, `iat`, `nonce`; RFC 9207 `iss`
 * response parameter when the IdP advertises it). Every request to the IdP is bounded by
 * SSO_HTTP_TIMEOUT_SECONDS.
 */
@Injectable()
export class UpstreamOidcClient {
  private readonly logger = new Logger('SSO');
  private readonly cache = new Map<string, { version: number; at: number; config: oidc.Configuration }>();

  constructor(@Inject(APP_CONFIG) private readonly appConfig: AppConfig) {}

  /**
   * Fetches and checks the issuer's discovery document (for an admin saving a connection).
   * @throws BadRequestException (400) saying what is wrong: unreachable, slow, not JSON, another issuer, no code flow
   */
  async validateIssuer(issuer: string, clientId: string): Promise<{ authorizationEndpoint: string; jwksUri: string }> {
    try {
      const config = await this.discover(issuer, clientId, 'unused');
      const meta = config.serverMetadata();
      if (!meta.authorization_endpoint || !meta.token_endpoint || !meta.jwks_uri) {
        throw new BadRequestException('The discovery document lacks authorization_endpoint, token_endpoint or jwks_uri');
      }
      if (meta.response_types_supported && !meta.response_types_supported.includes('code')) {
        throw new BadRequestException('The identity provider does not offer the authorization code flow (response_type code)');
      }
      return { authorizationEndpoint: meta.authorization_endpoint, jwksUri: meta.jwks_uri };
    } catch (err) {
      if (err instanceof BadRequestException) throw err;
      const refused = this.classify(err);
      throw new BadRequestException(`Discovery of ${issuer} failed: ${refused.message}`);
    }
  }

  /** The discovered configuration of a connection (cached for 10 minutes per version). */
  async configuration(c: UpstreamClientSettings): Promise<oidc.Configuration> {
    const hit = this.cache.get(c.id);
    if (hit && hit.version === c.version && Date.now() - hit.at < METADATA_TTL_MS) return hit.config;
    try {
      const config = await this.discover(c.issuer, c.clientId, c.clientSecret);
      this.cache.set(c.id, { version: c.version, at: Date.now(), config });
      return config;
    } catch (err) {
      throw this.classify(err);
    }
  }

  /** The URL to send the browser to (Core §3.1.2.1), with PKCE S256, `state` and `nonce`. */
  async authorizationUrl(
    c: UpstreamClientSettings,
    params: { redirectUri: string; scope: string; state: string; nonce: string; codeVerifier: string; loginHint?: string },
  ): Promise<string> {
    const config = await this.configuration(c);
    const query: Record<string, string> = {
      redirect_uri: params.redirectUri,
      scope: params.scope,
      response_type: 'code',
      state: params.state,
      nonce: params.nonce,
      code_challenge: await oidc.calculatePKCECodeChallenge(params.codeVerifier),
      code_challenge_method: 'S256',
    };
    if (params.loginHint) query.login_hint = params.loginHint;
    return oidc.buildAuthorizationUrl(config, query).href;
  }

  /**
   * Checks the authorization response in `callbackUrl` and redeems its code (Core §3.1.3).
   * Adds UserInfo's claims when `wantClaim` is missing from the id_token.
   * @throws SsoSignInError for an upstream error, a failed check, an unreachable or slow IdP
   */
  async redeem(
    c: UpstreamClientSettings,
    callbackUrl: URL,
    checks: { state: string; nonce: string; codeVerifier: string },
    wantClaim: string,
  ): Promise<UpstreamSignIn> {
    const config = await this.configuration(c);
    try {
      const tokens = await oidc.authorizationCodeGrant(config, callbackUrl, {
        expectedState: checks.state,
        expectedNonce: checks.nonce,
        pkceCodeVerifier: checks.codeVerifier,
        idTokenExpected: true,
      });
      const claims: Record<string, unknown> = { ...tokens.claims() };
      if (claims[wantClaim] === undefined && config.serverMetadata().userinfo_endpoint) {
        const info = await oidc.fetchUserInfo(config, tokens.access_token, String(claims.sub));
        for (const [k, v] of Object.entries(info)) if (claims[k] === undefined) claims[k] = v;
      }
      return { claims };
    } catch (err) {
      throw this.classify(err);
    }
  }

  private discover(issuer: string, clientId: string, clientSecret: string): Promise<oidc.Configuration> {
    const insecure = this.appConfig.sso.allowInsecureHttp && issuer.startsWith('http://');
    return oidc.discovery(new URL(issuer), clientId, undefined, oidc.ClientSecretBasic(clientSecret), {
      // Also verify the id_token's signature against the discovered jwks_uri (Core §3.1.3.7 item 6
      // lets TLS stand in for it; we check both, so a key the IdP never published is refused).
      execute: insecure ? [oidc.allowInsecureRequests, oidc.enableNonRepudiationChecks] : [oidc.enableNonRepudiationChecks],
      timeout: this.appConfig.sso.httpTimeoutSeconds,
    });
  }

  /** An openid-client (or fetch) failure as a refusal: who is at fault, in words. */
  classify(err: unknown): SsoSignInError {
    if (err instanceof SsoSignInError) return err;
    if (err instanceof oidc.AuthorizationResponseError) {
      const code = /^[a-z_]{1,64}$/.test(err.error) ? err.error : 'error';
      const words = UPSTREAM_ERRORS[code] ?? 'The identity provider refused the sign-in.';
      return new SsoSignInError('upstream_error', code === 'access_denied' ? HttpStatus.FORBIDDEN : HttpStatus.BAD_REQUEST, words, code);
    }
    if (err instanceof oidc.ResponseBodyError) {
      if (err.status >= 500) return new SsoSignInError('idp_bad_response', HttpStatus.BAD_GATEWAY, IDP_FAILED, `status ${err.status}`);
      return new SsoSignInError(
        'token_refused',
        HttpStatus.BAD_REQUEST,
        'The identity provider did not accept this sign-in (it may have been used already or expired). Start again.',
        /^[a-z_]{1,64}$/.test(err.error) ? err.error : undefined,
      );
    }
    // fetch and openid-client wrap the network cause: look along the chain.
    const chain: { name?: string; code?: string; message?: string }[] = [];
    for (let cur: unknown = err; cur && typeof cur === 'object' && chain.length < 6; cur = (cur as { cause?: unknown }).cause) {
      chain.push(cur as { name?: string; code?: string; message?: string });
    }
    const e = chain[0] ?? {};
    if (chain.some((c) => c.name === 'TimeoutError' || c.name === 'AbortError')) {
      return new SsoSignInError(
        'idp_timeout',
        HttpStatus.GATEWAY_TIMEOUT,
        'The identity provider did not answer in time. Try again later.',
      );
    }
    const network = chain.find((c) => (c.name === 'TypeError' && /fetch failed/i.test(c.message ?? '')) || NETWORK_CODES.has(c.code ?? ''));
    if (network) {
      const code = chain.map((c) => c.code).find((c) => c && NETWORK_CODES.has(c));
      return new SsoSignInError(
        'idp_unreachable',
        HttpStatus.BAD_GATEWAY,
        'The identity provider cannot be reached. Try again later.',
        code,
      );
    }
    if (typeof e?.code === 'string' && e.code.startsWith('OAUTH_')) {
      if (BAD_RESPONSE_CODES.has(e.code)) return new SsoSignInError('idp_bad_response', HttpStatus.BAD_GATEWAY, IDP_FAILED, e.code);
      return new SsoSignInError(
        'invalid_response',
        HttpStatus.BAD_REQUEST,
        'The sign-in response did not pass its security checks, so it was refused. Start again.',
        e.code,
      );
    }
    // A JWS signature that does not verify, an algorithm not allowed: the response is refused.
    if (e?.name === 'OperationProcessingError' || /signature/i.test(e?.message ?? '')) {
      return new SsoSignInError(
        'invalid_response',
        HttpStatus.BAD_REQUEST,
        'The sign-in response did not pass its security checks, so it was refused. Start again.',
        'signature',
      );
    }
    this.logger.warn({ err }, 'Unexpected error from the identity provider exchange');
    return new SsoSignInError('idp_bad_response', HttpStatus.BAD_GATEWAY, IDP_FAILED, e?.name);
  }
}

/** Connection-level failures (node:net, undici): the IdP is down or unreachable. */
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
]);

const IDP_FAILED = 'The identity provider answered with an error or something that is not OpenID Connect. Try again later.';

/** Library codes meaning the IdP's answer was broken (an outage, a misconfiguration), not forged. */
const BAD_RESPONSE_CODES = new Set([
  'OAUTH_RESPONSE_IS_NOT_CONFORM',
  'OAUTH_RESPONSE_IS_NOT_JSON',
  'OAUTH_PARSE_ERROR',
  'OAUTH_INVALID_SERVER_METADATA',
  'OAUTH_MISSING_SERVER_METADATA',
  'OAUTH_HTTP_REQUEST_FORBIDDEN',
  'OAUTH_REQUEST_PROTOCOL_FORBIDDEN',
]);

/** Authorization error codes (RFC 6749 §4.1.2.1, Core §3.1.2.6) in words for the page. */
const UPSTREAM_ERRORS: Record<string, string> = {
  access_denied: 'The sign-in was cancelled or refused at your identity provider.',
  login_required: 'Your identity provider needs you to sign in there first.',
  interaction_required: 'Your identity provider needs you to complete a step there first.',
  consent_required: 'Your identity provider needs your consent first.',
  temporarily_unavailable: 'Your identity provider is temporarily unavailable. Try again later.',
  server_error: 'Your identity provider had an error. Try again later.',
};

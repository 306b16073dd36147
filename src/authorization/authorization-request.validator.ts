import { Inject, Injectable } from '@nestjs/common';
import { ScopeRegistry } from '../auth/scope-registry';
import type { Client } from '../clients/client.entity';
import { ClientsService } from '../clients/clients.service';
import { matchesRegisteredRedirectUri, MAX_REDIRECT_URI_LENGTH } from '../clients/redirect-uri';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { requestedScopeProblem } from '../oauth/client-scopes';
import { CodeFlowExtensionRegistry } from '../grants/code-flow-extension.registry';
import { AUTHORIZATION_PARAM_NAMES, AuthorizationParamName, AuthorizationRequest } from './dto/authorization-request';
import { AuthorizationPageError, AuthorizationRedirectError } from './errors/authorization.errors';
import { isWellFormedS256Challenge, PKCE_METHOD } from '../grants/pkce';
import { splitScopes } from '../oauth/scope-list';

type RawParams = Record<string, unknown>;

/**
 * The longest value each authorization request parameter may have, in characters. The one
 * place these limits live: /oauth/authorize and the consent post both apply them here.
 */
export const AUTHORIZATION_PARAM_LIMITS: Readonly<Record<AuthorizationParamName, number>> = {
  response_type: 32,
  client_id: 64,
  redirect_uri: MAX_REDIRECT_URI_LENGTH,
  scope: 1000,
  state: 2000,
  code_challenge: 128,
  code_challenge_method: 16,
};

/** What the consent form posts back: the user's decision and the request it is about. */
export interface ConsentDecision {
  decision: 'approve' | 'deny';
  request: AuthorizationRequest;
}

/**
 * Checks an authorization request (RFC 6749 §4.1.1, RFC 7636 §4.3) in the order §4.1.2.1
 * requires: first the client and redirect URI, whose failures must not redirect, then
 * everything else, whose failures go back to the now-trusted redirect URI.
 */
@Injectable()
export class AuthorizationRequestValidator {
  constructor(
    private readonly clients: ClientsService,
    private readonly scopeRegistry: ScopeRegistry,
    private readonly extensionRegistry: CodeFlowExtensionRegistry,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async validate(raw: RawParams): Promise<AuthorizationRequest> {
    const client = await this.trustedClient(raw);
    const { redirectUri, redirectUriGiven } = this.trustedRedirectUri(client, raw);
    // Before any redirectable error below: an extension may refuse to redirect this request at all.
    for (const [, extension] of this.extensionRegistry.entries()) extension.checkRedirect?.(raw, { client, redirectUriGiven });
    const rawState = typeof raw.state === 'string' && raw.state !== '' ? raw.state : undefined;
    // An over-long state is not echoed back: it is the error being reported.
    const state = rawState !== undefined && rawState.length <= AUTHORIZATION_PARAM_LIMITS.state ? rawState : undefined;
    const fail = (error: AuthorizationRedirectError['error'], message: string) =>
      new AuthorizationRedirectError(redirectUri, state, error, message);

    // RFC 6749 §3.1: request parameters must not be included more than once.
    const repeated = Object.entries(raw).find(([, v]) => Array.isArray(v));
    if (repeated) throw fail('invalid_request', `The ${repeated[0]} parameter is repeated`);
    const limits: Record<string, number> = { ...this.extensionRegistry.paramLimits(), ...AUTHORIZATION_PARAM_LIMITS };
    const tooLong = Object.keys(limits).find((n) => typeof raw[n] === 'string' && raw[n].length > limits[n]);
    if (tooLong) throw fail('invalid_request', `${tooLong} is longer than ${limits[tooLong]} characters`);

    const responseType = param(raw, 'response_type');
    if (!responseType) throw fail('invalid_request', 'response_type is required');
    if (responseType !== 'code') throw fail('unsupported_response_type', 'Only response_type=code is supported');
    if (!client.grantTypes.includes('authorization_code')) {
      throw fail('unauthorized_client', 'This client is not allowed to use the authorization code grant');
    }

    const scopes = this.requestedScopes(client, param(raw, 'scope'));
    if (typeof scopes === 'string') throw fail('invalid_scope', scopes);

    const pkce = this.codeChallenge(client, param(raw, 'code_challenge'), param(raw, 'code_challenge_method'));
    if (pkce !== null && typeof pkce === 'object') throw fail('invalid_request', pkce.problem);

    const extensions: Record<string, unknown> = {};
    const strings = Object.fromEntries(Object.keys(limits).map((n) => [n, param(raw, n)]));
    for (const [key, extension] of this.extensionRegistry.entries()) {
      extensions[key] = await extension.validate(strings, { client, redirectUri, state, scopes });
    }
    return { client, redirectUri, redirectUriGiven, state, scopes, codeChallenge: pkce, extensions };
  }

  /**
   * The consent form's post (RFC 6749 §4.1.2): the request it carries back in hidden fields is
   * validated again in full, by the same rules and limits as at /oauth/authorize. Every failure
   * is an authorization error (page or redirect), never an API error body.
   */
  async validateConsent(body: unknown): Promise<ConsentDecision> {
    const fields = body !== null && typeof body === 'object' && !Array.isArray(body) ? (body as RawParams) : {};
    const names = this.carriedParamNames();
    const params = Object.fromEntries(names.filter((n) => n in fields).map((n) => [n, fields[n]]));
    const request = await this.validate(params);
    const decision = fields.decision;
    if (decision !== 'approve' && decision !== 'deny') {
      throw new AuthorizationPageError('invalid_request', 'The consent form was incomplete: it must say approve or deny');
    }
    return { decision, request };
  }

  /** The parameters the consent form carries back: the core ones and every extension's. */
  carriedParamNames(): string[] {
    return [...AUTHORIZATION_PARAM_NAMES, ...Object.keys(this.extensionRegistry.paramLimits())];
  }

  private async trustedClient(raw: RawParams): Promise<Client> {
    if (Array.isArray(raw.client_id)) throw new AuthorizationPageError('invalid_request', 'The client_id parameter is repeated');
    const clientId = param(raw, 'client_id');
    if (!clientId) throw new AuthorizationPageError('invalid_request', 'The request does not name a client (client_id is missing)');
    const client = clientId.length <= AUTHORIZATION_PARAM_LIMITS.client_id ? await this.clients.findActiveById(clientId) : null;
    if (!client) {
      throw new AuthorizationPageError('invalid_client', 'The application that sent you here is unknown or has been disabled');
    }
    return client;
  }

  /**
   * Exact string comparison (RFC 9700 §2.1), any port for a loopback IP (RFC 8252 §7.3); an
   * omitted URI means the single registered one. The URI used is the one given: the code
   * remembers it and the token request must repeat exactly it (RFC 6749 §4.1.3).
   */
  private trustedRedirectUri(client: Client, raw: RawParams): { redirectUri: string; redirectUriGiven: boolean } {
    if (Array.isArray(raw.redirect_uri)) throw new AuthorizationPageError('invalid_request', 'The redirect_uri parameter is repeated');
    const given = param(raw, 'redirect_uri');
    if (given !== undefined) {
      if (given.length > AUTHORIZATION_PARAM_LIMITS.redirect_uri) {
        throw new AuthorizationPageError('invalid_request', 'The redirect URI is not registered for this application');
      }
      if (!matchesRegisteredRedirectUri(given, client.redirectUris)) {
        throw new AuthorizationPageError('invalid_request', 'The redirect URI is not registered for this application');
      }
      return { redirectUri: given, redirectUriGiven: true };
    }
    if (client.redirectUris.length !== 1) {
      throw new AuthorizationPageError('invalid_request', 'The request must name its redirect_uri');
    }
    return { redirectUri: client.redirectUris[0], redirectUriGiven: false };
  }

  /** The requested scopes, or the problem with them. An omitted scope means the client's defaults (RFC 6749 §3.3). */
  private requestedScopes(client: Client, scope: string | undefined): string[] | string {
    const requested = scope === undefined ? client.allowedScopes : splitScopes(scope);
    return requestedScopeProblem(requested, client, this.scopeRegistry) ?? requested;
  }

  /** The S256 challenge, null when PKCE is not required and not used, or the problem (RFC 7636 §4.4.1). */
  private codeChallenge(client: Client, challenge?: string, method?: string): string | null | { problem: string } {
    if (challenge === undefined) {
      if (method !== undefined) return { problem: 'code_challenge_method was sent without code_challenge' };
      const required = client.type === 'public' || this.config.codeFlow.pkceRequiredForConfidential;
      return required ? { problem: 'PKCE is required: send code_challenge with code_challenge_method=S256' } : null;
    }
    // An absent method means `plain` (RFC 7636 §4.3), which is refused like an explicit one.
    if (method !== PKCE_METHOD) return { problem: 'Transform algorithm not supported: only code_challenge_method=S256 is accepted' };
    if (!isWellFormedS256Challenge(challenge)) return { problem: 'code_challenge is not a valid S256 challenge' };
    return challenge;
  }
}

/** A single-valued parameter; empty means omitted (RFC 6749 §3.1). */
function param(raw: RawParams, name: string): string | undefined {
  const v = raw[name];
  return typeof v === 'string' && v !== '' ? v : undefined;
}

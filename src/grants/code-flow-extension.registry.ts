import { Injectable } from '@nestjs/common';
import type { Principal } from '../auth/principal';
import type { Client } from '../clients/client.entity';
import type { User } from '../users/user.entity';
import type { AuthorizationRequest } from '../authorization/dto/authorization-request';
import type { TokenResponse } from '../token-endpoint/grant-handler';

/** Where an extension's request parameters are checked: the client and redirect URI are already trusted. */
export interface AuthorizationContext {
  client: Client;
  redirectUri: string;
  state?: string;
  /** The scopes the request asks for (already checked against the client). */
  scopes: readonly string[];
}

/** What the authorization endpoint does after an extension looked at a signed-in request. */
export interface ConsentStep {
  /** Show the consent page even though an earlier consent covers the request (e.g. `prompt=consent`). */
  showConsent?: boolean;
}

/** Tokens the code flow just issued into a family: an extension may add response members. */
export interface IssuedTokens {
  grantType: string;
  client: Client;
  user: User;
  grantId: string;
  scopes: readonly string[];
  response: TokenResponse;
  /** The authorization code redeemed, for `grant_type=authorization_code`. */
  code?: string;
}

/**
 * A protocol layered on the authorization code flow (OpenID Connect): its request parameters,
 * its say before consent, what it records with a code and what it adds to token responses.
 * Every method may throw an AuthorizationRedirectError (to the trusted redirect URI) or a
 * PageRedirect (e.g. to sign in again).
 */
export interface CodeFlowExtension {
  /** Extra authorization request parameters and their longest length (characters); the consent form carries them back. */
  readonly paramLimits: Readonly<Record<string, number>>;
  /**
   * Runs right after the client and redirect URI are verified and before any error may be sent
   * to that URI (`raw` as received: a value may be an array when repeated). Throw an
   * AuthorizationPageError where this request may not be redirected at all, e.g. OpenID Connect
   * Core §3.1.2.1 requires redirect_uri even where RFC 6749 §3.1.2.3 lets it be omitted.
   */
  checkRedirect?(raw: Readonly<Record<string, unknown>>, ctx: { client: Client; redirectUriGiven: boolean }): void;
  /** Checks its parameters; the result is kept as `request.extensions[key]`. */
  validate(raw: Readonly<Record<string, string | undefined>>, ctx: AuthorizationContext): Promise<unknown>;
  /** No session: an error or redirect instead of the sign-in page, or undefined for the usual sign-in. */
  whenSignedOut(request: AuthorizationRequest, returnTo: string): Error | undefined;
  /** A signed-in user at /oauth/authorize, `approved` when an earlier consent covers the request. */
  beforeConsent(request: AuthorizationRequest, principal: Principal, approved: boolean, returnTo: string): Promise<ConsentStep>;
  /** A code was issued for `scopes` (what the user granted). */
  onCodeIssued(code: string, request: AuthorizationRequest, principal: Principal, scopes: readonly string[]): Promise<void>;
  /** Members to add to the token response (e.g. `id_token`). */
  extendTokenResponse(issued: IssuedTokens): Promise<Record<string, string> | undefined>;
}

/** The code flow's extensions, registered by the modules that own them (OidcModule). */
@Injectable()
export class CodeFlowExtensionRegistry {
  private readonly extensions = new Map<string, CodeFlowExtension>();

  register(key: string, extension: CodeFlowExtension): void {
    this.extensions.set(key, extension);
  }

  entries(): [string, CodeFlowExtension][] {
    return [...this.extensions];
  }

  /** Every extension's parameter limits, merged. */
  paramLimits(): Record<string, number> {
    return Object.assign({}, ...[...this.extensions.values()].map((e) => e.paramLimits)) as Record<string, number>;
  }

  async extendTokenResponse(issued: IssuedTokens): Promise<TokenResponse> {
    let response = issued.response;
    for (const e of this.extensions.values()) {
      const extra = await e.extendTokenResponse({ ...issued, response });
      if (extra) response = { ...response, ...extra };
    }
    return response;
  }
}

import { Injectable } from '@nestjs/common';
import { AuditService } from '../audit/audit.service';
import type { Client } from '../clients/client.entity';
import type { AuthorizationCode } from './authorization-code.entity';
import { AuthorizationCodesService } from './authorization-codes.service';
import { CodeFlowTokensService } from './code-flow-tokens.service';
import { InvalidGrantError } from '../auth/errors/oauth.errors';
import type { GrantHandler, GrantRequestMeta, TokenResponse } from '../token-endpoint/grant-handler';
import { GrantHandlerRegistry } from '../token-endpoint/grant-handler.registry';
import { GrantsService } from './grants.service';
import type { OAuthParams } from '../oauth/oauth-params';
import { verifyS256 } from './pkce';

const INVALID_CODE = 'The authorization code is invalid, expired, already used or was issued to another client';

/** `grant_type=authorization_code` (RFC 6749 §4.1.3, RFC 7636 §4.5–4.6). */
@Injectable()
export class AuthorizationCodeGrantHandler implements GrantHandler {
  readonly grantType = 'authorization_code';

  constructor(
    registry: GrantHandlerRegistry,
    private readonly codes: AuthorizationCodesService,
    private readonly grants: GrantsService,
    private readonly tokens: CodeFlowTokensService,
    private readonly audit: AuditService,
  ) {
    registry.register(this);
  }

  async handle(client: Client, params: OAuthParams, meta: GrantRequestMeta): Promise<TokenResponse> {
    const code = await this.codes.findByCode(params.require('code'));
    // RFC 6749 §4.1.3: the code must have been issued to the authenticated client.
    if (!code || code.clientId !== client.clientId) throw new InvalidGrantError(INVALID_CODE);
    if (code.consumedAt) {
      // Only the client itself may set off the revocation: anyone else holding a used code
      // (from a log, a referrer) and a public client_id must not be able to end the user's grant.
      await this.onReplay(code, code.grantId, meta, provesClient(code, params.get('code_verifier'), meta));
      throw new InvalidGrantError(INVALID_CODE);
    }
    if (code.expiresAt.getTime() <= Date.now()) throw new InvalidGrantError(INVALID_CODE);
    checkRedirectUri(code, params.get('redirect_uri'));
    checkCodeVerifier(code, params.get('code_verifier'));

    const user = await this.tokens.activeUser(client, code.userId, code.createdAt);

    // The family exists before the code is spent, so a replay that loses the race can revoke it.
    const grant = await this.grants.start(user.id, client.clientId, code.scopes);
    if (!(await this.codes.consume(code.id, grant.id))) {
      await this.grants.revoke(grant.id, 'code_reuse');
      // This request passed the redirect URI and PKCE checks above: it is the client.
      await this.onReplay(code, await this.codes.grantIdOf(code.id), meta, true);
      throw new InvalidGrantError(INVALID_CODE);
    }
    return this.tokens.issueInto(grant, client, user, code.scopes, meta, 'authorization_code', params.require('code'));
  }

  /**
   * RFC 6749 §4.1.2 / RFC 9700 §4.2.4: a code used twice revokes every token issued from it,
   * once the replaying request has proven it is the client the code was issued to. An
   * unproven replay revokes nothing; both are on record.
   */
  private async onReplay(code: AuthorizationCode, grantId: string | null, meta: GrantRequestMeta, proven: boolean): Promise<void> {
    if (proven && grantId) await this.grants.revoke(grantId, 'code_reuse');
    await this.audit.record({
      action: proven ? 'code.reuse_detected' : 'code.replay_refused',
      outcome: 'denied',
      actor: { type: 'client', id: code.clientId },
      target: { type: 'user', id: code.userId },
      meta,
      details: { familyId: grantId, ...(proven ? {} : { reason: 'no client authentication and no matching code_verifier' }) },
    });
  }
}

/**
 * Whether a request presenting an already used code is the client it was issued to (the
 * client id already matched): it authenticated with a secret, or it holds the PKCE verifier
 * that only the client that started the flow has (RFC 7636 §1).
 */
function provesClient(code: AuthorizationCode, verifier: string | undefined, meta: GrantRequestMeta): boolean {
  if (meta.authMethod !== 'none') return true;
  return code.codeChallenge !== null && verifier !== undefined && verifyS256(verifier, code.codeChallenge);
}

/** RFC 6749 §4.1.3: repeated exactly when the authorization request carried it. */
function checkRedirectUri(code: AuthorizationCode, given: string | undefined): void {
  if (given === undefined ? code.redirectUriGiven : given !== code.redirectUri) {
    throw new InvalidGrantError('redirect_uri does not match the one of the authorization request');
  }
}

/** RFC 7636 §4.6, and RFC 9700 §2.1.1: a verifier for a code issued without a challenge is a downgrade. */
function checkCodeVerifier(code: AuthorizationCode, verifier: string | undefined): void {
  if (code.codeChallenge === null) {
    if (verifier !== undefined) throw new InvalidGrantError('code_verifier sent for a code issued without code_challenge');
    return;
  }
  if (verifier === undefined) throw new InvalidGrantError('code_verifier is required (PKCE)');
  if (!verifyS256(verifier, code.codeChallenge)) throw new InvalidGrantError('code_verifier does not match the code_challenge');
}

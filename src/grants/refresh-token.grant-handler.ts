import { Inject, Injectable } from '@nestjs/common';
import { AuditService } from '../audit/audit.service';
import type { Client } from '../clients/client.entity';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { CodeFlowTokensService } from './code-flow-tokens.service';
import { InvalidGrantError, InvalidScopeError } from '../auth/errors/oauth.errors';
import type { Grant } from './grant.entity';
import type { GrantHandler, GrantRequestMeta, TokenResponse } from '../token-endpoint/grant-handler';
import { GrantHandlerRegistry } from '../token-endpoint/grant-handler.registry';
import { GrantsService } from './grants.service';
import type { OAuthParams } from '../oauth/oauth-params';
import type { RefreshToken } from './refresh-token.entity';
import { RefreshSuccessorsService } from './refresh-successors.service';
import { RefreshTokensService } from './refresh-tokens.service';
import { isSubset } from '../oauth/scope-list';

const INVALID_TOKEN = 'The refresh token is invalid, expired, revoked or was issued to another client';

/**
 * `grant_type=refresh_token` with rotation and reuse detection (RFC 6749 §6, RFC 9700 §4.14.2),
 * with a grace window (REFRESH_TOKEN_REUSE_GRACE_SECONDS) in which a rotated-out token answers
 * with its one successor instead of revoking the family.
 */
@Injectable()
export class RefreshTokenGrantHandler implements GrantHandler {
  readonly grantType = 'refresh_token';

  constructor(
    registry: GrantHandlerRegistry,
    private readonly refreshTokens: RefreshTokensService,
    private readonly grants: GrantsService,
    private readonly tokens: CodeFlowTokensService,
    private readonly audit: AuditService,
    private readonly successors: RefreshSuccessorsService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    registry.register(this);
  }

  async handle(client: Client, params: OAuthParams, meta: GrantRequestMeta): Promise<TokenResponse> {
    const presented = params.require('refresh_token');
    const token = await this.refreshTokens.findByToken(presented);
    // RFC 6749 §6 / §10.4: the refresh token is bound to the client it was issued to.
    if (!token || token.clientId !== client.clientId) throw new InvalidGrantError(INVALID_TOKEN);
    const grant = await this.grants.findById(token.grantId);
    if (!grant || grant.revokedAt || token.revokedAt) throw new InvalidGrantError(INVALID_TOKEN);
    if (token.rotatedAt) return this.retryOrReuse(token, presented, grant, client, meta);
    const now = Date.now();
    if (token.expiresAt.getTime() <= now || grant.expiresAt.getTime() <= now) throw new InvalidGrantError(INVALID_TOKEN);

    const requested = narrowedScopes(grant, params.scopes());
    const user = await this.tokens.activeUser(client, grant.userId, grant.createdAt);

    // The successor is written before the token is rotated out, so whoever sees the token
    // rotated can already find it. Concurrent presentations derive and write the same rows.
    const successor = this.successors.derive(presented);
    const response = await this.tokens.issueSuccessor(grant, client, user, requested, successor, meta.audience);
    // Exactly one of concurrent uses rotates the token (a conditional update); the others
    // retry within the grace window, or are reuse.
    if (response && (await this.refreshTokens.rotate(token.id))) {
      await this.tokens.announceSuccessor(grant, client, user.id, successor, meta);
      return response;
    }
    const current = await this.refreshTokens.findByToken(presented);
    if (!current || current.revokedAt || !current.rotatedAt) throw new InvalidGrantError(INVALID_TOKEN);
    return this.retryOrReuse(current, presented, grant, client, meta);
  }

  /**
   * A rotated-out token came back. Within the grace window, and while its successor is unused,
   * it gets that same successor (a retry, or a parallel refresh that lost the race); otherwise
   * it is reuse. Decided by the database alone, so N instances agree.
   */
  private async retryOrReuse(
    token: RefreshToken,
    presented: string,
    grant: Grant,
    client: Client,
    meta: GrantRequestMeta,
  ): Promise<TokenResponse> {
    const graceMs = this.config.codeFlow.refreshReuseGraceMs;
    if (graceMs > 0 && Date.now() - token.rotatedAt!.getTime() < graceMs) {
      const replay = await this.tokens.replaySuccessor(grant, client, this.successors.candidates(presented));
      if (replay) {
        await this.auditFamily('refresh.grace_retry', 'success', grant, meta);
        return replay;
      }
    }
    await this.reuseDetected(grant, meta);
    throw new InvalidGrantError(INVALID_TOKEN);
  }

  /** RFC 9700 §4.14.2: a rotated-out token came back, so one of its holders is not the client. */
  private async reuseDetected(grant: Grant, meta: GrantRequestMeta): Promise<void> {
    await this.grants.revoke(grant.id, 'refresh_reuse');
    await this.auditFamily('refresh.reuse_detected', 'denied', grant, meta);
  }

  private auditFamily(action: string, outcome: 'success' | 'denied', grant: Grant, meta: GrantRequestMeta): Promise<void> {
    return this.audit.record({
      action,
      outcome,
      actor: { type: 'client', id: grant.clientId },
      target: { type: 'user', id: grant.userId },
      meta,
      details: { familyId: grant.id },
    });
  }
}

/** RFC 6749 §6: a scope on refresh may narrow what the user granted, never widen it. */
function narrowedScopes(grant: Grant, requested: string[] | undefined): string[] {
  if (requested === undefined) return grant.scopes;
  if (!isSubset(requested, grant.scopes)) {
    throw new InvalidScopeError('A refresh may not ask for scopes beyond those originally granted');
  }
  return requested;
}

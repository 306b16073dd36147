import { Injectable } from '@nestjs/common';
import { AuditService } from '../audit/audit.service';
import type { Client } from '../clients/client.entity';
import { CodeFlowTokensService } from './code-flow-tokens.service';
import { InvalidGrantError, InvalidScopeError } from './errors/oauth.errors';
import type { Grant } from './grant.entity';
import type { GrantHandler, GrantRequestMeta, TokenResponse } from './grant-handler';
import { GrantHandlerRegistry } from './grant-handler.registry';
import { GrantsService } from './grants.service';
import type { OAuthParams } from './oauth-params';
import { RefreshTokensService } from './refresh-tokens.service';
import { isSubset } from './scope-list';

const INVALID_TOKEN = 'The refresh token is invalid, expired, revoked or was issued to another client';

/** `grant_type=refresh_token` with rotation and reuse detection (RFC 6749 §6, RFC 9700 §4.14.2). */
@Injectable()
export class RefreshTokenGrantHandler implements GrantHandler {
  readonly grantType = 'refresh_token';

  constructor(
    registry: GrantHandlerRegistry,
    private readonly refreshTokens: RefreshTokensService,
    private readonly grants: GrantsService,
    private readonly tokens: CodeFlowTokensService,
    private readonly audit: AuditService,
  ) {
    registry.register(this);
  }

  async handle(client: Client, params: OAuthParams, meta: GrantRequestMeta): Promise<TokenResponse> {
    const token = await this.refreshTokens.findByToken(params.require('refresh_token'));
    // RFC 6749 §6 / §10.4: the refresh token is bound to the client it was issued to.
    if (!token || token.clientId !== client.clientId) throw new InvalidGrantError(INVALID_TOKEN);
    const grant = await this.grants.findById(token.grantId);
    if (!grant || grant.revokedAt || token.revokedAt) throw new InvalidGrantError(INVALID_TOKEN);
    if (token.rotatedAt) {
      await this.reuseDetected(grant, meta);
      throw new InvalidGrantError(INVALID_TOKEN);
    }
    const now = Date.now();
    if (token.expiresAt.getTime() <= now || grant.expiresAt.getTime() <= now) throw new InvalidGrantError(INVALID_TOKEN);

    const requested = narrowedScopes(grant, params.scopes());
    const user = await this.tokens.activeUser(grant.userId);

    // Exactly one of concurrent uses rotates the token; the others are reuse.
    if (!(await this.refreshTokens.rotate(token.id))) {
      await this.reuseDetected(grant, meta);
      throw new InvalidGrantError(INVALID_TOKEN);
    }
    return this.tokens.issueInto(grant, client, user, requested, meta, 'refresh_token');
  }

  /** RFC 9700 §4.14.2: a rotated-out token came back, so one of its holders is not the client. */
  private async reuseDetected(grant: Grant, meta: GrantRequestMeta): Promise<void> {
    await this.grants.revoke(grant.id, 'refresh_reuse');
    await this.audit.record({
      action: 'refresh.reuse_detected',
      outcome: 'denied',
      actor: { type: 'client', id: grant.clientId },
      target: { type: 'user', id: grant.userId },
      meta,
      details: { family_id: grant.id },
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

import { Injectable } from '@nestjs/common';
import { AuditService } from '../audit/audit.service';
import { DEVICE_CODE_GRANT_TYPE } from '../clients/client-types';
import type { Client } from '../clients/client.entity';
import { CodeFlowTokensService } from '../grants/code-flow-tokens.service';
import { ConsentsService } from '../grants/consents.service';
import { InvalidGrantError } from '../auth/errors/oauth.errors';
import type { GrantHandler, GrantRequestMeta, TokenResponse } from '../token-endpoint/grant-handler';
import { GrantHandlerRegistry } from '../token-endpoint/grant-handler.registry';
import { GrantsService } from '../grants/grants.service';
import type { OAuthParams } from '../oauth/oauth-params';
import type { DeviceAuthorization } from './device-authorization.entity';
import { DeviceAuthorizationsService } from './device-authorizations.service';
import { AccessDeniedError, AuthorizationPendingError, ExpiredTokenError, SlowDownError } from './device-flow.errors';

const INVALID_CODE = 'The device code is invalid, already used or was issued to another client';

/**
 * `grant_type=urn:ietf:params:oauth:grant-type:device_code` (RFC 8628 §3.4–3.5): the device
 * polls with its device code until the user decides. The tokens go into a new refresh-token
 * family, with the code flow's rotation and reuse rules.
 */
@Injectable()
export class DeviceCodeGrantHandler implements GrantHandler {
  readonly grantType = DEVICE_CODE_GRANT_TYPE;

  constructor(
    registry: GrantHandlerRegistry,
    private readonly authorizations: DeviceAuthorizationsService,
    private readonly grants: GrantsService,
    private readonly consents: ConsentsService,
    private readonly tokens: CodeFlowTokensService,
    private readonly audit: AuditService,
  ) {
    registry.register(this);
  }

  /**
   * @throws InvalidGrantError unknown, malformed, another client's or already redeemed code
   * @throws AuthorizationPendingError / SlowDownError / AccessDeniedError / ExpiredTokenError (§3.5)
   */
  async handle(client: Client, params: OAuthParams, meta: GrantRequestMeta): Promise<TokenResponse> {
    const row = await this.authorizations.findByDeviceCode(params.require('device_code'));
    // The device code is bound to the client it was issued to (RFC 8628 §3.4).
    if (!row || row.clientId !== client.clientId) throw new InvalidGrantError(INVALID_CODE);
    switch (row.status) {
      case 'redeemed':
        throw new InvalidGrantError(INVALID_CODE);
      case 'denied':
        throw new AccessDeniedError('The user denied the authorization request');
      case 'expired':
        throw new ExpiredTokenError('The device code has expired; start a new device authorization');
    }
    if (row.expiresAt.getTime() <= Date.now()) {
      if (await this.authorizations.expire(row.id)) await this.recordExpiry(row, meta);
      throw new ExpiredTokenError('The device code has expired; start a new device authorization');
    }
    if (row.status === 'pending') {
      if (!(await this.authorizations.poll(row))) {
        throw new SlowDownError(`Polling too fast: wait at least ${row.intervalSeconds + 5} seconds between requests`);
      }
      throw new AuthorizationPendingError('The user has not yet approved or denied the request');
    }
    return this.redeem(row, client, meta);
  }

  private async redeem(row: DeviceAuthorization, client: Client, meta: GrantRequestMeta): Promise<TokenResponse> {
    // Exactly one of concurrent polls spends the code; the others see a redeemed code.
    if (!(await this.authorizations.redeem(row.id))) throw new InvalidGrantError(INVALID_CODE);
    const userId = row.userId!;
    // The user's decision is what the epoch is compared with: approved before a revocation, it is void.
    const user = await this.tokens.activeUser(client, userId, row.decidedAt, row.createdAt);
    // The user revoked the app (which forgets its consent) between approving and this poll.
    if (!(await this.consents.covers(userId, client.clientId, row.scopes))) {
      throw new AccessDeniedError('The user revoked this authorization');
    }
    const grant = await this.grants.start(userId, client.clientId, row.scopes);
    await this.authorizations.attachGrant(row.id, grant.id);
    return this.tokens.issueInto(grant, client, user, row.scopes, meta, DEVICE_CODE_GRANT_TYPE);
  }

  private recordExpiry(row: DeviceAuthorization, meta: GrantRequestMeta): Promise<void> {
    return this.audit.record({
      action: 'device_authorization.expire',
      outcome: 'failed',
      actor: { type: 'client', id: row.clientId },
      target: { type: 'client', id: row.clientId },
      meta,
      details: { deviceAuthorizationId: row.id, status: row.status },
    });
  }
}

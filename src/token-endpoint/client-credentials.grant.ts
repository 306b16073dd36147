import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { WriteBatch } from '../database/write-batch';
import { AuditService } from '../audit/audit.service';
import { ScopeRegistry } from '../auth/scope-registry';
import type { Client } from '../clients/client.entity';
import { AccessTokenService } from '../access-tokens/access-token.service';
import { InvalidScopeError, UnauthorizedClientError } from '../auth/errors/oauth.errors';
import type { GrantHandler, GrantRequestMeta, TokenResponse } from './grant-handler';
import { GrantHandlerRegistry } from './grant-handler.registry';
import type { OAuthParams } from '../oauth/oauth-params';
import { OAUTH_ACCESS_CREDENTIAL } from '../access-tokens/access-token.token-kind';

/**
 * RFC 6749 §4.4: a confidential client obtains a token for itself. The token's principal is the
 * client (its own service identity); never a refresh token (§4.4.3).
 */
@Injectable()
export class ClientCredentialsGrant implements GrantHandler {
  readonly grantType = 'client_credentials';

  constructor(
    registry: GrantHandlerRegistry,
    private readonly tokens: AccessTokenService,
    private readonly scopes: ScopeRegistry,
    private readonly audit: AuditService,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {
    registry.register(this);
  }

  async handle(client: Client, params: OAuthParams, meta: GrantRequestMeta): Promise<TokenResponse> {
    if (client.type !== 'confidential' || meta.authMethod === 'none') {
      throw new UnauthorizedClientError('client_credentials is only for confidential clients (RFC 6749 §4.4)');
    }
    const granted = this.grantedScopes(client, params.scopes());
    // The token and its audit row commit together: one commit, and no token without its record.
    const batch = new WriteBatch(this.dataSource);
    const { token, row, expiresIn } = await this.tokens.issueInto(batch, { client, scopes: granted, audience: meta.audience });
    this.audit.recordInto(batch, {
      action: 'token.issue',
      outcome: 'success',
      actor: { type: 'client', id: client.clientId },
      credential: { kind: OAUTH_ACCESS_CREDENTIAL, id: row.id },
      target: { type: 'client', id: client.clientId },
      meta,
      details: { grantType: this.grantType, scopes: granted, authMethod: meta.authMethod },
    });
    await batch.commit();
    return { access_token: token, token_type: 'Bearer', expires_in: expiresIn, scope: granted.join(' ') };
  }

  /**
   * Omitted scope means the client's allowed scopes (RFC 6749 §3.3 default). Anything asked for
   * must be registered, allowed to the client, and still held by its owner.
   */
  private grantedScopes(client: Client, requested: string[] | undefined): string[] {
    const held = this.scopes.permissionsFor(client.owner?.roles ?? []);
    // Identity scopes (openid, profile, email) describe a person signing in: a client acting for itself has none.
    const identity = new Set(this.scopes.identityScopes(client.allowedScopes));
    if (requested === undefined) return client.allowedScopes.filter((s) => held.has(s) && !identity.has(s));
    const asked = this.scopes.identityScopes(requested);
    if (asked.length > 0) {
      throw new InvalidScopeError(`${asked.join(' ')}: OpenID Connect identity scopes; a client_credentials token acts for no user`);
    }
    const refused = requested.filter((s) => !this.scopes.has(s) || !client.allowedScopes.includes(s) || !held.has(s));
    if (refused.length > 0) throw new InvalidScopeError(`This client may not request the scope: ${refused.join(' ')}`);
    return requested;
  }
}

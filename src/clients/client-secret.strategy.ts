import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import type { FastifyRequest } from 'fastify';
import { Strategy } from 'passport-custom';
import { AuthStrategyRegistry } from '../auth/auth-strategy-registry';
import type { Principal } from '../auth/principal';
import { PrincipalFactory } from '../auth/principal.factory';
import { ClientSecretsService } from './client-secrets.service';
import { CLIENT_SECRET_CREDENTIAL, CLIENT_SECRET_TOKEN } from './client-secret.token-kind';

export const CLIENT_SECRET_STRATEGY = 'client-secret';

/**
 * `Authorization: Secret <client secret>`: the client acting for its owner, with its allowed
 * scopes intersected with what the owner holds now. Only routes that opt in (schemes include
 * 'secret') ever reach this; the guard refuses the scheme elsewhere.
 */
@Injectable()
export class ClientSecretStrategy extends PassportStrategy(Strategy, CLIENT_SECRET_STRATEGY) {
  constructor(
    private readonly secrets: ClientSecretsService,
    private readonly principals: PrincipalFactory,
    registry: AuthStrategyRegistry,
  ) {
    super();
    registry.register({
      scheme: 'secret',
      strategy: CLIENT_SECRET_STRATEGY,
      token: CLIENT_SECRET_TOKEN,
      credentialKind: CLIENT_SECRET_CREDENTIAL,
    });
  }

  async validate(req: FastifyRequest): Promise<Principal | null> {
    const match = /^Secret\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '');
    if (!match) return null;
    const live = await this.secrets.authenticate(match[1]);
    if (!live || live.client.type !== 'confidential') return null;
    const { client } = live;
    const principal = this.principals.forUser(
      client.owner,
      { kind: CLIENT_SECRET_CREDENTIAL, id: live.id },
      client.allowedScopes,
      client.clientId,
    );
    return { ...principal, expiresAt: live.expiresAt ?? undefined };
  }
}

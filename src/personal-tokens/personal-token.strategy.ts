import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import type { FastifyRequest } from 'fastify';
import { Strategy } from 'passport-http-bearer';
import { AuthStrategyRegistry } from '../auth/auth-strategy-registry';
import { InvalidTokenError } from '../auth/errors/auth.errors';
import type { Principal } from '../auth/principal';
import { PrincipalMemo } from '../auth/principal-memo';
import { PrincipalFactory } from '../auth/principal.factory';
import { hasPrefix } from '../auth/token-format';
import { ActivePersonalToken, PersonalTokensService } from './personal-tokens.service';
import { PAT_CREDENTIAL, PAT_TOKEN } from './personal-token.token-kind';

export const PAT_BEARER_STRATEGY = 'pat-bearer';

/**
 * Bearer authentication with a personal access token. It registers the PAT prefix, so the guard
 * hands it only `ghpat_` tokens.
 */
@Injectable()
export class PersonalTokenStrategy extends PassportStrategy(Strategy, PAT_BEARER_STRATEGY) {
  private readonly memo = new PrincipalMemo<ActivePersonalToken>();

  constructor(
    private readonly tokens: PersonalTokensService,
    private readonly principals: PrincipalFactory,
    registry: AuthStrategyRegistry,
  ) {
    super({ passReqToCallback: true });
    registry.register({ scheme: 'bearer', strategy: PAT_BEARER_STRATEGY, token: PAT_TOKEN, credentialKind: PAT_CREDENTIAL });
  }

  async validate(req: FastifyRequest, token: string): Promise<Principal | false> {
    if (!hasPrefix(PAT_TOKEN, token)) return false;
    // Ours from here on: a PAT that does not authenticate must not fall through to another strategy.
    const pat = await this.tokens.authenticate(token, req.ip);
    if (!pat) throw new InvalidTokenError('The personal access token is invalid, expired or revoked');
    return this.memo.of(pat, (row) => ({
      ...this.principals.forUser(row.user, { kind: PAT_CREDENTIAL, id: row.id }, row.scopes),
      expiresAt: row.expiresAt ?? undefined,
    }));
  }
}

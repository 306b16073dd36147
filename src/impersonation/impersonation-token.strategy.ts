import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { Strategy } from 'passport-http-bearer';
import { AuthStrategyRegistry } from '../auth/auth-strategy-registry';
import { InvalidTokenError } from '../auth/errors/auth.errors';
import type { Principal } from '../auth/principal';
import { PrincipalFactory } from '../auth/principal.factory';
import { hasPrefix } from '../auth/token-format';
import { ImpersonationService } from './impersonation.service';
import { IMPERSONATION_CREDENTIAL, IMPERSONATION_TOKEN } from './impersonation.token-kind';

export const IMPERSONATION_BEARER_STRATEGY = 'impersonation-bearer';

/**
 * Bearer impersonation tokens (`ghimp_`): the principal is the user, with `act: { sub: <admin> }`
 * (RFC 8693 §4.1), so every audit row made through it names both. The guard hands it only its
 * own prefix's tokens.
 */
@Injectable()
export class ImpersonationTokenStrategy extends PassportStrategy(Strategy, IMPERSONATION_BEARER_STRATEGY) {
  constructor(
    private readonly impersonation: ImpersonationService,
    private readonly principals: PrincipalFactory,
    registry: AuthStrategyRegistry,
  ) {
    super();
    registry.register({
      scheme: 'bearer',
      strategy: IMPERSONATION_BEARER_STRATEGY,
      token: IMPERSONATION_TOKEN,
      credentialKind: IMPERSONATION_CREDENTIAL,
    });
  }

  async validate(token: string): Promise<Principal | false> {
    if (!hasPrefix(IMPERSONATION_TOKEN, token)) return false;
    const row = await this.impersonation.authenticate(token);
    if (!row) throw new InvalidTokenError('The impersonation token is invalid, expired or revoked');
    const principal = this.principals.forUser(
      row.subject,
      { kind: IMPERSONATION_CREDENTIAL, id: row.id },
      row.scopes,
      row.clientId ?? undefined,
    );
    return { ...principal, act: { sub: row.actorUserId }, expiresAt: row.expiresAt };
  }
}

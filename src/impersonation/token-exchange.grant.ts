import { Injectable } from '@nestjs/common';
import { redactToken } from '../auth/token-format';
import type { Client } from '../clients/client.entity';
import { TOKEN_EXCHANGE_GRANT } from '../clients/client-types';
import { InvalidRequestError, InvalidScopeError, InvalidTargetError, UnauthorizedClientError } from '../auth/errors/oauth.errors';
import type { GrantHandler, GrantRequestMeta, TokenResponse } from '../token-endpoint/grant-handler';
import { GrantHandlerRegistry } from '../token-endpoint/grant-handler.registry';
import type { OAuthParams } from '../oauth/oauth-params';
import { OAuthTokenTypeRegistry } from '../token-management/oauth-token-type.registry';
import { OAUTH_ACCESS_CREDENTIAL } from '../access-tokens/access-token.token-kind';
import { PAT_CREDENTIAL } from '../personal-tokens/personal-token.token-kind';
import { UsersService } from '../users/users.service';
import { ImpersonationRefused, ImpersonationService } from './impersonation.service';

/** RFC 8693 §3: the only token type issued, and the only one accepted as `actor_token_type`. */
export const ACCESS_TOKEN_TYPE = 'urn:ietf:params:oauth:token-type:access_token';
/**
 * Gatehouse's subject token type: `subject_token` is the id of the user to act for. Support
 * staff act for a user without holding any of that user's tokens, so a user's own access token
 * is not accepted as the subject.
 */
export const USER_ID_TOKEN_TYPE = 'urn:gatehouse:params:oauth:token-type:user-id';
/** The token types an actor_token may be: an OAuth access token or a PAT of the acting person. */
const ACTOR_TOKEN_KINDS: Record<string, string> = { Bearer: OAUTH_ACCESS_CREDENTIAL, personal_access_token: PAT_CREDENTIAL };

/**
 * RFC 8693 token exchange for support impersonation. A confidential client allowed this grant
 * sends `subject_token` (a user id, `subject_token_type` = USER_ID_TOKEN_TYPE) and `actor_token`
 * (the admin's own access token or PAT, `actor_token_type` = access_token) carrying `impersonate`.
 * The answer is a short-lived access token acting as the user with `act: { sub: <admin> }`
 * (§4.1), `issued_token_type` access_token, and never a refresh token. Refusals are RFC 8693
 * §2.2.2 errors: `invalid_request` (bad or unacceptable tokens), `invalid_scope`,
 * `invalid_target` (resource/audience), `unauthorized_client` (public clients).
 */
@Injectable()
export class TokenExchangeGrant implements GrantHandler {
  readonly grantType = TOKEN_EXCHANGE_GRANT;

  constructor(
    registry: GrantHandlerRegistry,
    private readonly tokenTypes: OAuthTokenTypeRegistry,
    private readonly users: UsersService,
    private readonly impersonation: ImpersonationService,
  ) {
    registry.register(this);
  }

  async handle(client: Client, params: OAuthParams, meta: GrantRequestMeta): Promise<TokenResponse> {
    if (client.type !== 'confidential' || meta.authMethod === 'none') {
      throw new UnauthorizedClientError('Token exchange is only for confidential clients');
    }
    if (params.get('resource') !== undefined || params.get('audience') !== undefined) {
      throw new InvalidTargetError('Tokens are issued for this server only; resource and audience are not supported');
    }
    const requested = params.get('requested_token_type');
    if (requested !== undefined && requested !== ACCESS_TOKEN_TYPE) {
      throw new InvalidRequestError(`requested_token_type: only ${ACCESS_TOKEN_TYPE} is issued`);
    }
    const subjectToken = params.require('subject_token');
    if (params.require('subject_token_type') !== USER_ID_TOKEN_TYPE) {
      throw new InvalidRequestError(`subject_token_type must be ${USER_ID_TOKEN_TYPE} (the id of the user to act for)`);
    }
    const actorToken = params.get('actor_token');
    if (actorToken === undefined) throw new InvalidRequestError('actor_token is required: impersonation names who acts');
    if (params.require('actor_token_type') !== ACCESS_TOKEN_TYPE) {
      throw new InvalidRequestError(`actor_token_type must be ${ACCESS_TOKEN_TYPE}`);
    }
    const reason = params.get('reason');
    if (reason !== undefined && reason.length > 500) throw new InvalidRequestError('reason must be at most 500 characters');

    const info = await this.tokenTypes.forToken(actorToken)?.introspect?.(actorToken);
    const kind = info ? ACTOR_TOKEN_KINDS[info.tokenType] : undefined;
    const actor = info?.userId && kind && !info.act ? await this.users.findById(info.userId) : null;
    if (!info || !kind || !actor) throw new InvalidRequestError('actor_token is not a live access token or PAT of a person');

    try {
      const { token, row, expiresIn } = await this.impersonation.start({
        actor,
        actorCredential: { kind, id: redactToken(actorToken) },
        actorCredentialScopes: new Set(info.scopes),
        subjectUserId: subjectToken,
        scopes: params.scopes(),
        allowedScopes: client.allowedScopes,
        clientId: client.clientId,
        reason: reason ?? null,
        meta,
      });
      return {
        access_token: token,
        issued_token_type: ACCESS_TOKEN_TYPE,
        token_type: 'Bearer',
        expires_in: expiresIn,
        scope: row.scopes.join(' '),
      };
    } catch (err) {
      if (err instanceof ImpersonationRefused) {
        throw err.code === 'invalid_scope' ? new InvalidScopeError(err.message) : new InvalidRequestError(err.message);
      }
      throw err;
    }
  }
}

import { Controller, Get, HttpCode, Options, Post, Res } from '@nestjs/common';
import { ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Authenticated } from '../auth/decorators/authenticated.decorator';
import { CurrentPrincipal } from '../auth/decorators/current-principal.decorator';
import { Public } from '../auth/decorators/public.decorator';
import { InvalidTokenError } from '../auth/errors/auth.errors';
import type { Principal } from '../auth/principal';
import { identityClaims } from './identity-claims';
import { OidcScope } from './oidc.scopes';
import { subjectOf } from './subject-identifiers';

/** Where the UserInfo endpoint is served, below the issuer. */
export const USERINFO_PATH = '/oauth/userinfo';

/**
 * The UserInfo endpoint (OpenID Connect Core §5.3): GET or POST with a Bearer access token that
 * carries `openid`; the claims its scopes release (§5.4), `act` for an impersonation token.
 * Errors are RFC 6750 §3 challenges from the global guard. Browser apps may call it from any
 * origin (CORS, see OidcModule): it takes no cookies, only the Bearer header.
 */
@ApiTags('oidc')
@Controller('oauth')
export class UserInfoController {
  @Authenticated({ schemes: ['bearer'], scopes: [OidcScope.OpenId] })
  @Get('userinfo')
  @ApiOperation({ summary: 'UserInfo (OpenID Connect Core §5.3)', description: 'Claims about the signed-in user, per the token’s scopes' })
  @ApiOkResponse({
    description: 'Core §5.3.2 claims: sub, and name/preferred_username (profile), email/email_verified (email), act',
  })
  get(@CurrentPrincipal() p: Principal, @Res({ passthrough: true }) reply: FastifyReply) {
    return this.claims(p, reply);
  }

  @Authenticated({ schemes: ['bearer'], scopes: [OidcScope.OpenId] })
  @Post('userinfo')
  @HttpCode(200)
  @ApiOperation({ summary: 'UserInfo by POST (OpenID Connect Core §5.3.1)' })
  @ApiOkResponse({ description: 'As GET' })
  post(@CurrentPrincipal() p: Principal, @Res({ passthrough: true }) reply: FastifyReply) {
    return this.claims(p, reply);
  }

  /** CORS preflight (Fetch standard): any origin may send the Authorization header. */
  @Public()
  @Options('userinfo')
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'CORS preflight' })
  preflight(@Res({ passthrough: true }) reply: FastifyReply): void {
    void reply
      .header('access-control-allow-methods', 'GET, POST')
      .header('access-control-allow-headers', 'authorization, content-type')
      .header('access-control-max-age', '600');
  }

  /** From the principal the guard built: no query beyond the token's own lookup (the hot path). */
  private claims(p: Principal, reply: FastifyReply): Record<string, unknown> {
    // A client's own token (client_credentials) has no end-user to describe.
    if (!p.user) throw new InvalidTokenError('This access token was not issued for a user');
    void reply.header('cache-control', 'no-store');
    return {
      sub: subjectOf(p.user),
      ...identityClaims(p.user, p.scopes),
      ...(p.act ? { act: p.act } : {}),
    };
  }
}

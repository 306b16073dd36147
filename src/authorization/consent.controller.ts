import { Body, Controller, Post, Req, Res, UseFilters } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Authenticated } from '../auth/decorators/authenticated.decorator';
import { CurrentPrincipal } from '../auth/decorators/current-principal.decorator';
import type { Principal } from '../auth/principal';
import { requestMeta } from '../common/request-meta';
import { AuthorizationErrorFilter } from './authorization-error.filter';
import { AuthorizationRequestValidator } from './authorization-request.validator';
import { AuthorizationsService } from './authorizations.service';

/**
 * The consent form's target. The session cookie strategy has checked origin and CSRF token
 * (`_csrf`); the request is validated again from scratch, and the answer is a 303 to the client.
 */
@ApiExcludeController()
@UseFilters(AuthorizationErrorFilter)
@Controller('oauth')
export class ConsentController {
  constructor(
    private readonly requests: AuthorizationRequestValidator,
    private readonly authorizations: AuthorizationsService,
  ) {}

  @Authenticated({ schemes: ['cookie'], page: true })
  @Post('consent')
  async decide(
    @CurrentPrincipal() p: Principal,
    @Body() body: Record<string, unknown>,
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
  ) {
    // Not a DTO: the validator owns every limit, and its failures render as authorization errors.
    const { decision, request } = await this.requests.validateConsent(body);
    if (decision === 'deny') throw this.authorizations.denial(request);
    const scopes = this.authorizations.grantableScopes(request, p);
    await this.authorizations.recordApproval(request, p, scopes, requestMeta(req));
    const location = await this.authorizations.codeRedirect(request, p, scopes);
    return reply.header('cache-control', 'no-store').redirect(location, 303);
  }
}

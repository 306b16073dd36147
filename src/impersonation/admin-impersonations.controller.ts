import { Body, Controller, Delete, Get, HttpCode, NotFoundException, Param, ParseUUIDPipe, Post, Query, Req, Res } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ADMIN_API } from '../users/admin-access';
import { AuditAction } from '../audit/audit-action.decorator';
import { Authenticated } from '../auth/decorators/authenticated.decorator';
import { RequiresRecentAuthentication } from '../auth/decorators/requires-recent-authentication.decorator';
import { CurrentPrincipal } from '../auth/decorators/current-principal.decorator';
import type { Principal } from '../auth/principal';
import { PageQuery, pageRequest } from '../common/page.query';
import { requestMeta } from '../common/request-meta';
import { AdminImpersonationService } from './admin-impersonation.service';
import { ImpersonationPageView } from './dto/impersonation-page.view';
import { StartedImpersonationView } from './dto/impersonation.view';
import { StartImpersonationDto } from './dto/start-impersonation.dto';
import { IMPERSONATE_SCOPE } from './impersonation.scopes';

/**
 * Administrators' impersonation API: live impersonation tokens (any admin may end any), and
 * starting one from a signed-in session with a reason (cookie only, like minting any token).
 */
@ApiTags('admin')
@Controller('admin/impersonations')
export class AdminImpersonationsController {
  constructor(private readonly impersonations: AdminImpersonationService) {}

  @Authenticated(ADMIN_API)
  @AuditAction('admin.impersonation.list')
  @Get()
  @ApiOkResponse({ type: ImpersonationPageView })
  list(@Query() q: PageQuery): Promise<ImpersonationPageView> {
    return this.impersonations.listLive(pageRequest(q));
  }

  /** The response is the only time the token is returned. */
  @Authenticated({ scopes: [...ADMIN_API.scopes, IMPERSONATE_SCOPE], schemes: ['cookie'] })
  @AuditAction('admin.impersonation.start', 'user')
  @RequiresRecentAuthentication()
  @Post()
  @ApiCreatedResponse({ type: StartedImpersonationView })
  async start(
    @CurrentPrincipal() p: Principal,
    @Body() dto: StartImpersonationDto,
    @Req() req: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<StartedImpersonationView> {
    void reply.header('cache-control', 'no-store');
    return this.impersonations.start(p, dto, requestMeta(req));
  }

  @Authenticated(ADMIN_API)
  @AuditAction('admin.impersonation.revoke', 'impersonation_token')
  @Delete(':id')
  @HttpCode(204)
  @ApiNoContentResponse()
  async revoke(@CurrentPrincipal() p: Principal, @Param('id', ParseUUIDPipe) id: string, @Req() req: FastifyRequest): Promise<void> {
    if (!(await this.impersonations.revoke(p, id, requestMeta(req)))) throw new NotFoundException('No such live impersonation');
  }
}

import { applyDecorators, Body, Controller, Get, NotFoundException, Param, Patch, Post, Query, Req } from '@nestjs/common';
import { ApiCreatedResponse, ApiNotFoundResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { AuditAction } from '../audit/audit-action.decorator';
import { Scopes } from '../auth/decorators/authenticated.decorator';
import { RequiresRecentAuthentication } from '../auth/decorators/requires-recent-authentication.decorator';
import { CurrentPrincipal } from '../auth/decorators/current-principal.decorator';
import type { Principal } from '../auth/principal';
import { pageRequest } from '../common/page.query';
import { requestMeta } from '../common/request-meta';
import { ADMIN_SCOPE } from '../users/users.scopes';
import { UsersService } from '../users/users.service';
import { actorOf, ClientManagementService } from './client-management.service';
import { ClientsService } from '../clients/clients.service';
import { AdminCreateClientDto } from './dto/admin-create-client.dto';
import { clientRoutes } from './client-routes';
import { CreatedClientView } from './dto/client-secret.view';
import { ClientPageView } from './dto/client-page.view';
import { ClientTokenSettingsDto } from './dto/client-token-settings.dto';
import { ClientTokenSettingsView } from './dto/client-token-settings.view';
import { ListClientsQuery } from './dto/list-clients.query';

/** Every client, for administrators (the admin pages build on this API). */
@ApiTags('admin')
@Controller('admin/clients')
export class AdminClientsController extends clientRoutes({
  route: (action) => applyDecorators(AuditAction(`admin.client.${action}`, 'client', 'clientId'), Scopes(ADMIN_SCOPE)),
  reach: (m) => m.everyClient(),
}) {
  constructor(
    private readonly clients: ClientsService,
    manage: ClientManagementService,
    private readonly users: UsersService,
  ) {
    super(manage);
  }

  @AuditAction('admin.client.list')
  @Scopes(ADMIN_SCOPE)
  @Get()
  @ApiOkResponse({ type: ClientPageView })
  async list(@Query() q: ListClientsQuery): Promise<ClientPageView> {
    return this.manage.listViews(await this.clients.listPage(pageRequest(q)));
  }

  @AuditAction('admin.client.create', 'client', 'clientId')
  @Scopes(ADMIN_SCOPE)
  @RequiresRecentAuthentication()
  @Post()
  @ApiCreatedResponse({ type: CreatedClientView })
  async create(
    @CurrentPrincipal() p: Principal,
    @Body() dto: AdminCreateClientDto,
    @Req() req: FastifyRequest,
  ): Promise<CreatedClientView> {
    const owner = await this.users.findById(dto.ownerId);
    if (!owner) throw new NotFoundException('Owner not found');
    const { ownerId: _owner, introspectionAllowed, ...input } = dto;
    return this.manage.createdView(await this.manage.create(actorOf(p, requestMeta(req)), owner, input, { introspectionAllowed }));
  }

  /** Access-token format (opaque or JWT, RFC 9068), JWT algorithm, and the RFC 8707 resource it serves. */
  @AuditAction('admin.client.token_settings', 'client', 'clientId')
  @Scopes(ADMIN_SCOPE)
  @Patch(':clientId/token-settings')
  @ApiOkResponse({ type: ClientTokenSettingsView })
  @ApiNotFoundResponse()
  async tokenSettings(@Param('clientId') clientId: string, @Body() dto: ClientTokenSettingsDto): Promise<ClientTokenSettingsView> {
    const client = await this.clients.setTokenSettings(await this.clients.get(clientId), dto);
    return {
      clientId,
      accessTokenFormat: client.accessTokenFormat,
      accessTokenAlg: client.accessTokenAlg,
      resourceUri: client.resourceUri,
    };
  }
}

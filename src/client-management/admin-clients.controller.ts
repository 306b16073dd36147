import { Body, Controller, Delete, Get, HttpCode, NotFoundException, Param, Patch, Post, Query, Req } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiNotFoundResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
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
import { ClientSecretView, CreatedClientView } from './dto/client-secret.view';
import { ClientPageView } from './dto/client-page.view';
import { ClientTokenSettingsDto } from './dto/client-token-settings.dto';
import { ClientTokenSettingsView } from './dto/client-token-settings.view';
import { ClientView } from './dto/client.view';
import { ListClientsQuery } from './dto/list-clients.query';
import { RotateSecretDto } from './dto/rotate-secret.dto';
import { UpdateClientDto } from './dto/update-client.dto';

/** Every client, for administrators (the admin pages build on this API). */
@ApiTags('admin')
@Controller('admin/clients')
export class AdminClientsController {
  constructor(
    private readonly clients: ClientsService,
    private readonly manage: ClientManagementService,
    private readonly users: UsersService,
  ) {}

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

  @AuditAction('admin.client.view', 'client', 'clientId')
  @Scopes(ADMIN_SCOPE)
  @Get(':clientId')
  @ApiOkResponse({ type: ClientView })
  @ApiNotFoundResponse()
  async get(@Param('clientId') clientId: string): Promise<ClientView> {
    return this.manage.view(await this.clients.get(clientId));
  }

  /** Edits name, redirect URIs, grant types, scopes (scopes the owner holds); client_id and type stay. */
  @AuditAction('admin.client.update', 'client', 'clientId')
  @Scopes(ADMIN_SCOPE)
  @Patch(':clientId')
  @ApiOkResponse({ type: ClientView })
  @ApiNotFoundResponse()
  async update(
    @CurrentPrincipal() p: Principal,
    @Param('clientId') clientId: string,
    @Body() dto: UpdateClientDto,
    @Req() req: FastifyRequest,
  ): Promise<ClientView> {
    return this.manage.updateIn(this.manage.everyClient(), actorOf(p, requestMeta(req)), clientId, dto);
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

  @AuditAction('admin.client.rotate_secret', 'client', 'clientId')
  @Scopes(ADMIN_SCOPE)
  @RequiresRecentAuthentication()
  @Post(':clientId/secret')
  @ApiCreatedResponse({ type: ClientSecretView })
  async rotate(
    @CurrentPrincipal() p: Principal,
    @Param('clientId') clientId: string,
    @Body() dto: RotateSecretDto,
    @Req() req: FastifyRequest,
  ): Promise<ClientSecretView> {
    return this.manage.rotateSecretIn(this.manage.everyClient(), actorOf(p, requestMeta(req)), clientId, dto.revokeOld ?? false);
  }

  @AuditAction('admin.client.disable', 'client', 'clientId')
  @Scopes(ADMIN_SCOPE)
  @Post(':clientId/disable')
  @HttpCode(200)
  @ApiOkResponse({ type: ClientView })
  async disable(@CurrentPrincipal() p: Principal, @Param('clientId') clientId: string, @Req() req: FastifyRequest): Promise<ClientView> {
    return this.manage.setStatusIn(this.manage.everyClient(), actorOf(p, requestMeta(req)), clientId, 'disabled');
  }

  @AuditAction('admin.client.enable', 'client', 'clientId')
  @Scopes(ADMIN_SCOPE)
  @Post(':clientId/enable')
  @HttpCode(200)
  @ApiOkResponse({ type: ClientView })
  async enable(@CurrentPrincipal() p: Principal, @Param('clientId') clientId: string, @Req() req: FastifyRequest): Promise<ClientView> {
    return this.manage.setStatusIn(this.manage.everyClient(), actorOf(p, requestMeta(req)), clientId, 'active');
  }

  @AuditAction('admin.client.delete', 'client', 'clientId')
  @Scopes(ADMIN_SCOPE)
  @Delete(':clientId')
  @HttpCode(204)
  @ApiNoContentResponse()
  async remove(@CurrentPrincipal() p: Principal, @Param('clientId') clientId: string, @Req() req: FastifyRequest): Promise<void> {
    await this.manage.deleteIn(this.manage.everyClient(), actorOf(p, requestMeta(req)), clientId);
  }
}

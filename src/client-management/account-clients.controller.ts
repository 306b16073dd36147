import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query, Req } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiNotFoundResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { Authenticated } from '../auth/decorators/authenticated.decorator';
import { RequiresRecentAuthentication } from '../auth/decorators/requires-recent-authentication.decorator';
import { CurrentPrincipal } from '../auth/decorators/current-principal.decorator';
import type { Principal } from '../auth/principal';
import { PageQuery, pageRequest } from '../common/page.query';
import { requestMeta } from '../common/request-meta';
import { actorOf, ClientManagementService } from './client-management.service';
import { ClientsService } from '../clients/clients.service';
import { ClientSecretView, CreatedClientView } from './dto/client-secret.view';
import { ClientPageView } from './dto/client-page.view';
import { ClientView } from './dto/client.view';
import { CreateClientDto } from '../clients/dto/create-client.dto';
import { RotateSecretDto } from './dto/rotate-secret.dto';
import { UpdateClientDto } from './dto/update-client.dto';

/**
 * Developer settings API: the caller's own clients (the page is /account/clients). Cookie only:
 * a token must not be able to mint client secrets for its user.
 */
const OWNER = { schemes: ['cookie'] } as const;

@ApiTags('account')
@Controller('developer/clients')
export class AccountClientsController {
  constructor(
    private readonly clients: ClientsService,
    private readonly manage: ClientManagementService,
  ) {}

  @Authenticated(OWNER)
  @Get()
  @ApiOkResponse({ type: ClientPageView })
  async list(@CurrentPrincipal() p: Principal, @Query() q: PageQuery): Promise<ClientPageView> {
    return this.manage.listViews(await this.clients.listPage(pageRequest(q), p.actor.id));
  }

  /** The secret of a confidential client is in this response and nowhere else, ever. */
  @Authenticated(OWNER)
  @RequiresRecentAuthentication()
  @Post()
  @ApiCreatedResponse({ type: CreatedClientView })
  async create(@CurrentPrincipal() p: Principal, @Body() dto: CreateClientDto, @Req() req: FastifyRequest): Promise<CreatedClientView> {
    return this.manage.createdView(await this.manage.create(actorOf(p, requestMeta(req)), p.user!, dto));
  }

  @Authenticated(OWNER)
  @Get(':clientId')
  @ApiOkResponse({ type: ClientView })
  @ApiNotFoundResponse()
  async get(@CurrentPrincipal() p: Principal, @Param('clientId') clientId: string): Promise<ClientView> {
    return this.manage.view(await this.clients.getOwned(p.actor.id, clientId));
  }

  /**
   * Edits your client: any of name, redirect URIs, grant types, scopes; the client_id and type
   * stay. Narrowing applies at once: a removed redirect URI is refused at the next authorization
   * request, removed scopes or grant types at the next use of an existing token or refresh token.
   */
  @Authenticated(OWNER)
  @Patch(':clientId')
  @ApiOkResponse({ type: ClientView })
  @ApiNotFoundResponse()
  async update(
    @CurrentPrincipal() p: Principal,
    @Param('clientId') clientId: string,
    @Body() dto: UpdateClientDto,
    @Req() req: FastifyRequest,
  ): Promise<ClientView> {
    return this.manage.updateIn(this.manage.ownedBy(p), actorOf(p, requestMeta(req)), clientId, dto);
  }

  @Authenticated(OWNER)
  @RequiresRecentAuthentication()
  @Post(':clientId/secret')
  @ApiCreatedResponse({ type: ClientSecretView })
  async rotate(
    @CurrentPrincipal() p: Principal,
    @Param('clientId') clientId: string,
    @Body() dto: RotateSecretDto,
    @Req() req: FastifyRequest,
  ): Promise<ClientSecretView> {
    return this.manage.rotateSecretIn(this.manage.ownedBy(p), actorOf(p, requestMeta(req)), clientId, dto.revokeOld ?? false);
  }

  @Authenticated(OWNER)
  @Post(':clientId/disable')
  @HttpCode(200)
  @ApiOkResponse({ type: ClientView })
  async disable(@CurrentPrincipal() p: Principal, @Param('clientId') clientId: string, @Req() req: FastifyRequest): Promise<ClientView> {
    return this.manage.setStatusIn(this.manage.ownedBy(p), actorOf(p, requestMeta(req)), clientId, 'disabled');
  }

  @Authenticated(OWNER)
  @Post(':clientId/enable')
  @HttpCode(200)
  @ApiOkResponse({ type: ClientView })
  async enable(@CurrentPrincipal() p: Principal, @Param('clientId') clientId: string, @Req() req: FastifyRequest): Promise<ClientView> {
    return this.manage.setStatusIn(this.manage.ownedBy(p), actorOf(p, requestMeta(req)), clientId, 'active');
  }

  @Authenticated(OWNER)
  @Delete(':clientId')
  @HttpCode(204)
  @ApiNoContentResponse()
  async remove(@CurrentPrincipal() p: Principal, @Param('clientId') clientId: string, @Req() req: FastifyRequest): Promise<void> {
    await this.manage.deleteIn(this.manage.ownedBy(p), actorOf(p, requestMeta(req)), clientId);
  }
}

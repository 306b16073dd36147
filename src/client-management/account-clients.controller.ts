import { Body, Controller, Get, Post, Query, Req } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { Authenticated } from '../auth/decorators/authenticated.decorator';
import { RequiresRecentAuthentication } from '../auth/decorators/requires-recent-authentication.decorator';
import { CurrentPrincipal } from '../auth/decorators/current-principal.decorator';
import type { Principal } from '../auth/principal';
import { PageQuery, pageRequest } from '../common/page.query';
import { requestMeta } from '../common/request-meta';
import { actorOf, ClientManagementService } from './client-management.service';
import { ClientsService } from '../clients/clients.service';
import { clientRoutes } from './client-routes';
import { CreatedClientView } from './dto/client-secret.view';
import { ClientPageView } from './dto/client-page.view';
import { CreateClientDto } from '../clients/dto/create-client.dto';

/**
 * Developer settings API: the caller's own clients (the page is /account/clients). Cookie only:
 * a token must not be able to mint client secrets for its user.
 */
const OWNER = { schemes: ['cookie'] } as const;

@ApiTags('account')
@Controller('developer/clients')
export class AccountClientsController extends clientRoutes({ route: () => Authenticated(OWNER), reach: (m, p) => m.ownedBy(p) }) {
  constructor(
    private readonly clients: ClientsService,
    manage: ClientManagementService,
  ) {
    super(manage);
  }

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
}

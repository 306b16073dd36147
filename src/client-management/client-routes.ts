import { Body, Delete, Get, HttpCode, Injectable, Param, Patch, Post, Req } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiNotFoundResponse, ApiOkResponse } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { CurrentPrincipal } from '../auth/decorators/current-principal.decorator';
import { RequiresRecentAuthentication } from '../auth/decorators/requires-recent-authentication.decorator';
import type { Principal } from '../auth/principal';
import { requestMeta } from '../common/request-meta';
import { actorOf, ClientManagementService, type ClientReach } from './client-management.service';
import { ClientSecretView } from './dto/client-secret.view';
import { ClientView } from './dto/client.view';
import { RotateSecretDto } from './dto/rotate-secret.dto';
import { UpdateClientDto } from './dto/update-client.dto';

/** Who may act on a client, and which clients they reach: all that tells the developer API from the admin API. */
export interface ClientRoutesAccess {
  /** Each route's auth declaration (and, for admins, its audit action), by the action's name (`view`, `update`, `rotate_secret`, `disable`, `enable`, `delete`). */
  route(action: string): MethodDecorator;
  reach(manage: ClientManagementService, p: Principal): ClientReach;
}

/**
 * The routes on one client that the developer API (`/developer/clients`) and the admin API
 * (`/admin/clients`) share, once, on ClientManagementService: view, edit, rotate the secret,
 * disable, enable, delete. Each controller extends this with its own access and adds what differs
 * (listing, creating; for admins the token settings).
 */
export function clientRoutes(access: ClientRoutesAccess) {
  @Injectable()
  class ClientRoutes {
    constructor(readonly manage: ClientManagementService) {}

    @access.route('view')
    @Get(':clientId')
    @ApiOkResponse({ type: ClientView })
    @ApiNotFoundResponse()
    async get(@CurrentPrincipal() p: Principal, @Param('clientId') clientId: string): Promise<ClientView> {
      return this.manage.view(await access.reach(this.manage, p).find(clientId));
    }

    /**
     * Edits the client: any of name, redirect URIs, grant types, scopes (within the scopes its
     * owner holds); the client_id and type stay. Narrowing applies at once: a removed redirect URI
     * is refused at the next authorization request, removed scopes or grant types at the next use
     * of an existing token or refresh token.
     */
    @access.route('update')
    @Patch(':clientId')
    @ApiOkResponse({ type: ClientView })
    @ApiNotFoundResponse()
    async update(
      @CurrentPrincipal() p: Principal,
      @Param('clientId') clientId: string,
      @Body() dto: UpdateClientDto,
      @Req() req: FastifyRequest,
    ): Promise<ClientView> {
      return this.manage.updateIn(access.reach(this.manage, p), actorOf(p, requestMeta(req)), clientId, dto);
    }

    @access.route('rotate_secret')
    @RequiresRecentAuthentication()
    @Post(':clientId/secret')
    @ApiCreatedResponse({ type: ClientSecretView })
    async rotate(
      @CurrentPrincipal() p: Principal,
      @Param('clientId') clientId: string,
      @Body() dto: RotateSecretDto,
      @Req() req: FastifyRequest,
    ): Promise<ClientSecretView> {
      return this.manage.rotateSecretIn(access.reach(this.manage, p), actorOf(p, requestMeta(req)), clientId, dto.revokeOld ?? false);
    }

    @access.route('disable')
    @Post(':clientId/disable')
    @HttpCode(200)
    @ApiOkResponse({ type: ClientView })
    async disable(@CurrentPrincipal() p: Principal, @Param('clientId') clientId: string, @Req() req: FastifyRequest): Promise<ClientView> {
      return this.manage.setStatusIn(access.reach(this.manage, p), actorOf(p, requestMeta(req)), clientId, 'disabled');
    }

    @access.route('enable')
    @Post(':clientId/enable')
    @HttpCode(200)
    @ApiOkResponse({ type: ClientView })
    async enable(@CurrentPrincipal() p: Principal, @Param('clientId') clientId: string, @Req() req: FastifyRequest): Promise<ClientView> {
      return this.manage.setStatusIn(access.reach(this.manage, p), actorOf(p, requestMeta(req)), clientId, 'active');
    }

    @access.route('delete')
    @Delete(':clientId')
    @HttpCode(204)
    @ApiNoContentResponse()
    async remove(@CurrentPrincipal() p: Principal, @Param('clientId') clientId: string, @Req() req: FastifyRequest): Promise<void> {
      await this.manage.deleteIn(access.reach(this.manage, p), actorOf(p, requestMeta(req)), clientId);
    }
  }
  return ClientRoutes;
}

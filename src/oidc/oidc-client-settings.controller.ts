import { applyDecorators, Body, Controller, Get, Injectable, Param, Patch, Req } from '@nestjs/common';
import { ApiNotFoundResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { AuditAction } from '../audit/audit-action.decorator';
import { Authenticated, Scopes } from '../auth/decorators/authenticated.decorator';
import { CurrentPrincipal } from '../auth/decorators/current-principal.decorator';
import type { Principal } from '../auth/principal';
import { actorOf, ClientManagementService, type ClientReach } from '../client-management/client-management.service';
import { requestMeta } from '../common/request-meta';
import { ADMIN_SCOPE } from '../users/users.scopes';
import { OidcClientSettingsDto } from './dto/oidc-client-settings.dto';
import { OidcClientSettingsView } from './dto/oidc-client-settings.view';
import { OidcClientRegistration } from './oidc-client-registration.service';

/**
 * The routes of a client's OpenID Connect registration, once: the admin and developer controllers
 * below differ only in who may act (each route's auth declaration, and for admins its audit action)
 * and which clients they reach (ClientReach).
 */
function oidcClientSettingsRoutes(who: {
  view: MethodDecorator;
  update: MethodDecorator;
  reach: (m: ClientManagementService, p: Principal) => ClientReach;
}) {
  @Injectable()
  class OidcClientSettingsRoutes {
    constructor(
      readonly manage: ClientManagementService,
      readonly registration: OidcClientRegistration,
    ) {}

    @who.view
    @Get()
    @ApiOkResponse({ type: OidcClientSettingsView })
    @ApiNotFoundResponse()
    async get(@CurrentPrincipal() p: Principal, @Param('clientId') clientId: string): Promise<OidcClientSettingsView> {
      return this.registration.view(await who.reach(this.manage, p).find(clientId));
    }

    /** post_logout_redirect_uris, backchannel_logout_uri (+ session_required), id_token_signed_response_alg, subject_type. */
    @who.update
    @Patch()
    @ApiOkResponse({ type: OidcClientSettingsView })
    @ApiNotFoundResponse()
    async update(
      @CurrentPrincipal() p: Principal,
      @Param('clientId') clientId: string,
      @Body() dto: OidcClientSettingsDto,
      @Req() req: FastifyRequest,
    ): Promise<OidcClientSettingsView> {
      const client = await who.reach(this.manage, p).find(clientId);
      return this.registration.update(actorOf(p, requestMeta(req)), client, dto);
    }
  }
  return OidcClientSettingsRoutes;
}

/** Any client's OpenID Connect registration, for administrators. */
@ApiTags('admin')
@Controller('admin/clients/:clientId/oidc')
export class AdminOidcClientSettingsController extends oidcClientSettingsRoutes({
  view: applyDecorators(AuditAction('admin.client.oidc_view', 'client', 'clientId'), Scopes(ADMIN_SCOPE)),
  update: applyDecorators(AuditAction('admin.client.oidc_update', 'client', 'clientId'), Scopes(ADMIN_SCOPE)),
  reach: (m) => m.everyClient(),
}) {}

/** The OpenID Connect registration of the caller's own client (developer settings; cookie only, like the rest of it). */
@ApiTags('account')
@Controller('developer/clients/:clientId/oidc')
export class DeveloperOidcClientSettingsController extends oidcClientSettingsRoutes({
  view: Authenticated({ schemes: ['cookie'] }),
  update: Authenticated({ schemes: ['cookie'] }),
  reach: (m, p) => m.ownedBy(p),
}) {}

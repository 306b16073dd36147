import { Body, Controller, Get, Param, Patch, Req } from '@nestjs/common';
import { ApiNotFoundResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { AuditAction } from '../audit/audit-action.decorator';
import { Authenticated, Scopes } from '../auth/decorators/authenticated.decorator';
import { CurrentPrincipal } from '../auth/decorators/current-principal.decorator';
import type { Principal } from '../auth/principal';
import { actorOf, ClientManagementService } from '../client-management/client-management.service';
import { requestMeta } from '../common/request-meta';
import { ADMIN_SCOPE } from '../users/users.scopes';
import { OidcClientSettingsDto } from './dto/oidc-client-settings.dto';
import { OidcClientSettingsView } from './dto/oidc-client-settings.view';
import { OidcClientRegistration } from './oidc-client-registration.service';

/** Any client's OpenID Connect registration, for administrators. */
@ApiTags('admin')
@Controller('admin/clients/:clientId/oidc')
export class AdminOidcClientSettingsController {
  constructor(
    private readonly manage: ClientManagementService,
    private readonly registration: OidcClientRegistration,
  ) {}

  @AuditAction('admin.client.oidc_view', 'client', 'clientId')
  @Scopes(ADMIN_SCOPE)
  @Get()
  @ApiOkResponse({ type: OidcClientSettingsView })
  @ApiNotFoundResponse()
  async get(@Param('clientId') clientId: string): Promise<OidcClientSettingsView> {
    return this.registration.view(await this.manage.everyClient().find(clientId));
  }

  /** post_logout_redirect_uris, backchannel_logout_uri (+ session_required), id_token_signed_response_alg, subject_type. */
  @AuditAction('admin.client.oidc_update', 'client', 'clientId')
  @Scopes(ADMIN_SCOPE)
  @Patch()
  @ApiOkResponse({ type: OidcClientSettingsView })
  @ApiNotFoundResponse()
  async update(
    @CurrentPrincipal() p: Principal,
    @Param('clientId') clientId: string,
    @Body() dto: OidcClientSettingsDto,
    @Req() req: FastifyRequest,
  ): Promise<OidcClientSettingsView> {
    const client = await this.manage.everyClient().find(clientId);
    return this.registration.update(actorOf(p, requestMeta(req)), client, dto);
  }
}

/** The OpenID Connect registration of the caller's own client (developer settings; cookie only, like the rest of it). */
@ApiTags('account')
@Controller('developer/clients/:clientId/oidc')
export class DeveloperOidcClientSettingsController {
  constructor(
    private readonly manage: ClientManagementService,
    private readonly registration: OidcClientRegistration,
  ) {}

  @Authenticated({ schemes: ['cookie'] })
  @Get()
  @ApiOkResponse({ type: OidcClientSettingsView })
  @ApiNotFoundResponse()
  async get(@CurrentPrincipal() p: Principal, @Param('clientId') clientId: string): Promise<OidcClientSettingsView> {
    return this.registration.view(await this.manage.ownedBy(p).find(clientId));
  }

  @Authenticated({ schemes: ['cookie'] })
  @Patch()
  @ApiOkResponse({ type: OidcClientSettingsView })
  @ApiNotFoundResponse()
  async update(
    @CurrentPrincipal() p: Principal,
    @Param('clientId') clientId: string,
    @Body() dto: OidcClientSettingsDto,
    @Req() req: FastifyRequest,
  ): Promise<OidcClientSettingsView> {
    const client = await this.manage.ownedBy(p).find(clientId);
    return this.registration.update(actorOf(p, requestMeta(req)), client, dto);
  }
}

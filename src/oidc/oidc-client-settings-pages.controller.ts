import { BadRequestException, Body, Controller, Get, Param, Post, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AuditAction } from '../audit/audit-action.decorator';
import { Authenticated } from '../auth/decorators/authenticated.decorator';
import { CurrentPrincipal } from '../auth/decorators/current-principal.decorator';
import type { Principal } from '../auth/principal';
import { actorOf, type ClientReach, ClientManagementService } from '../client-management/client-management.service';
import { JWT_SIGNING_ALGS } from '../clients/client-types';
import type { Client } from '../clients/client.entity';
import { redirectUriLines } from '../client-management/dto/client-form.dto';
import { requestMeta } from '../common/request-meta';
import { CsrfService } from '../sessions/csrf.service';
import { FlashService } from '../sessions/flash.service';
import { ADMIN_PAGE } from '../users/admin-access';
import type { OidcClientSettingsView } from './dto/oidc-client-settings.view';
import { OidcClientSettingsForm } from './dto/oidc-client-settings.form';
import { OidcClientRegistration } from './oidc-client-registration.service';

const OWNER_PAGE = { schemes: ['cookie'], page: true } as const;

/** Where a client's OIDC settings page sits, and the page it belongs to. */
interface PagePlace {
  reach: ClientReach;
  base: string;
  clientPage: string;
  admin: boolean;
}

/**
 * The OpenID Connect settings of a client, server-rendered: under the developer's client page
 * (/account/clients/:id/oidc) and the admin's (/admin/ui/clients/:id/oidc), on the same
 * OidcClientRegistration as the JSON APIs. A refusal re-shows the form with what was typed.
 */
@ApiExcludeController()
@Controller()
export class OidcClientSettingsPagesController {
  constructor(
    private readonly manage: ClientManagementService,
    private readonly registration: OidcClientRegistration,
    private readonly csrf: CsrfService,
    private readonly flash: FlashService,
  ) {}

  @Authenticated(OWNER_PAGE)
  @Get('account/clients/:clientId/oidc')
  async ownPage(@CurrentPrincipal() p: Principal, @Param('clientId') clientId: string, @Res() reply: FastifyReply) {
    return this.show(p, this.own(p, clientId), clientId, reply);
  }

  @Authenticated(OWNER_PAGE)
  @Post('account/clients/:clientId/oidc')
  async ownSave(
    @CurrentPrincipal() p: Principal,
    @Param('clientId') clientId: string,
    @Body() form: OidcClientSettingsForm,
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
  ) {
    return this.save(p, this.own(p, clientId), clientId, form, req, reply);
  }

  @AuditAction('admin.client.view', 'client', 'clientId')
  @Authenticated(ADMIN_PAGE)
  @Get('admin/ui/clients/:clientId/oidc')
  async adminPage(@CurrentPrincipal() p: Principal, @Param('clientId') clientId: string, @Res() reply: FastifyReply) {
    return this.show(p, this.anyClient(clientId), clientId, reply);
  }

  @AuditAction('admin.client.oidc_update', 'client', 'clientId')
  @Authenticated(ADMIN_PAGE)
  @Post('admin/ui/clients/:clientId/oidc')
  async adminSave(
    @CurrentPrincipal() p: Principal,
    @Param('clientId') clientId: string,
    @Body() form: OidcClientSettingsForm,
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
  ) {
    return this.save(p, this.anyClient(clientId), clientId, form, req, reply);
  }

  private own(p: Principal, clientId: string): PagePlace {
    const page = `/account/clients/${encodeURIComponent(clientId)}`;
    return { reach: this.manage.ownedBy(p), base: `${page}/oidc`, clientPage: page, admin: false };
  }

  private anyClient(clientId: string): PagePlace {
    const page = `/admin/ui/clients/${encodeURIComponent(clientId)}`;
    return { reach: this.manage.everyClient(), base: `${page}/oidc`, clientPage: page, admin: true };
  }

  private async show(p: Principal, place: PagePlace, clientId: string, reply: FastifyReply) {
    const client = await place.reach.find(clientId);
    return this.render(p, place, client, await this.registration.view(client), reply);
  }

  private async save(
    p: Principal,
    place: PagePlace,
    clientId: string,
    form: OidcClientSettingsForm,
    req: FastifyRequest,
    reply: FastifyReply,
  ) {
    const client = await place.reach.find(clientId);
    const backchannel = form.backchannelLogoutUri?.trim() ?? '';
    const wanted = {
      postLogoutRedirectUris: redirectUriLines(form.postLogoutRedirectUris),
      backchannelLogoutUri: backchannel === '' ? null : backchannel,
      backchannelLogoutSessionRequired: form.backchannelLogoutSessionRequired !== undefined,
      idTokenSignedResponseAlg: form.idTokenSignedResponseAlg,
    };
    try {
      await this.registration.update(actorOf(p, requestMeta(req)), client, wanted);
    } catch (err) {
      if (!(err instanceof BadRequestException)) throw err;
      return this.render(p, place, client, { clientId, subjectType: 'public', ...wanted }, reply, err.message, 400);
    }
    await this.flash.set(reply, { message: `OpenID Connect settings of “${client.name}” saved.` });
    return reply.redirect(place.base, 303);
  }

  private render(
    p: Principal,
    place: PagePlace,
    client: Client,
    view: OidcClientSettingsView,
    reply: FastifyReply,
    error?: string,
    status = 200,
  ) {
    return reply
      .status(status)
      .header('cache-control', 'no-store')
      .view('client-oidc.hbs', {
        title: `${client.name}: OpenID Connect`,
        user: p.user,
        isAdmin: place.admin || undefined,
        csrf: this.csrf.tokenFor(p.credential.id),
        client: { clientId: client.clientId, name: client.name },
        clientPage: place.clientPage,
        action: place.base,
        error,
        postLogoutRedirectUrisText: view.postLogoutRedirectUris.join('\n'),
        backchannelLogoutUri: view.backchannelLogoutUri ?? '',
        backchannelLogoutSessionRequired: view.backchannelLogoutSessionRequired,
        algs: JWT_SIGNING_ALGS.map((a) => ({ value: a, selected: a === view.idTokenSignedResponseAlg })),
      });
  }
}

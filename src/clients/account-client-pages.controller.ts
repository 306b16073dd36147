import { BadRequestException, Body, Controller, Get, Param, Post, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Authenticated } from '../auth/decorators/authenticated.decorator';
import { CurrentPrincipal } from '../auth/decorators/current-principal.decorator';
import type { Principal } from '../auth/principal';
import { clientSecretFlash } from './client-secret.flash';
import { ScopeRegistry } from '../auth/scope-registry';
import { requestMeta } from '../common/request-meta';
import { CsrfService } from '../sessions/csrf.service';
import { FlashService } from '../sessions/flash.service';
import { actorOf, ClientManagementService } from './client-management.service';
import { ClientsService, grantTypesWithDeviceFlow } from './clients.service';
import { ClientFormDto, CsrfOnlyFormDto, redirectUriLines, RotateSecretFormDto } from './dto/client-form.dto';

const PAGE = { schemes: ['cookie'], page: true } as const;

/** Developer settings: the owner's clients, server-rendered. Forms post back with the CSRF token. */
@ApiExcludeController()
@Controller('account/clients')
export class AccountClientPagesController {
  constructor(
    private readonly clients: ClientsService,
    private readonly manage: ClientManagementService,
    private readonly scopes: ScopeRegistry,
    private readonly csrf: CsrfService,
    private readonly flash: FlashService,
  ) {}

  @Authenticated(PAGE)
  @Get()
  async page(@CurrentPrincipal() p: Principal, @Res() reply: FastifyReply) {
    return this.render(p, reply);
  }

  @Authenticated(PAGE)
  @Post()
  async create(@CurrentPrincipal() p: Principal, @Body() form: ClientFormDto, @Req() req: FastifyRequest, @Res() reply: FastifyReply) {
    try {
      const redirectUris = redirectUriLines(form.redirectUris);
      const { client, secret } = await this.manage.create(actorOf(p, requestMeta(req)), p.user!, {
        name: form.name,
        type: form.type,
        redirectUris,
        grantTypes: form.deviceFlow ? grantTypesWithDeviceFlow(form.type, redirectUris) : undefined,
        scopes: form.scopes ?? [],
      });
      await this.flash.set(reply, clientSecretFlash(`Client “${client.name}” registered.`, client.clientId, secret), p.credential.id);
      return reply.redirect('/account/clients', 303);
    } catch (err) {
      if (err instanceof BadRequestException) return this.render(p, reply, { error: err.message, form }, 400);
      throw err;
    }
  }

  @Authenticated(PAGE)
  @Post(':clientId/rotate')
  async rotate(
    @CurrentPrincipal() p: Principal,
    @Param('clientId') clientId: string,
    @Body() form: RotateSecretFormDto,
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
  ) {
    const client = await this.clients.getOwned(p.actor.id, clientId);
    const { secret, graceEndsAt } = await this.manage.rotateSecret(actorOf(p, requestMeta(req)), client, form.revokeOld !== undefined);
    await this.flash.set(reply, clientSecretFlash(`New secret issued for “${client.name}”.`, clientId, secret, graceEndsAt), p.credential.id);
    return reply.redirect('/account/clients', 303);
  }

  @Authenticated(PAGE)
  @Post(':clientId/disable')
  async disable(@CurrentPrincipal() p: Principal, @Param('clientId') clientId: string, @Body() _f: CsrfOnlyFormDto, @Req() req: FastifyRequest, @Res() reply: FastifyReply) {
    const client = await this.clients.getOwned(p.actor.id, clientId);
    await this.manage.disable(actorOf(p, requestMeta(req)), client);
    await this.flash.set(reply, { message: `Client “${client.name}” disabled: its secrets and tokens stop working.` });
    return reply.redirect('/account/clients', 303);
  }

  @Authenticated(PAGE)
  @Post(':clientId/enable')
  async enable(@CurrentPrincipal() p: Principal, @Param('clientId') clientId: string, @Body() _f: CsrfOnlyFormDto, @Req() req: FastifyRequest, @Res() reply: FastifyReply) {
    const client = await this.clients.getOwned(p.actor.id, clientId);
    await this.manage.enable(actorOf(p, requestMeta(req)), client);
    await this.flash.set(reply, { message: `Client “${client.name}” enabled.` });
    return reply.redirect('/account/clients', 303);
  }

  @Authenticated(PAGE)
  @Post(':clientId/delete')
  async remove(@CurrentPrincipal() p: Principal, @Param('clientId') clientId: string, @Body() _f: CsrfOnlyFormDto, @Req() req: FastifyRequest, @Res() reply: FastifyReply) {
    const client = await this.clients.getOwned(p.actor.id, clientId);
    await this.manage.delete(actorOf(p, requestMeta(req)), client);
    await this.flash.set(reply, { message: `Client “${client.name}” deleted.` });
    return reply.redirect('/account/clients', 303);
  }

  private async render(p: Principal, reply: FastifyReply, extra: { error?: string; form?: ClientFormDto } = {}, status = 200) {
    const rows = await this.clients.listOwnedBy(p.actor.id);
    const clients = await Promise.all(rows.map((c) => this.manage.view(c)));
    const held = new Set(p.scopes);
    return reply
      .status(status)
      .header('cache-control', 'no-store')
      .view('clients.hbs', {
        title: 'Developer settings',
        user: p.user,
        csrf: this.csrf.tokenFor(p.credential.id),
        clients: clients.map((c) => ({ ...c, active: c.status === 'active', confidential: c.type === 'confidential' })),
        scopes: this.scopes.list().filter((s) => held.has(s.name)),
        ...extra,
      });
  }
}

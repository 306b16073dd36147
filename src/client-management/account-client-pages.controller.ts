import { BadRequestException, Body, Controller, Get, Param, Post, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Authenticated } from '../auth/decorators/authenticated.decorator';
import { RequiresRecentAuthentication } from '../auth/decorators/requires-recent-authentication.decorator';
import { CurrentPrincipal } from '../auth/decorators/current-principal.decorator';
import type { Principal } from '../auth/principal';
import { clientSecretFlash } from './client-secret.flash';
import { ScopeRegistry } from '../auth/scope-registry';
import { requestMeta } from '../common/request-meta';
import { CsrfService } from '../sessions/csrf.service';
import { FlashService } from '../sessions/flash.service';
import { actorOf, type ClientActor, ClientManagementService } from './client-management.service';
import { ClientsService } from '../clients/clients.service';
import { CLIENT_TYPES, ClientType, GRANT_TYPE_LABELS, GRANT_TYPES } from '../clients/client-types';
import type { Client } from '../clients/client.entity';
import { ClientEditFormDto, ClientFormDto, CsrfOnlyFormDto, redirectUriLines, RotateSecretFormDto } from './dto/client-form.dto';

const PAGE = { schemes: ['cookie'], page: true } as const;

const TYPE_LABELS: Record<ClientType, string> = {
  // Short: a select cannot wrap, and the long form was cut at 390 px. The hint under it explains.
  confidential: 'Confidential',
  public: 'Public',
};

/** The clients list's one-click actions (the last segment of their route): the call and what the flash says. */
const LIST_ACTIONS = {
  disable: {
    run: (m: ClientManagementService, actor: ClientActor, c: Client) => m.disable(actor, c),
    done: (name: string) => `Client “${name}” disabled: its secrets and tokens stop working.`,
  },
  enable: {
    run: (m: ClientManagementService, actor: ClientActor, c: Client) => m.enable(actor, c),
    done: (name: string) => `Client “${name}” enabled.`,
  },
  delete: {
    run: (m: ClientManagementService, actor: ClientActor, c: Client) => m.delete(actor, c),
    done: (name: string) => `Client “${name}” deleted.`,
  },
};

/** Developer settings: the owner's clients, server-rendered. Forms post back with the CSRF token. */
@ApiExcludeController()
@Controller('account/clients')
export class AccountClientPagesController {
  constructor(
    private readonly clients: ClientsService,
    private readonly manage: ClientManagementService,
    private readonly scopeRegistry: ScopeRegistry,
    private readonly csrf: CsrfService,
    private readonly flash: FlashService,
  ) {}

  @Authenticated(PAGE)
  @Get()
  async page(@CurrentPrincipal() p: Principal, @Res() reply: FastifyReply) {
    return this.render(p, reply);
  }

  @Authenticated(PAGE)
  @RequiresRecentAuthentication()
  @Post()
  async create(@CurrentPrincipal() p: Principal, @Body() form: ClientFormDto, @Req() req: FastifyRequest, @Res() reply: FastifyReply) {
    try {
      const redirectUris = redirectUriLines(form.redirectUris);
      const { client, secret } = await this.manage.create(actorOf(p, requestMeta(req)), p.user!, {
        name: form.name,
        type: form.type,
        redirectUris,
        grantTypes: form.grantTypes?.length ? form.grantTypes : undefined,
        scopes: form.scopes ?? [],
      });
      await this.flash.set(reply, clientSecretFlash(`Client “${client.name}” registered.`, client.clientId, secret), p.credential.id);
      return reply.redirect('/account/clients', 303);
    } catch (err) {
      if (err instanceof BadRequestException) return this.render(p, reply, { error: err.message, form }, 400);
      throw err;
    }
  }

  /** The client's page: what it is registered with, and the edit form. */
  @Authenticated(PAGE)
  @Get(':clientId')
  async clientPage(@CurrentPrincipal() p: Principal, @Param('clientId') clientId: string, @Res() reply: FastifyReply) {
    const client = await this.clients.getOwned(p.actor.id, clientId);
    return this.renderClient(p, reply, client);
  }

  /** Saves an edit (client_id and type stay); a refusal re-shows the form with what was typed and ticked. */
  @Authenticated(PAGE)
  @Post(':clientId')
  async edit(
    @CurrentPrincipal() p: Principal,
    @Param('clientId') clientId: string,
    @Body() form: ClientEditFormDto,
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
  ) {
    const client = await this.clients.getOwned(p.actor.id, clientId);
    try {
      await this.manage.update(actorOf(p, requestMeta(req)), client, p.user!, {
        name: form.name,
        redirectUris: redirectUriLines(form.redirectUris),
        grantTypes: form.grantTypes ?? [],
        scopes: form.scopes ?? [],
      });
    } catch (err) {
      if (err instanceof BadRequestException) return this.renderClient(p, reply, client, { error: err.message, form }, 400);
      throw err;
    }
    await this.flash.set(reply, { message: `Client “${client.name}” saved.` });
    return reply.redirect(`/account/clients/${encodeURIComponent(clientId)}`, 303);
  }

  @Authenticated(PAGE)
  @RequiresRecentAuthentication()
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
    await this.flash.set(
      reply,
      clientSecretFlash(`New secret issued for “${client.name}”.`, clientId, secret, graceEndsAt),
      p.credential.id,
    );
    return reply.redirect('/account/clients', 303);
  }

  /** Disable, enable or delete, from the clients list (forms with only the CSRF token): one handler, three routes. */
  @Authenticated(PAGE)
  @Post([':clientId/disable', ':clientId/enable', ':clientId/delete'])
  async act(
    @CurrentPrincipal() p: Principal,
    @Param('clientId') clientId: string,
    @Body() _f: CsrfOnlyFormDto,
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
  ) {
    const action = LIST_ACTIONS[(req.routeOptions.url ?? '').split('/').pop() as keyof typeof LIST_ACTIONS];
    const client = await this.clients.getOwned(p.actor.id, clientId);
    await action.run(this.manage, actorOf(p, requestMeta(req)), client);
    await this.flash.set(reply, { message: action.done(client.name) });
    return reply.redirect('/account/clients', 303);
  }

  private async render(p: Principal, reply: FastifyReply, extra: { error?: string; form?: ClientFormDto } = {}, status = 200) {
    const rows = await this.clients.listOwnedBy(p.actor.id);
    const clients = await Promise.all(rows.map((c) => this.manage.view(c)));
    const form = extra.form;
    return this.view(p, reply, status, 'clients.hbs', 'Developer settings', {
      clients: clients.map((c) => ({ ...c, active: c.status === 'active', confidential: c.type === 'confidential' })),
      error: extra.error,
      form,
      typeOptions: CLIENT_TYPES.map((t) => ({ value: t, label: TYPE_LABELS[t], selected: t === (form?.type ?? 'confidential') })),
      ...this.choices(p, form?.scopes ?? [], form ? (form.grantTypes ?? []) : ['authorization_code', 'refresh_token']),
    });
  }

  private async renderClient(
    p: Principal,
    reply: FastifyReply,
    client: Client,
    extra: { error?: string; form?: ClientEditFormDto } = {},
    status = 200,
  ) {
    const view = await this.manage.view(client);
    const form = extra.form;
    return this.view(p, reply, status, 'client.hbs', client.name, {
      client: { ...view, active: view.status === 'active', confidential: view.type === 'confidential' },
      error: extra.error,
      name: form?.name ?? view.name,
      redirectUrisText: form ? (form.redirectUris ?? '') : view.redirectUris.join('\n'),
      ...this.choices(p, form ? (form.scopes ?? []) : view.scopes, form ? (form.grantTypes ?? []) : view.grantTypes),
    });
  }

  /** A page of Developer settings: never cached, with the signed-in user and the CSRF token of its forms. */
  private view(p: Principal, reply: FastifyReply, status: number, template: string, title: string, data: Record<string, unknown>) {
    return reply
      .status(status)
      .header('cache-control', 'no-store')
      .view(template, { title, user: p.user, csrf: this.csrf.tokenFor(p.credential.id), ...data });
  }

  /** The scope and grant-type checkboxes, ticked as given (a refused form keeps what was ticked). */
  private choices(p: Principal, scopes: readonly string[], grantTypes: readonly string[]) {
    const held = new Set(p.scopes);
    return {
      scopes: this.scopeRegistry
        .list()
        .filter((s) => held.has(s.name))
        .map((s) => ({ ...s, checked: scopes.includes(s.name) })),
      grantTypes: GRANT_TYPES.map((g, i) => ({ value: g, id: `grant-${i}`, label: GRANT_TYPE_LABELS[g], checked: grantTypes.includes(g) })),
    };
  }
}

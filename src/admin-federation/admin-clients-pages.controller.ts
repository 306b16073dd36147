import { BadRequestException, Body, Controller, Get, Param, Post, Query, Redirect, Render, Req, Res, UseFilters } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AuditAction } from '../audit/audit-action.decorator';
import { noteAuditDetails, noteAuditTarget } from '../audit/audit-context';
import { AuditService } from '../audit/audit.service';
import { Authenticated } from '../auth/decorators/authenticated.decorator';
import { RequiresRecentAuthentication } from '../auth/decorators/requires-recent-authentication.decorator';
import { CurrentPrincipal } from '../auth/decorators/current-principal.decorator';
import type { Principal } from '../auth/principal';
import { clientSecretFlash } from '../client-management/client-secret.flash';
import { ScopeRegistry } from '../auth/scope-registry';
import { GRANT_TYPES } from '../clients/client-types';
import { actorOf, ClientManagementService } from '../client-management/client-management.service';
import { ClientsService } from '../clients/clients.service';
import { redirectUriLines, RotateSecretFormDto } from '../client-management/dto/client-form.dto';
import { ListClientsQuery } from '../client-management/dto/list-clients.query';
import { requestMeta } from '../common/request-meta';
import { FlashService } from '../sessions/flash.service';
import { normalizeEmail, UsersService } from '../users/users.service';
import { ADMIN_PAGE } from '../users/admin-access';
import { AdminPageErrorFilter } from '../admin/admin-page-error.filter';
import { AdminPageContext } from '../admin/admin-page.context';
import { AdminClientForm } from './dto/admin-client.form';
import { AuditNamesService } from '../admin/audit-names.service';

type Redirection = { url: string; statusCode: number };
const clientPage = (id: string, done?: string): Redirection => ({
  url: `/admin/ui/clients/${encodeURIComponent(id)}${done ? `?done=${done}` : ''}`,
  statusCode: 303,
});

/** What a `done` query value says on the client page (fixed texts: nothing from the URL is echoed). */
const DONE_MESSAGES: Record<string, string> = {
  disabled: 'Client disabled; its secrets, token requests and tokens stop at once.',
  enabled: 'Client enabled.',
};

/**
 * The clients pages, on the same ClientManagementService as the JSON API (/admin/clients), so each
 * change also writes its `client.*` event; the admin call itself is audited as `admin.client.*`.
 * Every form comes back with a 303 (Post/Redirect/Get); a new secret is shown once from the
 * sealed flash cookie and never put in a URL. A refusal is shown by AdminPageErrorFilter.
 */
@ApiExcludeController()
@Authenticated(ADMIN_PAGE)
@UseFilters(AdminPageErrorFilter)
@Controller('admin/ui/clients')
export class AdminClientsPagesController {
  constructor(
    private readonly clients: ClientsService,
    private readonly manage: ClientManagementService,
    private readonly users: UsersService,
    private readonly scopes: ScopeRegistry,
    private readonly audit: AuditService,
    private readonly names: AuditNamesService,
    private readonly context: AdminPageContext,
    private readonly flash: FlashService,
  ) {}

  @AuditAction('admin.client.list')
  @Get()
  @Render('admin/clients.hbs')
  async list(@CurrentPrincipal() p: Principal, @Query() q: ListClientsQuery) {
    const limit = q.limit ?? 50;
    const page = await this.clients.listPage({ limit, cursor: q.cursor });
    const shown = page.items;
    const owners = new Map((await this.users.findByIds([...new Set(shown.map((c) => c.ownerId))])).map((u) => [u.id, u]));
    return this.context.build(p, 'Clients', {
      clients: shown.map((c) => ({
        clientId: c.clientId,
        name: c.name,
        type: c.type,
        disabled: c.status === 'disabled',
        createdAt: c.createdAt.toISOString(),
        ownerId: c.ownerId,
        ownerEmail: owners.get(c.ownerId)?.email,
      })),
      next: page.nextCursor ? `?${new URLSearchParams({ limit: String(limit), cursor: page.nextCursor })}` : null,
      scopes: this.scopes.list(),
      grantTypes: GRANT_TYPES,
    });
  }

  /** Post/Redirect/Get: a confidential client's secret rides to the client page in the sealed flash cookie, once. */
  @AuditAction('admin.client.create', 'client')
  @RequiresRecentAuthentication()
  @Post()
  @Redirect()
  async create(
    @CurrentPrincipal() p: Principal,
    @Body() form: AdminClientForm,
    @Req() req: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<Redirection> {
    const ownerEmail = normalizeEmail(form.ownerEmail);
    noteAuditDetails(req, { ownerEmail, name: form.name, type: form.type });
    const owner = await this.users.findByEmail(ownerEmail);
    if (!owner) throw new BadRequestException(`No user has the email ${ownerEmail}`);
    const { client, secret } = await this.manage.create(
      actorOf(p, requestMeta(req)),
      owner,
      {
        name: form.name,
        type: form.type,
        redirectUris: redirectUriLines(form.redirectUris),
        grantTypes: form.grantTypes,
        scopes: form.scopes ?? [],
      },
      { introspectionAllowed: form.introspectionAllowed !== undefined },
    );
    noteAuditTarget(req, 'client', client.clientId);
    await this.flash.set(reply, clientSecretFlash(`Client “${client.name}” registered.`, client.clientId, secret), p.credential.id);
    return clientPage(client.clientId);
  }

  @AuditAction('admin.client.view', 'client')
  @Get(':id')
  @Render('admin/client.hbs')
  async view(@CurrentPrincipal() p: Principal, @Param('id') id: string, @Query('done') done?: string) {
    const client = await this.clients.get(id);
    const [view, secrets, owner, events] = await Promise.all([
      this.manage.view(client),
      this.manage.liveSecrets(client),
      this.users.findById(client.ownerId),
      this.audit.search({ targetType: 'client', targetId: client.clientId }, 20),
    ]);
    return this.context.build(p, client.name, {
      client: { ...view, disabled: view.status === 'disabled', confidential: view.type === 'confidential' },
      ownerEmail: owner?.email,
      secrets,
      events: await this.names.describe(events.items),
      notice: done ? DONE_MESSAGES[done] : undefined,
    });
  }

  @AuditAction('admin.client.disable', 'client')
  @Post(':id/disable')
  @Redirect()
  async disable(@CurrentPrincipal() p: Principal, @Param('id') id: string, @Req() req: FastifyRequest): Promise<Redirection> {
    await this.manage.disable(actorOf(p, requestMeta(req)), await this.clients.get(id));
    return clientPage(id, 'disabled');
  }

  @AuditAction('admin.client.enable', 'client')
  @Post(':id/enable')
  @Redirect()
  async enable(@CurrentPrincipal() p: Principal, @Param('id') id: string, @Req() req: FastifyRequest): Promise<Redirection> {
    await this.manage.enable(actorOf(p, requestMeta(req)), await this.clients.get(id));
    return clientPage(id, 'enabled');
  }

  /** Post/Redirect/Get: the new secret rides to the client page in the sealed flash cookie, once. */
  @AuditAction('admin.client.rotate_secret', 'client')
  @RequiresRecentAuthentication()
  @Post(':id/rotate-secret')
  @Redirect()
  async rotate(
    @CurrentPrincipal() p: Principal,
    @Param('id') id: string,
    @Body() form: RotateSecretFormDto,
    @Req() req: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<Redirection> {
    const client = await this.clients.get(id);
    const revokeOld = form.revokeOld !== undefined;
    const { secret, graceEndsAt } = await this.manage.rotateSecret(actorOf(p, requestMeta(req)), client, revokeOld);
    const graceEnd = graceEndsAt?.toISOString() ?? null;
    noteAuditDetails(req, { revokeOld, graceEndsAt: graceEnd });
    await this.flash.set(
      reply,
      clientSecretFlash(`New secret issued for “${client.name}”.`, client.clientId, secret, graceEndsAt),
      p.credential.id,
    );
    return clientPage(client.clientId);
  }

  @AuditAction('admin.client.delete', 'client')
  @Post(':id/delete')
  @Redirect()
  async remove(@CurrentPrincipal() p: Principal, @Param('id') id: string, @Req() req: FastifyRequest): Promise<Redirection> {
    const client = await this.clients.get(id);
    noteAuditDetails(req, { name: client.name, ownerId: client.ownerId });
    await this.manage.delete(actorOf(p, requestMeta(req)), client);
    return { url: '/admin/ui/clients', statusCode: 303 };
  }
}

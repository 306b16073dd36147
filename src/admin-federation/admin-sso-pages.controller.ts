import { Body, Controller, Get, Param, ParseUUIDPipe, Post, Query, Redirect, Render, Req, UseFilters } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { AuditAction } from '../audit/audit-action.decorator';
import { noteAuditDetails, noteAuditTarget } from '../audit/audit-context';
import { AuditService } from '../audit/audit.service';
import { Authenticated } from '../auth/decorators/authenticated.decorator';
import { CurrentPrincipal } from '../auth/decorators/current-principal.decorator';
import type { Principal } from '../auth/principal';
import { ROLES } from '../auth/roles';
import { SsoLifecycleService } from '../sso-connections/sso-lifecycle.service';
import { ADMIN_PAGE } from '../users/admin-access';
import { AdminPageErrorFilter } from '../admin/admin-page-error.filter';
import { AdminPageContext } from '../admin/admin-page.context';
import { AuditNamesService } from '../admin/audit-names.service';
import { SsoConnectionCreateForm, SsoConnectionDisableForm, SsoConnectionUpdateForm } from './dto/sso-connection.form';

type Redirection = { url: string; statusCode: number };
const connectionPage = (id: string, done?: string): Redirection => ({
  url: `/admin/ui/sso/${id}${done ? `?done=${done}` : ''}`,
  statusCode: 303,
});

/** What a `done` query value says (fixed texts: nothing from the URL is echoed). */
const DONE_MESSAGES: Record<string, string> = {
  created: 'Connection created. Register the redirect URI below at the identity provider.',
  saved: 'Connection saved.',
  disabled: 'Connection disabled: new sign-ins through it are refused.',
  disabledSignedOut: 'Connection disabled, and every user linked through it is signed out.',
  enabled: 'Connection enabled.',
};

/**
 * The single sign-on pages (connections), on the same SsoLifecycleService as the JSON API
 * (/admin/sso/connections) and the CLI. The client secret is a write-only field: never put back
 * into a form or a page. Post/Redirect/Get; refusals are shown by AdminPageErrorFilter.
 */
@ApiExcludeController()
@Authenticated(ADMIN_PAGE)
@UseFilters(AdminPageErrorFilter)
@Controller('admin/ui/sso')
export class AdminSsoPagesController {
  constructor(
    private readonly sso: SsoLifecycleService,
    private readonly audit: AuditService,
    private readonly names: AuditNamesService,
    private readonly context: AdminPageContext,
  ) {}

  @AuditAction('admin.sso.list')
  @Get()
  @Render('admin/sso.hbs')
  async list(@CurrentPrincipal() p: Principal) {
    return this.context.build(p, 'Single sign-on', {
      connections: await this.sso.list(),
      roleOptions: ROLES.map((r) => ({ value: r, checked: r === 'user' })),
    });
  }

  @AuditAction('admin.sso.create', 'sso_connection')
  @Post()
  @Redirect()
  async create(@Body() form: SsoConnectionCreateForm, @Req() req: FastifyRequest): Promise<Redirection> {
    const view = await this.sso.create(form);
    noteAuditTarget(req, 'sso_connection', view.id);
    noteAuditDetails(req, { slug: view.slug, issuer: view.issuer });
    return connectionPage(view.id, 'created');
  }

  @AuditAction('admin.sso.view', 'sso_connection')
  @Get(':id')
  @Render('admin/sso-connection.hbs')
  async view(@CurrentPrincipal() p: Principal, @Param('id', ParseUUIDPipe) id: string, @Query('done') done?: string) {
    const c = await this.sso.get(id);
    const events = await this.audit.search({ targetType: 'sso_connection', targetId: id }, 20);
    return this.context.build(p, c.name, {
      connection: {
        ...c,
        scopesText: c.scopes.join(' '),
        allowedText: c.allowedDomains.join(', '),
        requiredText: c.requiredDomains.join(', '),
      },
      roleOptions: ROLES.map((r) => ({ value: r, checked: c.defaultRoles.includes(r) })),
      events: await this.names.describe(events.items),
      notice: done ? DONE_MESSAGES[done] : undefined,
    });
  }

  /** An empty secret field keeps the current secret. */
  @AuditAction('admin.sso.update', 'sso_connection')
  @Post(':id')
  @Redirect()
  async update(
    @Param('id', ParseUUIDPipe) id: string,
    @Body() form: SsoConnectionUpdateForm,
    @Req() req: FastifyRequest,
  ): Promise<Redirection> {
    // Unchecked boxes are absent from a form: here they mean "off".
    const { changed } = await this.sso.update(id, {
      ...form,
      trustEmail: form.trustEmail ?? false,
      upstreamMfa: form.upstreamMfa ?? false,
    });
    noteAuditDetails(req, { changed });
    return connectionPage(id, 'saved');
  }

  @AuditAction('admin.sso.disable', 'sso_connection')
  @Post(':id/disable')
  @Redirect()
  async disable(
    @Param('id', ParseUUIDPipe) id: string,
    @Body() form: SsoConnectionDisableForm,
    @Req() req: FastifyRequest,
  ): Promise<Redirection> {
    const endSessions = form.endSessions ?? false;
    const { usersSignedOut } = await this.sso.disable(id, endSessions);
    noteAuditDetails(req, { endSessions, usersSignedOut });
    return connectionPage(id, endSessions ? 'disabledSignedOut' : 'disabled');
  }

  @AuditAction('admin.sso.enable', 'sso_connection')
  @Post(':id/enable')
  @Redirect()
  async enable(@Param('id', ParseUUIDPipe) id: string): Promise<Redirection> {
    await this.sso.enable(id);
    return connectionPage(id, 'enabled');
  }
}

import { Body, Controller, Get, Param, ParseUUIDPipe, Post, Query, Redirect, Render, Req, Res, UseFilters } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AuditAction } from '../audit/audit-action.decorator';
import { noteAuditDetails, noteAuditTarget } from '../audit/audit-context';
import { AuditService } from '../audit/audit.service';
import { Authenticated } from '../auth/decorators/authenticated.decorator';
import { RequiresRecentAuthentication } from '../auth/decorators/requires-recent-authentication.decorator';
import { CurrentPrincipal } from '../auth/decorators/current-principal.decorator';
import type { Principal } from '../auth/principal';
import { AccountPasswordService } from '../account/account-password.service';
import { ROLES } from '../auth/roles';
import { plural } from '../common/plural';
import { FlashService } from '../sessions/flash.service';
import { ADMIN_PAGE } from '../users/admin-access';
import { AdminCredentialsService } from './admin-credentials.service';
import { AdminPageErrorFilter } from './admin-page-error.filter';
import { AdminPageContext } from './admin-page.context';
import { mapPage } from '../common/keyset';
import { SsoLifecycleService } from '../sso-connections/sso-lifecycle.service';
import { MfaEnrolment } from '../mfa/mfa-enrolment.service';
import { MfaPolicy } from '../mfa-policy/mfa-policy';
import { LoginThrottle } from '../sign-in/login-throttle.service';
import { UserLifecycleService } from '../users/user-lifecycle.service';
import { toAdminUserView } from './admin-user.mapper';
import { CreateUserForm } from './dto/create-user.form';
import { ListUsersQuery } from './dto/list-users.query';
import { ResetPasswordForm } from './dto/reset-password.form';
import { SetRolesForm } from './dto/set-roles.form';
import { AuditNamesService } from './audit-names.service';

type Redirection = { url: string; statusCode: number };
const userPage = (id: string, done?: string): Redirection => ({
  url: `/admin/ui/users/${id}${done ? `?done=${done}` : ''}`,
  statusCode: 303,
});

/** What a `done` query value says on the user page (fixed texts: nothing from the URL is echoed). */
const DONE_MESSAGES: Record<string, string> = {
  created: 'User created.',
  disabled: 'User disabled; their sessions have ended.',
  enabled: 'User enabled.',
  roles: 'Roles saved.',
  revoked: 'Credential revoked.',
  'revoked-all': 'Every credential of this user has been revoked.',
  unlocked: 'Failed sign-ins cleared: the user can sign in again.',
  unlinked: 'Identity unlinked: the user can no longer sign in through it.',
  'mfa-reset': 'Second factors removed: the user is signed out everywhere and can set up a new factor after signing in.',
};

/**
 * The users pages. Forms post here with the CSRF token and come back with a 303 (post/redirect/
 * get); a refusal is shown by AdminPageErrorFilter. Audited with the same actions as the API.
 */
@ApiExcludeController()
@Authenticated(ADMIN_PAGE)
@UseFilters(AdminPageErrorFilter)
@Controller('admin/ui/users')
export class AdminUsersPagesController {
  constructor(
    private readonly users: UserLifecycleService,
    private readonly credentials: AdminCredentialsService,
    private readonly audit: AuditService,
    private readonly names: AuditNamesService,
    private readonly context: AdminPageContext,
    private readonly flash: FlashService,
    private readonly passwords: AccountPasswordService,
    private readonly loginThrottle: LoginThrottle,
    private readonly sso: SsoLifecycleService,
    private readonly mfa: MfaEnrolment,
    private readonly policy: MfaPolicy,
  ) {}

  @AuditAction('admin.user.list')
  @Get()
  @Render('admin/users.hbs')
  async list(@CurrentPrincipal() p: Principal, @Query() q: ListUsersQuery) {
    const page = mapPage(await this.users.search(q, q.limit ?? 50, q.cursor), toAdminUserView);
    const [factors, policy] = await Promise.all([this.mfa.factorsFor(page.items.map((u) => u.id)), this.policy.current()]);
    const filters = { q: q.q ?? '', status: q.status ?? '', role: q.role ?? '' };
    const next = page.nextCursor ? `?${new URLSearchParams({ ...filters, cursor: page.nextCursor })}` : null;
    return this.context.build(p, 'Users', {
      users: page.items.map((u) => ({
        ...u,
        disabled: u.status === 'disabled',
        bot: u.kind === 'bot',
        rolesText: u.roles.join(', '),
        factorsText:
          factors
            .get(u.id)
            ?.map((f) => `${f.label}${f.count > 1 ? ` ×${f.count}` : ''}`)
            .join(', ') || 'none',
      })),
      mfaRequired: { none: 'nobody', admins: 'admins', all: 'everyone' }[policy.required],
      filters,
      statusOptions: ['active', 'disabled'].map((s) => ({ value: s, selected: s === q.status })),
      roleOptions: ROLES.map((r) => ({ value: r, selected: r === q.role })),
      newRoles: ROLES.map((r) => ({ value: r, checked: r === 'user' })),
      next,
    });
  }

  @AuditAction('admin.user.create', 'user')
  @RequiresRecentAuthentication()
  @Post()
  @Redirect()
  async create(@Body() form: CreateUserForm, @Req() req: FastifyRequest): Promise<Redirection> {
    noteAuditDetails(req, { email: form.email.trim().toLowerCase(), roles: form.roles });
    const user = await this.users.create(form);
    noteAuditTarget(req, 'user', user.id);
    return userPage(user.id, 'created');
  }

  @AuditAction('admin.user.view', 'user')
  @Get(':id')
  @Render('admin/user.hbs')
  async view(@CurrentPrincipal() p: Principal, @Param('id', ParseUUIDPipe) id: string, @Query('done') done?: string) {
    const user = toAdminUserView(await this.users.get(id));
    const [credentials, events, signIn, identities, factors] = await Promise.all([
      this.credentials.listForUserPage(id),
      this.audit.search({ targetType: 'user', targetId: id }, 20),
      // The page still renders while Redis is down; it just cannot say.
      this.loginThrottle.accountFailures(user.email).catch(() => null),
      this.sso.identitiesOf(id),
      this.mfa.describeFor(id),
    ]);
    return this.context.build(p, user.email, {
      subject: { ...user, disabled: user.status === 'disabled', bot: user.kind === 'bot', self: user.id === p.actor.id },
      roleOptions: ROLES.map((r) => ({ value: r, checked: user.roles.includes(r) })),
      credentials,
      signIn,
      identities,
      factors,
      events: await this.names.describe(events.items),
      notice: done ? DONE_MESSAGES[done] : undefined,
    });
  }

  @AuditAction('admin.user.disable', 'user')
  @RequiresRecentAuthentication()
  @Post(':id/disable')
  @Redirect()
  async disable(@Param('id', ParseUUIDPipe) id: string, @Req() req: FastifyRequest): Promise<Redirection> {
    const { sessionsRevoked } = await this.users.disable(id);
    noteAuditDetails(req, { sessionsRevoked });
    return userPage(id, 'disabled');
  }

  @AuditAction('admin.user.enable', 'user')
  @RequiresRecentAuthentication()
  @Post(':id/enable')
  @Redirect()
  async enable(@Param('id', ParseUUIDPipe) id: string): Promise<Redirection> {
    await this.users.enable(id);
    return userPage(id, 'enabled');
  }

  @AuditAction('admin.user.set_roles', 'user')
  @RequiresRecentAuthentication()
  @Post(':id/roles')
  @Redirect()
  async setRoles(@Param('id', ParseUUIDPipe) id: string, @Body() form: SetRolesForm, @Req() req: FastifyRequest): Promise<Redirection> {
    const { before, user } = await this.users.setRoles(id, form.roles);
    noteAuditDetails(req, { before, after: user.roles });
    return userPage(id, 'roles');
  }

  /** Post/Redirect/Get: a generated password rides to the user page in the sealed flash cookie, once. */
  @AuditAction('admin.user.reset_password', 'user')
  @RequiresRecentAuthentication()
  @Post(':id/reset-password')
  @Redirect()
  async resetPassword(
    @CurrentPrincipal() p: Principal,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() form: ResetPasswordForm,
    @Req() req: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<Redirection> {
    const user = await this.users.get(id);
    const result = await this.users.resetPassword(id, form.password);
    noteAuditDetails(req, { generated: result.temporaryPassword !== null, sessionsRevoked: result.sessionsRevoked });
    const message = `Password of ${user.email} reset; ${plural(result.sessionsRevoked, 'session')} ended.`;
    const reveal = result.temporaryPassword
      ? { title: 'Temporary password: give it to the user over a safe channel', value: result.temporaryPassword }
      : undefined;
    await this.flash.set(reply, { message, reveal }, p.credential.id);
    return userPage(id);
  }

  /** Post/Redirect/Get: the one-time reset link rides to the user page in the sealed flash cookie. */
  @AuditAction('admin.user.password_reset_link', 'user')
  @RequiresRecentAuthentication()
  @Post(':id/reset-link')
  @Redirect()
  async resetLink(
    @CurrentPrincipal() p: Principal,
    @Param('id', ParseUUIDPipe) id: string,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<Redirection> {
    const user = await this.users.get(id);
    const link = await this.passwords.issueLink(id, p.actor.id);
    await this.flash.set(
      reply,
      {
        message: `Reset link created for ${user.email}.`,
        reveal: {
          title: 'Password-reset link: hand it to the user over a safe channel',
          value: link.url,
          facts: [{ label: 'Works once, until', value: link.expiresAt.toISOString() }],
        },
      },
      p.credential.id,
    );
    return userPage(id);
  }

  @AuditAction('admin.user.delete', 'user')
  @RequiresRecentAuthentication()
  @Post(':id/delete')
  @Redirect()
  async remove(@Param('id', ParseUUIDPipe) id: string, @Req() req: FastifyRequest): Promise<Redirection> {
    const user = await this.users.delete(id);
    noteAuditDetails(req, { email: user.email });
    return { url: '/admin/ui/users', statusCode: 303 };
  }

  @AuditAction('admin.user.revoke_credential', 'user')
  @RequiresRecentAuthentication()
  @Post(':id/credentials/:kind/:credentialId/revoke')
  @Redirect()
  async revokeCredential(
    @Param('id', ParseUUIDPipe) id: string,
    @Param('kind') kind: string,
    @Param('credentialId', ParseUUIDPipe) credentialId: string,
    @Req() req: FastifyRequest,
  ): Promise<Redirection> {
    noteAuditDetails(req, { kind, credentialId });
    await this.credentials.revoke(id, kind, credentialId);
    return userPage(id, 'revoked');
  }

  @AuditAction('admin.user.unlink_identity', 'user')
  @RequiresRecentAuthentication()
  @Post(':id/identities/:identityId/unlink')
  @Redirect()
  async unlink(
    @Param('id', ParseUUIDPipe) id: string,
    @Param('identityId', ParseUUIDPipe) identityId: string,
    @Req() req: FastifyRequest,
  ): Promise<Redirection> {
    const row = await this.sso.unlink(id, identityId);
    noteAuditDetails(req, { connection: row.connectionSlug, subject: row.subject });
    return userPage(id, 'unlinked');
  }

  @AuditAction('admin.user.unlock', 'user')
  @RequiresRecentAuthentication()
  @Post(':id/unlock')
  @Redirect()
  async unlock(@Param('id', ParseUUIDPipe) id: string, @Req() req: FastifyRequest): Promise<Redirection> {
    const user = await this.users.get(id);
    noteAuditDetails(req, { countersCleared: await this.loginThrottle.clearAccount(user.email) });
    return userPage(id, 'unlocked');
  }

  @AuditAction('admin.user.mfa_reset', 'user')
  @RequiresRecentAuthentication()
  @Post(':id/mfa-reset')
  @Redirect()
  async resetMfa(@Param('id', ParseUUIDPipe) id: string, @Req() req: FastifyRequest): Promise<Redirection> {
    noteAuditDetails(req, MfaEnrolment.auditDetails(await this.mfa.resetAll(id)));
    return userPage(id, 'mfa-reset');
  }

  @AuditAction('admin.user.revoke_all', 'user')
  @RequiresRecentAuthentication()
  @Post(':id/revoke-credentials')
  @Redirect()
  async revokeAll(@Param('id', ParseUUIDPipe) id: string, @Req() req: FastifyRequest): Promise<Redirection> {
    noteAuditDetails(req, { revoked: await this.users.revokeAllCredentials(id) });
    return userPage(id, 'revoked-all');
  }
}

import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Post, Put, Query, Req, Res } from '@nestjs/common';
import { ApiConflictResponse, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AccountPasswordService } from '../account/account-password.service';
import { PasswordResetLinkView } from '../account/dto/password-reset-link.view';
import { AuditAction } from '../audit/audit-action.decorator';
import { noteAuditDetails } from '../audit/audit-context';
import { Authenticated } from '../auth/decorators/authenticated.decorator';
import { RequiresRecentAuthentication } from '../auth/decorators/requires-recent-authentication.decorator';
import { CurrentPrincipal } from '../auth/decorators/current-principal.decorator';
import type { Principal } from '../auth/principal';
import { ADMIN_API } from '../users/admin-access';
import { AdminCredentialsService } from './admin-credentials.service';
import { mapPage, pageOfList } from '../common/keyset';
import { PageQuery, pageRequest } from '../common/page.query';
import { MfaEnrolment } from '../mfa/mfa-enrolment.service';
import { LoginThrottle } from '../sign-in/login-throttle.service';
import { UserLifecycleService } from '../users/user-lifecycle.service';
import { toAdminUserView } from './admin-user.mapper';
import { AdminUserPageView } from './dto/admin-user-page.view';
import { AdminUserView } from './dto/admin-user.view';
import { CreateUserDto } from './dto/create-user.dto';
import { CredentialPageView } from './dto/credential-page.view';
import { ListUsersQuery } from './dto/list-users.query';
import { ResetPasswordDto } from './dto/reset-password.dto';
import { ResetPasswordView } from './dto/reset-password.view';
import { SetRolesDto } from './dto/set-roles.dto';

const LAST_ADMIN = 'Refused: the user is the last active admin';

/** The admin users API. Every call requires `admin` and is audited as `admin.user.*`. */
@ApiTags('admin')
@Authenticated(ADMIN_API)
@Controller('admin/users')
export class AdminUsersController {
  constructor(
    private readonly users: UserLifecycleService,
    private readonly credentials: AdminCredentialsService,
    private readonly passwords: AccountPasswordService,
    private readonly loginThrottle: LoginThrottle,
    private readonly mfa: MfaEnrolment,
  ) {}

  @AuditAction('admin.user.list')
  @Get()
  @ApiOkResponse({ type: AdminUserPageView })
  async list(@Query() q: ListUsersQuery): Promise<AdminUserPageView> {
    const page = mapPage(await this.users.search(q, q.limit ?? 50, q.cursor), toAdminUserView);
    const factors = await this.mfa.factorsFor(page.items.map((u) => u.id));
    return { ...page, items: page.items.map((u) => ({ ...u, factors: factors.get(u.id) ?? [] })) };
  }

  @AuditAction('admin.user.create', 'user')
  @RequiresRecentAuthentication()
  @Post()
  @ApiCreatedResponse({ type: AdminUserView })
  @ApiConflictResponse({ description: 'A user with this email already exists' })
  async create(@Body() dto: CreateUserDto, @Req() req: FastifyRequest): Promise<AdminUserView> {
    noteAuditDetails(req, { email: dto.email.trim().toLowerCase(), roles: dto.roles });
    return toAdminUserView(await this.users.create(dto));
  }

  /**
   * A one-time password-reset link for the user to open (30 minutes, single use; older unused
   * links stop working). For deployments without SMTP: hand it over on a safe channel.
   */
  @AuditAction('admin.user.password_reset_link', 'user')
  @RequiresRecentAuthentication()
  @Post(':id/password-reset-link')
  @ApiCreatedResponse({ type: PasswordResetLinkView })
  async resetLink(
    @Param('id', ParseUUIDPipe) id: string,
    @CurrentPrincipal() p: Principal,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<PasswordResetLinkView> {
    await this.users.get(id);
    const link = await this.passwords.issueLink(id, p.actor.id);
    void reply.header('cache-control', 'no-store');
    return { url: link.url, expiresAt: link.expiresAt.toISOString() };
  }

  @AuditAction('admin.user.view', 'user')
  @Get(':id')
  @ApiOkResponse({ type: AdminUserView })
  async get(@Param('id', ParseUUIDPipe) id: string): Promise<AdminUserView> {
    const user = toAdminUserView(await this.users.get(id));
    return { ...user, factors: (await this.mfa.factorsFor([id])).get(id) ?? [] };
  }

  @AuditAction('admin.user.disable', 'user')
  @RequiresRecentAuthentication()
  @Post(':id/disable')
  @HttpCode(200)
  @ApiOkResponse({ type: AdminUserView })
  @ApiConflictResponse({ description: LAST_ADMIN })
  async disable(@Param('id', ParseUUIDPipe) id: string, @Req() req: FastifyRequest): Promise<AdminUserView> {
    const { user, sessionsRevoked } = await this.users.disable(id);
    noteAuditDetails(req, { sessionsRevoked });
    return toAdminUserView(user);
  }

  @AuditAction('admin.user.enable', 'user')
  @RequiresRecentAuthentication()
  @Post(':id/enable')
  @HttpCode(200)
  @ApiOkResponse({ type: AdminUserView })
  async enable(@Param('id', ParseUUIDPipe) id: string): Promise<AdminUserView> {
    return toAdminUserView(await this.users.enable(id));
  }

  @AuditAction('admin.user.set_roles', 'user')
  @RequiresRecentAuthentication()
  @Put(':id/roles')
  @ApiOkResponse({ type: AdminUserView })
  @ApiConflictResponse({ description: LAST_ADMIN })
  async setRoles(@Param('id', ParseUUIDPipe) id: string, @Body() dto: SetRolesDto, @Req() req: FastifyRequest): Promise<AdminUserView> {
    const { before, user } = await this.users.setRoles(id, dto.roles);
    noteAuditDetails(req, { before, after: user.roles });
    return toAdminUserView(user);
  }

  @AuditAction('admin.user.reset_password', 'user')
  @RequiresRecentAuthentication()
  @Post(':id/reset-password')
  @HttpCode(200)
  @ApiOkResponse({ type: ResetPasswordView })
  async resetPassword(
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: ResetPasswordDto,
    @Req() req: FastifyRequest,
  ): Promise<ResetPasswordView> {
    const result = await this.users.resetPassword(id, dto.password);
    noteAuditDetails(req, { generated: result.temporaryPassword !== null, sessionsRevoked: result.sessionsRevoked });
    return result;
  }

  @AuditAction('admin.user.delete', 'user')
  @RequiresRecentAuthentication()
  @Delete(':id')
  @HttpCode(204)
  @ApiNoContentResponse()
  @ApiConflictResponse({ description: LAST_ADMIN })
  async remove(@Param('id', ParseUUIDPipe) id: string, @Req() req: FastifyRequest): Promise<void> {
    const user = await this.users.delete(id);
    noteAuditDetails(req, { email: user.email });
  }

  @AuditAction('admin.user.list_credentials', 'user')
  @Get(':id/credentials')
  @ApiOkResponse({ type: CredentialPageView })
  async listCredentials(@Param('id', ParseUUIDPipe) id: string, @Query() q: PageQuery): Promise<CredentialPageView> {
    await this.users.get(id);
    // Gathered from every credential kind's module, then paged in memory (one user's live credentials).
    return pageOfList(await this.credentials.listForUser(id), pageRequest(q), (c) => ({
      time: new Date(c.createdAt),
      id: `${c.kind}:${c.id}`,
    }));
  }

  @AuditAction('admin.user.revoke_credential', 'user')
  @RequiresRecentAuthentication()
  @Delete(':id/credentials/:kind/:credentialId')
  @HttpCode(204)
  @ApiNoContentResponse()
  async revokeCredential(
    @Param('id', ParseUUIDPipe) id: string,
    @Param('kind') kind: string,
    @Param('credentialId', ParseUUIDPipe) credentialId: string,
    @Req() req: FastifyRequest,
  ): Promise<void> {
    noteAuditDetails(req, { kind, credentialId });
    await this.credentials.revoke(id, kind, credentialId);
  }

  /**
   * Clears the user's failed sign-in counters (docs/admin.md "Sign-in lockouts"): a locked-out
   * owner can sign in again at once. 200 `{ countersCleared }`; 404 for an unknown user.
   */
  @AuditAction('admin.user.unlock', 'user')
  @RequiresRecentAuthentication()
  @Post(':id/unlock')
  @HttpCode(200)
  @ApiOkResponse({ schema: { type: 'object', properties: { countersCleared: { type: 'integer' } } } })
  async unlock(@Param('id', ParseUUIDPipe) id: string, @Req() req: FastifyRequest): Promise<{ countersCleared: number }> {
    // Clears the per-account ceiling and every (account, IP) delay: the owner can sign in at once.
    const countersCleared = await this.loginThrottle.clearAccount((await this.users.get(id)).email);
    noteAuditDetails(req, { countersCleared });
    return { countersCleared };
  }

  /**
   * Removes every second factor of the user (authenticator app, passkeys, recovery codes; docs/mfa.md),
   * ends their sessions and everything in flight (credential epoch), and mails them. Their PATs stay.
   * 200 `{ removed: { <factor kind>: count }, sessionsEnded }`; 404 for an unknown user.
   */
  @AuditAction('admin.user.mfa_reset', 'user')
  @RequiresRecentAuthentication()
  @Post(':id/mfa/reset')
  @HttpCode(200)
  @ApiOkResponse({
    schema: {
      type: 'object',
      properties: { removed: { type: 'object', additionalProperties: { type: 'integer' } }, sessionsEnded: { type: 'integer' } },
    },
  })
  async resetMfa(
    @Param('id', ParseUUIDPipe) id: string,
    @Req() req: FastifyRequest,
  ): Promise<{ removed: Record<string, number>; sessionsEnded: number }> {
    const result = await this.mfa.resetAll(id);
    noteAuditDetails(req, MfaEnrolment.auditDetails(result));
    return result;
  }

  /** Incident response: every session, token and grant of the user ends now. */
  @AuditAction('admin.user.revoke_all', 'user')
  @RequiresRecentAuthentication()
  @Post(':id/revoke-credentials')
  @HttpCode(200)
  @ApiOkResponse({ schema: { type: 'object', additionalProperties: { type: 'integer' }, example: { session: 2 } } })
  async revokeAll(@Param('id', ParseUUIDPipe) id: string, @Req() req: FastifyRequest): Promise<Record<string, number>> {
    const revoked = await this.users.revokeAllCredentials(id);
    noteAuditDetails(req, { revoked });
    return revoked;
  }
}

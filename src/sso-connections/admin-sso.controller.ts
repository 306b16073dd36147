import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post, Query, Req } from '@nestjs/common';
import { ApiConflictResponse, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { AuditAction } from '../audit/audit-action.decorator';
import { noteAuditDetails } from '../audit/audit-context';
import { Authenticated } from '../auth/decorators/authenticated.decorator';
import { RequiresRecentAuthentication } from '../auth/decorators/requires-recent-authentication.decorator';
import { Page, pageOfList } from '../common/keyset';
import { PageQuery, pageRequest } from '../common/page.query';
import { PageView } from '../common/page.view';
import { ADMIN_API } from '../users/admin-access';
import { CreateSsoConnectionDto, DisableSsoConnectionDto, UpdateSsoConnectionDto } from './dto/sso-connection.dto';
import { ExternalIdentityView, SsoConnectionView } from './dto/sso-connection.view';
import { SsoLifecycleService } from './sso-lifecycle.service';

/** The keyset position of a connection or identity view: its creation time, then its id. */
const byCreation = (v: { createdAt: string; id: string }) => ({ time: new Date(v.createdAt), id: v.id });

/**
 * The admin API of single sign-on: connections (`admin.sso.*`) and users' external identities.
 * The client secret is write-only: accepted on create and change, sealed, never returned, never
 * in an audit row (only the names of changed fields are).
 */
@ApiTags('admin')
@Authenticated(ADMIN_API)
@Controller('admin')
export class AdminSsoController {
  constructor(private readonly sso: SsoLifecycleService) {}

  @AuditAction('admin.sso.list')
  @Get('sso/connections')
  @ApiOkResponse({ type: PageView(SsoConnectionView) })
  async list(@Query() q: PageQuery): Promise<Page<SsoConnectionView>> {
    // A handful of connections: paged in memory, newest first, like every list.
    return pageOfList(await this.sso.list(), pageRequest(q), byCreation);
  }

  @AuditAction('admin.sso.create', 'sso_connection')
  @Post('sso/connections')
  @ApiCreatedResponse({ type: SsoConnectionView })
  @ApiConflictResponse({ description: 'The slug is taken, or a domain already routes to another enabled connection' })
  async create(@Body() dto: CreateSsoConnectionDto, @Req() req: FastifyRequest): Promise<SsoConnectionView> {
    const view = await this.sso.create(dto);
    noteAuditDetails(req, { slug: view.slug, issuer: view.issuer });
    return view;
  }

  @AuditAction('admin.sso.view', 'sso_connection')
  @Get('sso/connections/:id')
  @ApiOkResponse({ type: SsoConnectionView })
  get(@Param('id', ParseUUIDPipe) id: string): Promise<SsoConnectionView> {
    return this.sso.get(id);
  }

  @AuditAction('admin.sso.update', 'sso_connection')
  @Patch('sso/connections/:id')
  @ApiOkResponse({ type: SsoConnectionView })
  async update(
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: UpdateSsoConnectionDto,
    @Req() req: FastifyRequest,
  ): Promise<SsoConnectionView> {
    const { view, changed } = await this.sso.update(id, dto);
    noteAuditDetails(req, { changed });
    return view;
  }

  /** New sign-ins are refused at once; `endSessions` also ends every credential of the users linked through it. */
  @AuditAction('admin.sso.disable', 'sso_connection')
  @Post('sso/connections/:id/disable')
  @HttpCode(200)
  @ApiOkResponse({ type: SsoConnectionView })
  async disable(
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: DisableSsoConnectionDto,
    @Req() req: FastifyRequest,
  ): Promise<SsoConnectionView> {
    const { view, usersSignedOut } = await this.sso.disable(id, dto.endSessions ?? false);
    noteAuditDetails(req, { endSessions: dto.endSessions ?? false, usersSignedOut });
    return view;
  }

  @AuditAction('admin.sso.enable', 'sso_connection')
  @Post('sso/connections/:id/enable')
  @HttpCode(200)
  @ApiOkResponse({ type: SsoConnectionView })
  @ApiConflictResponse({ description: 'A domain of it routes to another enabled connection' })
  enable(@Param('id', ParseUUIDPipe) id: string): Promise<SsoConnectionView> {
    return this.sso.enable(id);
  }

  @AuditAction('admin.user.identities', 'user')
  @Get('users/:id/identities')
  @ApiOkResponse({ type: PageView(ExternalIdentityView) })
  async identities(@Param('id', ParseUUIDPipe) id: string, @Query() q: PageQuery): Promise<Page<ExternalIdentityView>> {
    return pageOfList(await this.sso.identitiesOf(id), pageRequest(q), byCreation);
  }

  /** The user can no longer sign in through that identity; their account and other credentials stay. */
  @AuditAction('admin.user.unlink_identity', 'user')
  @RequiresRecentAuthentication()
  @Delete('users/:id/identities/:identityId')
  @HttpCode(204)
  @ApiNoContentResponse()
  async unlink(
    @Param('id', ParseUUIDPipe) id: string,
    @Param('identityId', ParseUUIDPipe) identityId: string,
    @Req() req: FastifyRequest,
  ): Promise<void> {
    const row = await this.sso.unlink(id, identityId);
    noteAuditDetails(req, { connection: row.connectionSlug, subject: row.subject });
  }
}

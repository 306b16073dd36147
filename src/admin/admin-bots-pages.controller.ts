import { Body, Controller, Get, Param, ParseUUIDPipe, Post, Redirect, Render, Req, Res, UseFilters } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AuditAction } from '../audit/audit-action.decorator';
import { noteAuditTarget } from '../audit/audit-context';
import { Authenticated } from '../auth/decorators/authenticated.decorator';
import { RequiresRecentAuthentication } from '../auth/decorators/requires-recent-authentication.decorator';
import { CurrentPrincipal } from '../auth/decorators/current-principal.decorator';
import type { Principal } from '../auth/principal';
import { BotTokensService } from '../bots/bot-tokens.service';
import { BotsService, toBotView } from '../bots/bots.service';
import { requestMeta } from '../common/request-meta';
import { FlashService } from '../sessions/flash.service';
import { AdminImpersonationService } from '../impersonation/admin-impersonation.service';
import { StartImpersonationDto } from '../impersonation/dto/start-impersonation.dto';
import { IMPERSONATE_SCOPE } from '../impersonation/impersonation.scopes';
import { ADMIN_PAGE } from '../users/admin-access';
import { AdminPageErrorFilter } from './admin-page-error.filter';
import { AdminPageContext } from './admin-page.context';

/**
 * Admin → Bots (every bot, its managers and live tokens, unmanaged ones flagged; each links to
 * the bot's page, where admins manage it like a manager) and Admin → Impersonation (start one
 * with a reason, see and end live ones). Refusals are shown by AdminPageErrorFilter.
 */
@ApiExcludeController()
@Authenticated(ADMIN_PAGE)
@UseFilters(AdminPageErrorFilter)
@Controller('admin/ui')
export class AdminBotsPagesController {
  constructor(
    private readonly bots: BotsService,
    private readonly botTokens: BotTokensService,
    private readonly impersonations: AdminImpersonationService,
    private readonly context: AdminPageContext,
    private readonly flash: FlashService,
  ) {}

  @AuditAction('admin.bot.list')
  @Get('bots')
  @Render('admin/bots.hbs')
  async listBots(@CurrentPrincipal() p: Principal) {
    const records = await this.bots.listAll();
    const now = Date.now();
    const rows = await Promise.all(
      records.map(async (r) => {
        const tokens = (await this.bots.tokensOf(r)).filter((t) => t.expiresAt === null || t.expiresAt.getTime() > now);
        return {
          ...toBotView(r),
          active: r.user.status === 'active',
          tokens: tokens.map((t) => ({ name: t.name, hint: t.hint, lastUsedAt: t.lastUsedAt?.toISOString() ?? null })),
        };
      }),
    );
    return this.context.build(p, 'Bots', {
      bots: rows,
      unmanaged: rows.filter((b) => b.unmanaged).length,
      liveTokens: await this.botTokens.countLive(),
    });
  }

  @AuditAction('admin.impersonation.list')
  @Get('impersonation')
  @Render('admin/impersonation.hbs')
  async impersonation(@CurrentPrincipal() p: Principal) {
    return this.context.build(p, 'Impersonation', {
      // Live impersonations are short-lived and few; the page shows the newest 200.
      live: (await this.impersonations.listLive({ limit: 200 })).items,
      canImpersonate: p.scopes.has(IMPERSONATE_SCOPE),
    });
  }

  /** Post/Redirect/Get: the token rides to the page once in the sealed flash cookie, never in a URL. */
  @Authenticated({ ...ADMIN_PAGE, scopes: [...ADMIN_PAGE.scopes, IMPERSONATE_SCOPE] })
  @AuditAction('admin.impersonation.start', 'user')
  @RequiresRecentAuthentication()
  @Post('impersonation')
  @Redirect('/admin/ui/impersonation', 303)
  async start(
    @CurrentPrincipal() p: Principal,
    @Body() form: StartImpersonationDto,
    @Req() req: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<void> {
    const started = await this.impersonations.start(p, form, requestMeta(req));
    noteAuditTarget(req, 'user', started.subjectId);
    await this.flash.set(
      reply,
      {
        message: `Acting as ${started.subjectEmail}: your name is attached to everything this token does, and they are told.`,
        reveal: {
          title: `Impersonation token for ${started.subjectEmail}`,
          value: started.token,
          facts: [
            { label: 'Expires', value: started.expiresAt },
            { label: 'Scopes', value: started.scopes.join(' ') },
          ],
        },
      },
      p.credential.id,
    );
  }

  @AuditAction('admin.impersonation.revoke', 'impersonation_token')
  @Post('impersonation/:id/revoke')
  @Redirect('/admin/ui/impersonation', 303)
  async revoke(@CurrentPrincipal() p: Principal, @Param('id', ParseUUIDPipe) id: string, @Req() req: FastifyRequest): Promise<void> {
    await this.impersonations.revoke(p, id, requestMeta(req));
  }
}

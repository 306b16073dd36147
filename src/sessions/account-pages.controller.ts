import { Controller, Get, Param, ParseUUIDPipe, Post, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Authenticated } from '../auth/decorators/authenticated.decorator';
import { CurrentPrincipal } from '../auth/decorators/current-principal.decorator';
import type { Principal } from '../auth/principal';
import { requestMeta } from '../common/request-meta';
import { plural } from '../common/plural';
import { AccountSessionsService } from './account-sessions.service';
import { UsersService } from '../users/users.service';
import { CsrfService } from './csrf.service';
import { FlashService } from './flash.service';
import { SessionsService } from './sessions.service';

const PAGE = { schemes: ['cookie'], page: true } as const;

/** Server-rendered account pages. Forms post back here with the CSRF token. */
@ApiExcludeController()
@Controller('account')
export class AccountPagesController {
  constructor(
    private readonly sessions: SessionsService,
    private readonly csrf: CsrfService,
    private readonly accountSessions: AccountSessionsService,
    private readonly flash: FlashService,
    private readonly users: UsersService,
  ) {}

  @Authenticated(PAGE)
  @Get()
  async account(@CurrentPrincipal() p: Principal, @Res() reply: FastifyReply) {
    const [sessions, account] = await Promise.all([this.sessions.listActiveForUser(p.actor.id), this.users.findById(p.actor.id)]);
    return reply.header('cache-control', 'no-store').view('account.hbs', {
      title: 'Your account',
      user: p.user,
      passwordChangedAt: account?.passwordChangedAt?.toISOString(),
      createdAt: account?.createdAt.toISOString(),
      roles: p.user?.roles.join(', ') || 'none',
      sessionCount: sessions.length,
      csrf: this.csrf.tokenFor(p.credential.id),
    });
  }

  @Authenticated(PAGE)
  @Post('sessions/:id/revoke')
  async revoke(
    @CurrentPrincipal() p: Principal,
    @Param('id', ParseUUIDPipe) id: string,
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
  ) {
    const ended = await this.accountSessions.endOwn(p, id, requestMeta(req));
    if (id === p.credential.id) {
      await this.flash.set(reply, { message: 'You have signed out.' });
      return reply.redirect('/login', 303);
    }
    await this.flash.set(reply, ended ? { message: 'Session ended.' } : { message: 'That session had already ended.', kind: 'error' });
    return reply.redirect('/account/sessions', 303);
  }

  @Authenticated(PAGE)
  @Post('sessions/revoke-others')
  async revokeOthers(@CurrentPrincipal() p: Principal, @Req() req: FastifyRequest, @Res() reply: FastifyReply) {
    const n = await this.accountSessions.endOthers(p, requestMeta(req));
    await this.flash.set(reply, {
      message: n === 0 ? 'No other sessions were signed in.' : `Signed out of ${plural(n, 'other session')}.`,
    });
    return reply.redirect('/account/sessions', 303);
  }
}

import { Controller, Get, Param, ParseUUIDPipe, Post, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Authenticated } from '../auth/decorators/authenticated.decorator';
import { CurrentPrincipal } from '../auth/decorators/current-principal.decorator';
import type { Principal } from '../auth/principal';
import { requestMeta } from '../common/request-meta';
import { toSessionView } from './account-sessions.controller';
import { AccountSessionsService } from './account-sessions.service';
import { CsrfService } from './csrf.service';
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
  ) {}

  @Authenticated(PAGE)
  @Get()
  async account(@CurrentPrincipal() p: Principal, @Res() reply: FastifyReply) {
    const sessions = (await this.sessions.listActiveForUser(p.actor.id)).map((s) => toSessionView(s, p.credential.id));
    return reply.header('cache-control', 'no-store').view('account.hbs', {
      title: 'Your account',
      user: p.user,
      sessions,
      csrf: this.csrf.tokenFor(p.credential.id),
    });
  }

  @Authenticated(PAGE)
  @Post('sessions/:id/revoke')
  async revoke(@CurrentPrincipal() p: Principal, @Param('id', ParseUUIDPipe) id: string, @Req() req: FastifyRequest, @Res() reply: FastifyReply) {
    await this.accountSessions.endOwn(p, id, requestMeta(req));
    return reply.redirect(id === p.credential.id ? '/login' : '/account', 303);
  }

  @Authenticated(PAGE)
  @Post('sessions/revoke-others')
  async revokeOthers(@CurrentPrincipal() p: Principal, @Req() req: FastifyRequest, @Res() reply: FastifyReply) {
    await this.accountSessions.endOthers(p, requestMeta(req));
    return reply.redirect('/account', 303);
  }
}

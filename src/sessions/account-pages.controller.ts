import { Controller, Get, Param, ParseUUIDPipe, Post, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Authenticated } from '../auth/decorators/authenticated.decorator';
import { CurrentPrincipal } from '../auth/decorators/current-principal.decorator';
import type { Principal } from '../auth/principal';
import { AuditService } from '../audit/audit.service';
import { requestMeta } from '../common/request-meta';
import { toSessionView } from './account-sessions.controller';
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
    private readonly audit: AuditService,
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
    if (await this.sessions.revokeOwn(p.actor.id, id)) {
      await this.audit.recordFor(p, { action: 'session.revoke', outcome: 'success', target: { type: 'session', id }, meta: requestMeta(req) });
    }
    return reply.redirect(id === p.credential.id ? '/login' : '/account', 303);
  }

  @Authenticated(PAGE)
  @Post('sessions/revoke-others')
  async revokeOthers(@CurrentPrincipal() p: Principal, @Req() req: FastifyRequest, @Res() reply: FastifyReply) {
    const revoked = await this.sessions.revokeOthers(p.actor.id, p.credential.id);
    await this.audit.recordFor(p, {
      action: 'session.revoke_others',
      outcome: 'success',
      target: { type: 'user', id: p.actor.id },
      meta: requestMeta(req),
      details: { revoked },
    });
    return reply.redirect('/account', 303);
  }
}

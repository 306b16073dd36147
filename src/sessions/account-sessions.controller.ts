import { Controller, Delete, Get, HttpCode, NotFoundException, Param, ParseUUIDPipe, Query, Req, Res } from '@nestjs/common';
import { ApiNoContentResponse, ApiOkResponse, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Authenticated } from '../auth/decorators/authenticated.decorator';
import { CurrentPrincipal } from '../auth/decorators/current-principal.decorator';
import type { Principal } from '../auth/principal';
import { mapPage } from '../common/keyset';
import { PageQuery, pageRequest } from '../common/page.query';
import { prefersHtml } from '../common/prefers-html';
import { requestMeta } from '../common/request-meta';
import { AccountSessionsService } from './account-sessions.service';
import { SessionPageView } from './dto/session-page.view';
import { SessionView } from './dto/session.view';
import { Session } from './session.entity';
import { SessionsService } from './sessions.service';

export function toSessionView(s: Session, currentId: string): SessionView {
  return {
    id: s.id,
    createdAt: s.createdAt.toISOString(),
    lastSeenAt: s.lastSeenAt.toISOString(),
    ip: s.ip,
    userAgent: s.userAgent,
    current: s.id === currentId,
  };
}

/** The caller's own browser sessions. Cookie only: a token cannot end its owner's sessions. */
@ApiTags('account')
@Controller('account/sessions')
export class AccountSessionsController {
  constructor(
    private readonly sessions: SessionsService,
    private readonly account: AccountSessionsService,
  ) {}

  /** JSON list; a browser asking for text/html gets the "Sessions" page instead. */
  @Authenticated({ schemes: ['cookie'], page: true })
  @Get()
  @ApiProduces('application/json', 'text/html')
  @ApiOkResponse({ type: SessionPageView, description: 'JSON unless the request prefers text/html' })
  async list(@CurrentPrincipal() p: Principal, @Query() q: PageQuery, @Req() req: FastifyRequest, @Res() reply: FastifyReply) {
    void reply.header('cache-control', 'no-store').header('vary', 'Accept');
    if (!prefersHtml(req)) {
      const page = await this.sessions.pageActiveForUser(p.actor.id, pageRequest(q));
      return reply.send(mapPage(page, (s) => toSessionView(s, p.credential.id)));
    }
    // The page shows them all: a person has a handful of live sessions.
    const sessions = (await this.sessions.listActiveForUser(p.actor.id)).map((s) => toSessionView(s, p.credential.id));
    return reply.view('sessions.hbs', { title: 'Sessions', sessions, others: sessions.some((s) => !s.current) });
  }

  @Authenticated({ schemes: ['cookie'] })
  @Delete(':id')
  @HttpCode(204)
  @ApiNoContentResponse()
  async revoke(@CurrentPrincipal() p: Principal, @Param('id', ParseUUIDPipe) id: string, @Req() req: FastifyRequest) {
    if (!(await this.account.endOwn(p, id, requestMeta(req)))) throw new NotFoundException('No such session');
  }

  /** Ends every session of the caller except the current one. */
  @Authenticated({ schemes: ['cookie'] })
  @Delete()
  @ApiOkResponse({ schema: { properties: { revoked: { type: 'integer' } } } })
  async revokeOthers(@CurrentPrincipal() p: Principal, @Req() req: FastifyRequest): Promise<{ revoked: number }> {
    return { revoked: await this.account.endOthers(p, requestMeta(req)) };
  }
}

import { Controller, Get, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Public } from '../auth/decorators/public.decorator';
import { SessionPrincipalReader } from '../sessions/session-principal.reader';
import { PUBLIC_DIR } from './web-paths';

/** The front door: `/` sends a person to the right page, and browsers find the icon at its usual place. */
@ApiExcludeController()
@Controller()
export class HomeController {
  private readonly favicon = readFileSync(join(PUBLIC_DIR, 'favicon.svg'));

  constructor(private readonly sessions: SessionPrincipalReader) {}

  /** Signed in: the account page; otherwise the sign-in page. Public, so it checks the session itself. */
  @Public()
  @Get()
  async home(@Req() req: FastifyRequest, @Res() reply: FastifyReply) {
    const principal = await this.sessions.read(req);
    return reply.header('cache-control', 'no-store').redirect(principal ? '/account' : '/login', 303);
  }

  /** Browsers ask for /favicon.ico whatever the page says; the same SVG the layout links. */
  @Public()
  @Get('favicon.ico')
  favicon_(@Res() reply: FastifyReply) {
    return reply.header('content-type', 'image/svg+xml').header('cache-control', 'public, max-age=86400').send(this.favicon);
  }
}

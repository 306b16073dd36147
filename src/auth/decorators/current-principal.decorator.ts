import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import type { Principal } from '../principal';

/** The authenticated Principal. Only on routes behind @Authenticated/@Scopes. */
export const CurrentPrincipal = createParamDecorator((_: unknown, ctx: ExecutionContext): Principal => {
  const principal = ctx.switchToHttp().getRequest<FastifyRequest>().user;
  if (!principal) throw new Error('CurrentPrincipal used on a route without authentication');
  return principal;
});

import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Authenticated } from '../auth/decorators/authenticated.decorator';
import { CurrentPrincipal } from '../auth/decorators/current-principal.decorator';
import type { Principal } from '../auth/principal';
import { MeView } from './dto/me.view';

@ApiTags('me')
@Controller('me')
export class MeController {
  /**
   * Any valid credential, no scope needed. Built from the Principal alone: no query beyond the
   * one authentication already made, so it is also the cheapest guarded route.
   */
  @Authenticated({ schemes: ['bearer', 'cookie', 'secret'] })
  @Get()
  @ApiOperation({ summary: 'Who the caller is: subject, credential, client, effective scopes, expiry' })
  @ApiOkResponse({ type: MeView })
  me(@CurrentPrincipal() p: Principal): MeView {
    const bot = p.user?.kind === 'bot';
    return {
      sub: p.actor.id,
      kind: p.actor.type === 'client' ? 'client' : bot ? 'bot' : 'user',
      // A person's email and name (OIDC claims); a bot has a name but no mailbox.
      ...(p.actor.type === 'user' && p.user ? { ...(bot ? {} : { email: p.user.email }), name: p.user.displayName } : {}),
      credential: { kind: p.credential.kind, id: p.credential.id },
      ...(p.clientId ? { client_id: p.clientId } : {}),
      scopes: [...p.scopes].sort(),
      expires_at: p.expiresAt?.toISOString() ?? null,
      ...(p.act ? { act: { sub: p.act.sub } } : {}),
    };
  }
}

import { Controller, Get, Header, Query, Render } from '@nestjs/common';
import { ApiExcludeEndpoint, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Authenticated } from '../auth/decorators/authenticated.decorator';
import { CurrentPrincipal } from '../auth/decorators/current-principal.decorator';
import type { Principal } from '../auth/principal';
import { PageQuery } from '../common/page.query';
import type { AuditEvent } from './audit-event.entity';
import { AuditService } from './audit.service';
import { securityEventSummary } from './security-event-summaries';
import { SecurityEventPageView } from './dto/security-event-page.view';
import type { SecurityEventBy, SecurityEventView } from './dto/security-event.view';

/** The caller's own security events: sign-ins, sessions, tokens, authorizations, admin changes to their account. */
@ApiTags('account')
@Controller('account')
export class AccountSecurityController {
  constructor(private readonly audit: AuditService) {}

  @Authenticated()
  @Get('security-events')
  @ApiOkResponse({ type: SecurityEventPageView })
  events(@CurrentPrincipal() p: Principal, @Query() q: PageQuery): Promise<SecurityEventPageView> {
    return this.pageFor(p, q);
  }

  @Authenticated({ schemes: ['cookie'], page: true })
  @ApiExcludeEndpoint()
  @Get('security')
  @Header('cache-control', 'no-store')
  @Render('account-security.hbs')
  async page(@CurrentPrincipal() p: Principal, @Query() q: PageQuery) {
    const page = await this.pageFor(p, q);
    return {
      // The signed-in user and the sign-out form's CSRF token come from the page layout (web/).
      title: 'Security events',
      events: page.items.map((e) => ({ ...e, failed: e.outcome !== 'success' })),
      next: page.nextCursor ? `/account/security?cursor=${encodeURIComponent(page.nextCursor)}` : null,
    };
  }

  private async pageFor(p: Principal, q: PageQuery): Promise<SecurityEventPageView> {
    // A client acting as itself has no user, hence no events of its own here.
    if (!p.user) return { items: [], nextCursor: null };
    const page = await this.audit.listSecurityEventsForUser(p.user.id, q.limit ?? 50, q.cursor);
    return { items: page.items.map((e) => toSecurityEventView(e, p.user!.id)), nextCursor: page.nextCursor };
  }
}

function toSecurityEventView(e: AuditEvent, userId: string): SecurityEventView {
  const by = byWhom(e, userId);
  return {
    id: e.id,
    occurredAt: e.occurredAt.toISOString(),
    action: e.action,
    outcome: e.outcome,
    by,
    summary: summaryOf(e),
    // Another person's credential, address and browser are theirs, not the user's to see.
    credentialKind: by === 'you' ? e.credentialKind : null,
    // Where a sign-in to the account came from is the holder's to see, failed or not.
    ip: by === 'you' || by === 'someone signing in' ? e.ip : null,
    userAgent: by === 'you' || by === 'someone signing in' ? e.userAgent : null,
  };
}

/**
 * Who did it, as the account holder should read it. A failed or refused sign-in names the
 * account, not who typed the password: it may not have been the holder, so it is not "you".
 */
function byWhom(e: AuditEvent, userId: string): SecurityEventBy {
  if (e.action.startsWith('auth.login') && e.outcome !== 'success') return 'someone signing in';
  if (e.actorType === 'operator') return 'an operator';
  if (e.actorId === userId) return 'you';
  if (e.action.startsWith('admin.') || e.action.startsWith('impersonation.')) return 'an administrator';
  return 'someone else';
}

/** A sentence for the account holder; the action code stays beside it for support. */
function summaryOf(e: AuditEvent): string | null {
  if (e.action === 'impersonation.start' && e.details) {
    const details = JSON.parse(e.details) as { actorName?: string };
    return `An administrator (${details.actorName ?? 'unknown'}) acted on your account`;
  }
  return securityEventSummary(e.action, e.outcome);
}

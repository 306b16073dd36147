import { Injectable } from '@nestjs/common';
import type { Principal } from '../auth/principal';
import { AuditService } from '../audit/audit.service';
import type { RequestMeta } from '../common/request-meta';
import { SessionsService } from './sessions.service';

/** What a signed-in user does to their own sessions, audited; shared by the API and the pages. */
@Injectable()
export class AccountSessionsService {
  constructor(
    private readonly sessions: SessionsService,
    private readonly audit: AuditService,
  ) {}

  /** False when the session is not the caller's or already ended. */
  async endOwn(p: Principal, sessionId: string, meta: RequestMeta): Promise<boolean> {
    const ended = await this.sessions.revokeOwn(p.actor.id, sessionId);
    if (ended)
      await this.audit.recordFor(p, { action: 'session.revoke', outcome: 'success', target: { type: 'session', id: sessionId }, meta });
    return ended;
  }

  /** Ends every session of the caller but the current one; returns how many. */
  async endOthers(p: Principal, meta: RequestMeta): Promise<number> {
    const revoked = await this.sessions.revokeOthers(p.actor.id, p.credential.id);
    await this.audit.recordFor(p, {
      action: 'session.revoke_others',
      outcome: 'success',
      target: { type: 'user', id: p.actor.id },
      meta,
      details: { revoked },
    });
    return revoked;
  }
}

import { Injectable } from '@nestjs/common';
import { CredentialSummary, UserCredentialSource } from '../users/user-credential-source';
import { SessionsService } from './sessions.service';
import { SESSION_CREDENTIAL } from './session.token-kind';

/** A user's live browser sessions on the admin credentials page; registered by the sessions module. */
@Injectable()
export class SessionCredentialSource implements UserCredentialSource {
  readonly kind = SESSION_CREDENTIAL;
  readonly labels = { [SESSION_CREDENTIAL]: 'Browser sessions' };

  constructor(private readonly sessions: SessionsService) {}

  async listLiveForUser(userId: string): Promise<CredentialSummary[]> {
    const rows = await this.sessions.listActiveForUser(userId);
    return rows.map((s) => ({
      kind: this.kind,
      id: s.id,
      label: [s.userAgent ?? 'Unknown browser', s.ip].filter(Boolean).join(' · '),
      createdAt: s.createdAt.toISOString(),
      lastUsedAt: s.lastSeenAt.toISOString(),
      expiresAt: s.expiresAt.toISOString(),
    }));
  }

  revokeOne(userId: string, sessionId: string): Promise<boolean> {
    return this.sessions.revokeOwn(userId, sessionId);
  }

  revokeAllForUser(userId: string): Promise<number> {
    return this.sessions.revokeAllForUser(userId);
  }

  async countLive(): Promise<Record<string, number>> {
    return { [this.kind]: await this.sessions.countLive() };
  }
}

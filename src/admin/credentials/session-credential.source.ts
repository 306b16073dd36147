import { Injectable } from '@nestjs/common';
import { SessionsService } from '../../sessions/sessions.service';
import { CredentialSummary, UserCredentialSource } from '../../users/user-credential-source';

@Injectable()
export class SessionCredentialSource implements UserCredentialSource {
  readonly kind = 'session';

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
    return { session: await this.sessions.countLive() };
  }
}

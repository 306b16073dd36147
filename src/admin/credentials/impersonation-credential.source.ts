import { Injectable } from '@nestjs/common';
import { ImpersonationTokensService } from '../../impersonation/impersonation-tokens.service';
import { CredentialSummary, UserCredentialSource } from '../../users/user-credential-source';

/** Live impersonation tokens acting as the user (ended with the user's other credentials). */
@Injectable()
export class ImpersonationCredentialSource implements UserCredentialSource {
  readonly kind = 'impersonation';

  constructor(private readonly tokens: ImpersonationTokensService) {}

  async listLiveForUser(userId: string): Promise<CredentialSummary[]> {
    return (await this.tokens.listLiveForSubject(userId)).map((t) => ({
      kind: this.kind,
      id: t.id,
      label: `impersonation by ${t.actorUserId}${t.reason ? ` · ${t.reason}` : ''} · ${t.scopes.join(' ')}`,
      createdAt: t.createdAt.toISOString(),
      lastUsedAt: null,
      expiresAt: t.expiresAt.toISOString(),
    }));
  }

  revokeOne(userId: string, tokenId: string): Promise<boolean> {
    return this.tokens.revoke(tokenId, userId);
  }

  revokeAllForUser(userId: string): Promise<number> {
    return this.tokens.revokeAllForSubject(userId);
  }

  async countLive(): Promise<Record<string, number>> {
    return { impersonation: await this.tokens.countLive() };
  }
}

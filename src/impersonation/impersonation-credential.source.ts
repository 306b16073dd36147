import { Injectable } from '@nestjs/common';
import { CredentialSummary, UserCredentialSource } from '../users/user-credential-source';
import { ImpersonationTokensService } from './impersonation-tokens.service';
import { IMPERSONATION_CREDENTIAL } from './impersonation.token-kind';

/** Live impersonation tokens acting as the user (ended with the user's other credentials). */
@Injectable()
export class ImpersonationCredentialSource implements UserCredentialSource {
  readonly kind = IMPERSONATION_CREDENTIAL;
  readonly labels = { [IMPERSONATION_CREDENTIAL]: 'Impersonation tokens' };

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
    return { [this.kind]: await this.tokens.countLive() };
  }
}

import { Injectable } from '@nestjs/common';
import { PersonalTokensService } from '../../personal-tokens/personal-tokens.service';
import { CredentialSummary, UserCredentialSource } from './user-credential-source';

@Injectable()
export class PersonalTokenCredentialSource implements UserCredentialSource {
  readonly kind = 'personal_access_token';

  constructor(private readonly tokens: PersonalTokensService) {}

  async listLiveForUser(userId: string): Promise<CredentialSummary[]> {
    const now = Date.now();
    const rows = await this.tokens.listForOwner(userId);
    return rows
      .filter((t) => t.expiresAt === null || t.expiresAt.getTime() > now)
      .map((t) => ({
        kind: this.kind,
        id: t.id,
        label: `${t.name} (${t.hint}) · ${t.scopes.join(' ')}`,
        createdAt: t.createdAt.toISOString(),
        lastUsedAt: t.lastUsedAt?.toISOString() ?? null,
        expiresAt: t.expiresAt?.toISOString() ?? null,
      }));
  }

  revokeOne(userId: string, tokenId: string): Promise<boolean> {
    return this.tokens.revokeOneOf(userId, tokenId);
  }

  revokeAllForUser(userId: string): Promise<number> {
    return this.tokens.revokeAllForUser(userId);
  }

  async countLive(): Promise<Record<string, number>> {
    return { personal_access_token: await this.tokens.countLive() };
  }
}

import { Injectable } from '@nestjs/common';
import { CredentialSummary, UserCredentialSource } from '../users/user-credential-source';
import { PersonalTokensService } from './personal-tokens.service';
import { liveMintedTokens } from './minted-token-summaries';

/** A user's live PATs on the admin credentials page; registered by the personal-tokens module. */
@Injectable()
export class PersonalTokenCredentialSource implements UserCredentialSource {
  readonly kind = 'personal_access_token';
  readonly labels = { personal_access_token: 'API keys' };

  constructor(private readonly tokens: PersonalTokensService) {}

  async listLiveForUser(userId: string): Promise<CredentialSummary[]> {
    return liveMintedTokens(this.kind, await this.tokens.listForOwner(userId));
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

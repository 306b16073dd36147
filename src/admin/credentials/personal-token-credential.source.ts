import { Injectable } from '@nestjs/common';
import { PersonalTokensService } from '../../personal-tokens/personal-tokens.service';
import { CredentialSummary, UserCredentialSource } from '../../users/user-credential-source';
import { liveMintedTokens } from './minted-token-summaries';

@Injectable()
export class PersonalTokenCredentialSource implements UserCredentialSource {
  readonly kind = 'personal_access_token';

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

import { Injectable } from '@nestjs/common';
import { liveMintedTokens } from '../personal-tokens/minted-token-summaries';
import { CredentialSummary, UserCredentialSource } from '../users/user-credential-source';
import { BotTokensService } from './bot-tokens.service';
import { BOT_TOKEN_CREDENTIAL } from './bot-token.token-kind';

/** A bot user's tokens, on the admin user page of the bot (people have none: the list is empty). */
@Injectable()
export class BotTokenCredentialSource implements UserCredentialSource {
  readonly kind = BOT_TOKEN_CREDENTIAL;
  readonly labels = { [BOT_TOKEN_CREDENTIAL]: 'Bot tokens' };

  constructor(private readonly tokens: BotTokensService) {}

  async listLiveForUser(userId: string): Promise<CredentialSummary[]> {
    return liveMintedTokens(this.kind, await this.tokens.listForBot(userId));
  }

  revokeOne(userId: string, tokenId: string): Promise<boolean> {
    return this.tokens.revoke(userId, tokenId);
  }

  revokeAllForUser(userId: string): Promise<number> {
    return this.tokens.revokeAllForBot(userId);
  }

  async countLive(): Promise<Record<string, number>> {
    return { [this.kind]: await this.tokens.countLive() };
  }
}

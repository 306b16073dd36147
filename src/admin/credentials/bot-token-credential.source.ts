import { Injectable } from '@nestjs/common';
import { BotTokensService } from '../../bots/bot-tokens.service';
import { CredentialSummary, UserCredentialSource } from '../../users/user-credential-source';
import { liveMintedTokens } from './minted-token-summaries';

/** A bot user's tokens, on the admin user page of the bot (people have none: the list is empty). */
@Injectable()
export class BotTokenCredentialSource implements UserCredentialSource {
  readonly kind = 'bot_token';

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
    return { bot_token: await this.tokens.countLive() };
  }
}

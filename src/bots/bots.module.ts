import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ScopeRegistry } from '../auth/scope-registry';
import { TokenManagementModule } from '../token-management/token-management.module';
import { SessionsModule } from '../sessions/sessions.module';
import { UsersModule } from '../users/users.module';
import { NavigationRegistry } from '../web/navigation.registry';
import { AccountBotsPagesController } from './account-bots-pages.controller';
import { AccountBotsController } from './account-bots.controller';
import { AdminBotsController } from './admin-bots.controller';
import { BotManager } from './bot-manager.entity';
import { BotToken } from './bot-token.entity';
import { BotTokenStrategy } from './bot-token.strategy';
import { BotTokenType } from './bot-token.type';
import { BotTokensService } from './bot-tokens.service';
import { Bot } from './bot.entity';
import { BotsPage } from './bots.page';
import { BOT_SCOPES } from './bots.scopes';
import { BotsService } from './bots.service';
import { UserCredentialRegistry } from '../users/user-credential-source';
import { BotTokenCredentialSource } from './bot-token-credential.source';
import { BotTokensPurge } from './bot-tokens.purge';

/**
 * Bot users and their (impersonated) access tokens: the `manage:bots` permission, the
 * `bot-bearer` strategy (`ghbot_`), the bot token's entry in OAuthTokenTypeRegistry
 * (introspection) and UserCredentialRegistry (admin credentials page), the Account → Bots
 * pages and API, and the admin list. A bot's user row is
 * written only through UsersService.
 */
@Module({
  imports: [TypeOrmModule.forFeature([Bot, BotManager, BotToken]), UsersModule, SessionsModule, TokenManagementModule],
  controllers: [AccountBotsController, AccountBotsPagesController, AdminBotsController],
  providers: [BotTokensPurge, BotTokenCredentialSource, BotsService, BotTokensService, BotTokenStrategy, BotTokenType, BotsPage],
  exports: [BotsService, BotTokensService],
})
export class BotsModule {
  constructor(scopes: ScopeRegistry, nav: NavigationRegistry, credentials: UserCredentialRegistry, source: BotTokenCredentialSource) {
    scopes.register(BOT_SCOPES);
    credentials.register(source);
    nav.add({ section: 'main', href: '/account/bots', label: 'Bots', order: 35 });
    // The admin page itself is served by the admin module (AdminBotsPagesController).
    nav.add({ section: 'admin', href: '/admin/ui/bots', label: 'Bots', order: 33 });
  }
}

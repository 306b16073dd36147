import { PersonalTokensPurge } from './personal-tokens.purge';
import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { TokenManagementModule } from '../token-management/token-management.module';
import { SessionsModule } from '../sessions/sessions.module';
import { PersonalToken } from './personal-token.entity';
import { PersonalTokenStrategy } from './personal-token.strategy';
import { PersonalTokenType } from './personal-token.type';
import { PersonalTokensPageController } from './personal-tokens-page.controller';
import { PersonalTokensController } from './personal-tokens.controller';
import { PersonalTokensPage } from './personal-tokens.page';
import { PersonalTokensService } from './personal-tokens.service';
import { UsersModule } from '../users/users.module';
import { UserCredentialRegistry } from '../users/user-credential-source';
import { PersonalTokenCredentialSource } from './personal-token-credential.source';

/**
 * Personal access tokens: management (cookie session only), the API keys page, the PAT Bearer
 * strategy (`ghpat_`), the PAT's entry in the token-management module's OAuthTokenTypeRegistry
 * (introspection), and its UserCredentialRegistry source (admin credentials page).
 * The dependency runs one way: personal-tokens imports token-management, never the reverse.
 */
@Module({
  imports: [TypeOrmModule.forFeature([PersonalToken]), UsersModule, SessionsModule, TokenManagementModule],
  controllers: [PersonalTokensController, PersonalTokensPageController],
  providers: [
    PersonalTokenCredentialSource,
    PersonalTokensPurge,
    PersonalTokensService,
    PersonalTokenStrategy,
    PersonalTokenType,
    PersonalTokensPage,
  ],
  exports: [PersonalTokensService],
})
export class PersonalTokensModule {
  constructor(credentials: UserCredentialRegistry, source: PersonalTokenCredentialSource) {
    credentials.register(source);
  }
}

import { PersonalTokensPurge } from './personal-tokens.purge';
import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { GrantsModule } from '../grants/grants.module';
import { SessionsModule } from '../sessions/sessions.module';
import { PersonalToken } from './personal-token.entity';
import { PersonalTokenStrategy } from './personal-token.strategy';
import { PersonalTokenType } from './personal-token.type';
import { PersonalTokensPageController } from './personal-tokens-page.controller';
import { PersonalTokensController } from './personal-tokens.controller';
import { PersonalTokensPage } from './personal-tokens.page';
import { PersonalTokensService } from './personal-tokens.service';

/**
 * Personal access tokens: management (cookie session only), the API keys page, the PAT Bearer
 * strategy, and the PAT's entry in the grants module's OAuthTokenTypeRegistry (introspection).
 * The dependency runs one way: personal-tokens imports grants, never the reverse.
 */
@Module({
  imports: [TypeOrmModule.forFeature([PersonalToken]), SessionsModule, GrantsModule],
  controllers: [PersonalTokensController, PersonalTokensPageController],
  providers: [PersonalTokensPurge, PersonalTokensService, PersonalTokenStrategy, PersonalTokenType, PersonalTokensPage],
  exports: [PersonalTokensService],
})
export class PersonalTokensModule {}

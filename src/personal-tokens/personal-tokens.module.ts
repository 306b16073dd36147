import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { SessionsModule } from '../sessions/sessions.module';
import { PersonalToken } from './personal-token.entity';
import { PersonalTokenStrategy } from './personal-token.strategy';
import { PersonalTokensPageController } from './personal-tokens-page.controller';
import { PersonalTokensController } from './personal-tokens.controller';
import { PersonalTokensPage } from './personal-tokens.page';
import { PersonalTokensService } from './personal-tokens.service';

/** Personal access tokens: management (cookie session only), the API keys page, and the PAT Bearer strategy. */
@Module({
  imports: [TypeOrmModule.forFeature([PersonalToken]), SessionsModule],
  controllers: [PersonalTokensController, PersonalTokensPageController],
  providers: [PersonalTokensService, PersonalTokenStrategy, PersonalTokensPage],
  exports: [PersonalTokensService],
})
export class PersonalTokensModule {}

import { CodeFlowPurge } from './code-flow.purge';
import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ClientsModule } from '../clients/clients.module';
import { SessionsModule } from '../sessions/sessions.module';
import { UsersModule } from '../users/users.module';
import { AccountAuthorizationsController } from './account-authorizations.controller';
import { AccountAuthorizationsService } from './account-authorizations.service';
import { AuthorizationCode } from './authorization-code.entity';
import { AuthorizationCodeGrantHandler } from './authorization-code.grant-handler';
import { AuthorizationCodesService } from './authorization-codes.service';
import { AuthorizationErrorFilter } from './authorization-error.filter';
import { AuthorizationRequestValidator } from './authorization-request.validator';
import { AuthorizationsService } from './authorizations.service';
import { AuthorizeController } from './authorize.controller';
import { AuthorizeSignInHint } from './authorize-sign-in.hint';
import { CodeFlowTokensService } from './code-flow-tokens.service';
import { CodeFlowExtensionRegistry } from './code-flow-extension.registry';
import { ConsentController } from './consent.controller';
import { Consent } from './consent.entity';
import { ConsentsService } from './consents.service';
import { Grant } from './grant.entity';
import { GrantsModule } from './grants.module';
import { GrantsService } from './grants.service';
import { RefreshToken } from './refresh-token.entity';
import { RefreshTokenGrantHandler } from './refresh-token.grant-handler';
import { RefreshTokenType } from './refresh-token.type';
import { RefreshSuccessorsService } from './refresh-successors.service';
import { RefreshTokensService } from './refresh-tokens.service';
import { TokenKindRegistry } from '../auth/token-kind.registry';
import { UserCredentialRegistry } from '../users/user-credential-source';
import { OAuthGrantCredentialSource } from './oauth-grant-credential.source';
import { AUTHORIZATION_CODE } from './oauth.token-kinds';

/**
 * The authorization code flow (part of the grants feature): the authorization endpoint and
 * consent page, codes, consents, refresh-token families, the authorization_code and
 * refresh_token grant handlers (registered in the token endpoint's GrantHandlerRegistry), and
 * the user's authorized-apps page.
 */
@Module({
  imports: [
    TypeOrmModule.forFeature([AuthorizationCode, Consent, Grant, RefreshToken]),
    GrantsModule,
    ClientsModule,
    UsersModule,
    SessionsModule,
  ],
  controllers: [AuthorizeController, ConsentController, AccountAuthorizationsController],
  providers: [
    OAuthGrantCredentialSource,
    CodeFlowPurge,
    AuthorizationRequestValidator,
    AuthorizationsService,
    AuthorizationErrorFilter,
    AuthorizationCodesService,
    ConsentsService,
    GrantsService,
    RefreshTokensService,
    RefreshSuccessorsService,
    CodeFlowTokensService,
    CodeFlowExtensionRegistry,
    AuthorizationCodeGrantHandler,
    RefreshTokenGrantHandler,
    RefreshTokenType,
    AccountAuthorizationsService,
    AuthorizeSignInHint,
  ],
  // The device authorization grant issues into the same families, with the same consents.
  exports: [GrantsService, CodeFlowTokensService, ConsentsService, CodeFlowExtensionRegistry, AuthorizationRequestValidator],
})
export class CodeFlowModule {
  constructor(tokenKinds: TokenKindRegistry, credentials: UserCredentialRegistry, source: OAuthGrantCredentialSource) {
    // Refresh tokens register with their token type (RefreshTokenType); codes are never presented elsewhere.
    tokenKinds.register(AUTHORIZATION_CODE);
    credentials.register(source);
  }
}

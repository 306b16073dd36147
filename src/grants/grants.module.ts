import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AccessTokensModule } from '../access-tokens/access-tokens.module';
import { TokenKindRegistry } from '../auth/token-kind.registry';
import { ClientsModule } from '../clients/clients.module';
import { SessionsModule } from '../sessions/sessions.module';
import { TokenEndpointModule } from '../token-endpoint/token-endpoint.module';
import { TokenManagementModule } from '../token-management/token-management.module';
import { UserCredentialRegistry } from '../users/user-credential-source';
import { UsersModule } from '../users/users.module';
import { AccountAuthorizationsController } from './account-authorizations.controller';
import { AccountAuthorizationsService } from './account-authorizations.service';
import { AuthorizationCode } from './authorization-code.entity';
import { AuthorizationCodeGrantHandler } from './authorization-code.grant-handler';
import { AuthorizationCodesService } from './authorization-codes.service';
import { CodeFlowPurge } from './code-flow.purge';
import { CodeFlowTokensService } from './code-flow-tokens.service';
import { CodeFlowExtensionRegistry } from './code-flow-extension.registry';
import { Consent } from './consent.entity';
import { ConsentsService } from './consents.service';
import { Grant } from './grant.entity';
import { AUTHORIZATION_CODE } from './grant.token-kinds';
import { GrantsService } from './grants.service';
import { OAuthGrantCredentialSource } from './oauth-grant-credential.source';
import { RefreshSuccessorsService } from './refresh-successors.service';
import { RefreshToken } from './refresh-token.entity';
import { RefreshTokenGrantHandler } from './refresh-token.grant-handler';
import { RefreshTokenType } from './refresh-token.type';
import { RefreshTokensService } from './refresh-tokens.service';

/**
 * What a user has granted a client (RFC 6749 §1.3): consents, authorization codes and
 * refresh-token families (grants) with graceful rotation; the authorization_code and
 * refresh_token grant handlers (registered in the token endpoint's GrantHandlerRegistry); the
 * account's authorized-apps page (`/account/authorizations`), which shows and revokes them; the
 * OAuth grants' UserCredentialSource. The authorization endpoint (authorization/) records
 * consents and issues codes through the exported services; the device flow issues into the
 * same families with the same consents.
 */
@Module({
  imports: [
    TypeOrmModule.forFeature([AuthorizationCode, Consent, Grant, RefreshToken]),
    AccessTokensModule,
    TokenEndpointModule,
    TokenManagementModule,
    ClientsModule,
    UsersModule,
    SessionsModule,
  ],
  controllers: [AccountAuthorizationsController],
  providers: [
    OAuthGrantCredentialSource,
    CodeFlowPurge,
    AuthorizationCodesService,
    ConsentsService,
    GrantsService,
    RefreshTokensService,
    RefreshSuccessorsService,
    CodeFlowTokensService,
    AuthorizationCodeGrantHandler,
    RefreshTokenGrantHandler,
    RefreshTokenType,
    AccountAuthorizationsService,
    CodeFlowExtensionRegistry,
  ],
  exports: [GrantsService, CodeFlowTokensService, ConsentsService, AuthorizationCodesService, CodeFlowExtensionRegistry],
})
export class GrantsModule {
  constructor(tokenKinds: TokenKindRegistry, credentials: UserCredentialRegistry, source: OAuthGrantCredentialSource) {
    // Refresh tokens register with their token type (RefreshTokenType); codes are never presented elsewhere.
    tokenKinds.register(AUTHORIZATION_CODE);
    credentials.register(source);
  }
}

import { Module } from '@nestjs/common';
import { ClientsModule } from '../clients/clients.module';
import { DiscoveryMetadataRegistry } from '../discovery/discovery-metadata.registry';
import { DiscoveryModule } from '../discovery/discovery.module';
import { GrantsModule } from '../grants/grants.module';
import { SessionsModule } from '../sessions/sessions.module';
import { SignInModule } from '../sign-in/sign-in.module';
import { AuthorizationErrorFilter } from './authorization-error.filter';
import { AuthorizationRequestValidator } from './authorization-request.validator';
import { AuthorizationsService } from './authorizations.service';
import { AuthorizeController } from './authorize.controller';
import { AuthorizeSignInHint } from './authorize-sign-in.hint';
import { ConsentController } from './consent.controller';

/**
 * The authorization endpoint (RFC 6749 §3.1, `GET /oauth/authorize`) and the consent page:
 * request validation (redirect URI, scopes, PKCE, RFC 9207 `iss`), the authorization response
 * and its errors. Consents and codes are stored by the grants module's services.
 */
@Module({
  imports: [GrantsModule, ClientsModule, SessionsModule, SignInModule, DiscoveryModule],
  controllers: [AuthorizeController, ConsentController],
  providers: [AuthorizationRequestValidator, AuthorizationsService, AuthorizationErrorFilter, AuthorizeSignInHint],
})
export class AuthorizationModule {
  constructor(metadata: DiscoveryMetadataRegistry) {
    metadata.contribute(({ issuer }) => ({
      authorization_endpoint: `${issuer}/oauth/authorize`,
      response_types_supported: ['code'],
      // RFC 8414 §2: omitted, it would mean ["query", "fragment"]; the code comes back in the query only.
      response_modes_supported: ['query'],
      code_challenge_methods_supported: ['S256'],
      authorization_response_iss_parameter_supported: true,
    }));
  }
}

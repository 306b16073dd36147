import { Module } from '@nestjs/common';
import { ClientsModule } from '../clients/clients.module';
import { DiscoveryMetadataRegistry } from '../discovery/discovery-metadata.registry';
import { DiscoveryModule } from '../discovery/discovery.module';
import { CLIENT_AUTH_METHODS } from '../oauth/oauth-client-credentials';
import { OAuthModule } from '../oauth/oauth.module';
import { IntrospectionController } from './introspection.controller';
import { OAuthTokenTypeRegistry } from './oauth-token-type.registry';
import { RevocationController } from './revocation.controller';
import { TokenIntrospector } from './token-introspector.service';

/**
 * Token management for clients: RFC 7009 revocation and RFC 7662 introspection. Each kind of
 * token plugs its lookup into the OAuthTokenTypeRegistry (exported), from the module that owns it
 * (access tokens, refresh tokens, personal access tokens, bot and impersonation tokens).
 */
@Module({
  imports: [ClientsModule, OAuthModule, DiscoveryModule],
  controllers: [RevocationController, IntrospectionController],
  providers: [OAuthTokenTypeRegistry, TokenIntrospector],
  exports: [OAuthTokenTypeRegistry],
})
export class TokenManagementModule {
  constructor(metadata: DiscoveryMetadataRegistry) {
    metadata.contribute(({ issuer }) => ({
      revocation_endpoint: `${issuer}/oauth/revoke`,
      introspection_endpoint: `${issuer}/oauth/introspect`,
      // Public clients may revoke their own tokens (RFC 7009 §2.1); introspection needs a secret (RFC 7662 §2.1).
      revocation_endpoint_auth_methods_supported: [...CLIENT_AUTH_METHODS, 'none'],
      introspection_endpoint_auth_methods_supported: [...CLIENT_AUTH_METHODS],
    }));
  }
}

import { Module } from '@nestjs/common';
import { AccessTokensModule } from '../access-tokens/access-tokens.module';
import { ClientsModule } from '../clients/clients.module';
import { DiscoveryMetadataRegistry } from '../discovery/discovery-metadata.registry';
import { DiscoveryModule } from '../discovery/discovery.module';
import { CLIENT_AUTH_METHODS } from '../oauth/oauth-client-credentials';
import { OAuthModule } from '../oauth/oauth.module';
import { ClientCredentialsGrant } from './client-credentials.grant';
import { GrantHandlerRegistry } from './grant-handler.registry';
import { ResourceIndicatorsService } from './resource-indicators.service';
import { TokenController } from './token.controller';

/**
 * The token endpoint (`POST /oauth/token`, RFC 6749 §3.2) and its GrantHandlerRegistry
 * (exported): a module adds a grant type by providing a GrantHandler that registers itself
 * (authorization_code and refresh_token: grants; device_code: device-authorization;
 * token-exchange: impersonation). The client_credentials grant is built in.
 */
@Module({
  imports: [AccessTokensModule, ClientsModule, OAuthModule, DiscoveryModule],
  controllers: [TokenController],
  providers: [GrantHandlerRegistry, ClientCredentialsGrant, ResourceIndicatorsService],
  exports: [GrantHandlerRegistry],
})
export class TokenEndpointModule {
  constructor(metadata: DiscoveryMetadataRegistry, grants: GrantHandlerRegistry) {
    metadata.contribute(({ issuer }) => ({
      token_endpoint: `${issuer}/oauth/token`,
      grant_types_supported: grants.grantTypes(),
      // `none`: public clients identify themselves with client_id alone.
      token_endpoint_auth_methods_supported: [...CLIENT_AUTH_METHODS, 'none'],
    }));
  }
}

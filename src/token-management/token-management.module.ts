import { Module } from '@nestjs/common';
import { ClientsModule } from '../clients/clients.module';
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
  imports: [ClientsModule, OAuthModule],
  controllers: [RevocationController, IntrospectionController],
  providers: [OAuthTokenTypeRegistry, TokenIntrospector],
  exports: [OAuthTokenTypeRegistry],
})
export class TokenManagementModule {}

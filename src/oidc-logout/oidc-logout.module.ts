import { Module } from '@nestjs/common';
import { ClientsModule } from '../clients/clients.module';
import { OidcModule } from '../oidc/oidc.module';
import { SessionsModule } from '../sessions/sessions.module';
import { SigningKeysModule } from '../signing-keys/signing-keys.module';
import { BackchannelLogoutService } from './backchannel-logout.service';
import { EndSessionController } from './end-session.controller';
import { EndSessionService } from './end-session.service';

/**
 * Ending an OpenID Connect sign-in (docs/oidc.md): RP-Initiated Logout 1.0 at `/oauth/logout`
 * (the id_token_hint checked with the oidc module's IdTokensService, the confirmation page, the
 * registered post-logout redirect), and Back-Channel Logout 1.0 (a logout token POSTed through
 * the outbox to each client that got an id_token in a session that ended). The discovery fields
 * for both are advertised by the oidc module with the rest of the OpenID metadata.
 */
@Module({
  imports: [OidcModule, ClientsModule, SessionsModule, SigningKeysModule],
  controllers: [EndSessionController],
  providers: [EndSessionService, BackchannelLogoutService],
})
export class OidcLogoutModule {}

import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ClientsModule } from '../clients/clients.module';
import { DiscoveryMetadataRegistry } from '../discovery/discovery-metadata.registry';
import { DiscoveryModule } from '../discovery/discovery.module';
import { GrantsModule } from '../grants/grants.module';
import { OAuthModule } from '../oauth/oauth.module';
import { TokenEndpointModule } from '../token-endpoint/token-endpoint.module';
import { TokenEndpointThrottleGuard } from '../oauth/token-endpoint-throttle.guard';
import { SessionsModule } from '../sessions/sessions.module';
import { NavigationRegistry } from '../web/navigation.registry';
import { DeviceAuthorizationRequestsService } from './device-authorization-requests.service';
import { DeviceAuthorization } from './device-authorization.entity';
import { DeviceAuthorizationController } from './device-authorization.controller';
import { DeviceAuthorizationsPurge } from './device-authorizations.purge';
import { DeviceAuthorizationsService } from './device-authorizations.service';
import { DeviceCodeGrantHandler } from './device-code.grant-handler';
import { DeviceVerificationController } from './device-verification.controller';
import { DeviceVerificationService } from './device-verification.service';
import { UserCodeAttemptLimiter } from './user-code-attempt-limiter';
import { TokenKindRegistry } from '../auth/token-kind.registry';
import { DEVICE_CODE } from './device-code.token-kind';

/**
 * The device authorization grant (RFC 8628): the device authorization endpoint, the
 * verification page (`/device`) and its consent, and the device_code grant handler, which
 * registers itself in the token endpoint's GrantHandlerRegistry. Tokens, refresh families and
 * consents are the grants module's (GrantsModule); this module owns only device_authorizations (and their purge).
 */
@Module({
  imports: [
    TypeOrmModule.forFeature([DeviceAuthorization]),
    TokenEndpointModule,
    GrantsModule,
    OAuthModule,
    ClientsModule,
    SessionsModule,
    DiscoveryModule,
  ],
  controllers: [DeviceAuthorizationController, DeviceVerificationController],
  providers: [
    DeviceAuthorizationsService,
    DeviceAuthorizationsPurge,
    DeviceAuthorizationRequestsService,
    DeviceCodeGrantHandler,
    DeviceVerificationService,
    UserCodeAttemptLimiter,
    TokenEndpointThrottleGuard,
  ],
})
export class DeviceAuthorizationModule {
  constructor(nav: NavigationRegistry, tokenKinds: TokenKindRegistry, metadata: DiscoveryMetadataRegistry) {
    // RFC 8628 §4.
    metadata.contribute(({ issuer }) => ({ device_authorization_endpoint: `${issuer}/oauth/device_authorization` }));
    tokenKinds.register(DEVICE_CODE);
    nav.add({ section: 'main', href: '/device', label: 'Connect a device', order: 55 });
  }
}

import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ExternalSignInRegistry } from '../sessions/external-sign-in.registry';
import { SessionsModule } from '../sessions/sessions.module';
import { UsersModule } from '../users/users.module';
import { NavigationRegistry } from '../web/navigation.registry';
import { AccountSsoPagesController } from './account-sso-pages.controller';
import { AdminSsoController } from './admin-sso.controller';
import { ExternalIdentitiesService } from './external-identities.service';
import { ExternalIdentity } from './external-identity.entity';
import { SsoConnection } from './sso-connection.entity';
import { SsoConnectionsService } from './sso-connections.service';
import { SsoExternalSignIn } from './sso-external-sign-in';
import { SsoLifecycleService } from './sso-lifecycle.service';
import { SsoSignInService } from './sso-sign-in.service';
import { SsoStateCookie } from './sso-state.cookie';
import { SsoController } from './sso.controller';
import { UpstreamOidcClient } from './upstream-oidc.client';

/**
 * Enterprise single sign-on through upstream OpenID Connect IdPs (docs/sso.md): connections,
 * the relying-party flow (openid-client), external identities, just-in-time accounts, the
 * sign-in page's buttons and home-realm discovery, and "require SSO" for domains.
 */
@Module({
  imports: [TypeOrmModule.forFeature([SsoConnection, ExternalIdentity]), UsersModule, SessionsModule],
  controllers: [SsoController, AdminSsoController, AccountSsoPagesController],
  providers: [
    SsoConnectionsService,
    ExternalIdentitiesService,
    UpstreamOidcClient,
    SsoSignInService,
    SsoStateCookie,
    SsoLifecycleService,
    SsoExternalSignIn,
  ],
  exports: [SsoLifecycleService, SsoConnectionsService, ExternalIdentitiesService],
})
export class SsoModule {
  constructor(registry: ExternalSignInRegistry, provider: SsoExternalSignIn, nav: NavigationRegistry) {
    registry.register(provider);
    // The pages are the admin module's (admin/admin-sso-pages.controller.ts), on this module's services.
    nav.add({ section: 'admin', href: '/admin/ui/sso', label: 'Single sign-on', order: 35 });
    nav.add({ section: 'main', href: '/account/sso', label: 'Single sign-on', order: 55 });
  }
}

import { Module } from '@nestjs/common';
import { ExternalSignInRegistry } from '../sign-in/external-sign-in.registry';
import { SessionsModule } from '../sessions/sessions.module';
import { SignInModule } from '../sign-in/sign-in.module';
import { SsoConnectionsModule } from '../sso-connections/sso-connections.module';
import { UsersModule } from '../users/users.module';
import { NavigationRegistry } from '../web/navigation.registry';
import { AccountSsoPagesController } from './account-sso-pages.controller';
import { SsoExternalSignIn } from './sso-external-sign-in';
import { SsoSignInService } from './sso-sign-in.service';
import { SsoStateCookie } from './sso-state.cookie';
import { SsoController } from './sso.controller';

/**
 * Enterprise single sign-on through upstream OpenID Connect IdPs (docs/sso.md): the sign-in flow
 * (start, sealed state cookie, callback), just-in-time accounts, linking on Account → Single
 * sign-on, the sign-in page's buttons and home-realm discovery, and "require SSO" for domains.
 * The connections, identities and the relying party are the `sso-connections` module's.
 */
@Module({
  imports: [SsoConnectionsModule, UsersModule, SessionsModule, SignInModule],
  controllers: [SsoController, AccountSsoPagesController],
  providers: [SsoSignInService, SsoStateCookie, SsoExternalSignIn],
})
export class SsoModule {
  constructor(registry: ExternalSignInRegistry, provider: SsoExternalSignIn, nav: NavigationRegistry) {
    registry.register(provider);
    nav.add({ section: 'main', href: '/account/sso', label: 'Single sign-on', order: 55 });
  }
}

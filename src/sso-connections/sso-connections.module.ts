import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { UsersModule } from '../users/users.module';
import { NavigationRegistry } from '../web/navigation.registry';
import { AdminSsoController } from './admin-sso.controller';
import { ExternalIdentitiesService } from './external-identities.service';
import { ExternalIdentity } from './external-identity.entity';
import { SsoConnection } from './sso-connection.entity';
import { SsoConnectionsService } from './sso-connections.service';
import { SsoLifecycleService } from './sso-lifecycle.service';
import { UpstreamOidcClient } from './upstream-oidc.client';

/**
 * The upstream OpenID Connect IdPs that enterprise sign-in goes through (docs/sso.md): the
 * connections (client secrets sealed), the external identities linked through them, the
 * openid-client relying party that reaches an IdP, and what admins do to them (`/admin/sso`,
 * the admin pages and the CLI through `SsoLifecycleService`). The sign-in flow itself is the
 * `sso` module's.
 */
@Module({
  imports: [TypeOrmModule.forFeature([SsoConnection, ExternalIdentity]), UsersModule],
  controllers: [AdminSsoController],
  providers: [SsoConnectionsService, ExternalIdentitiesService, UpstreamOidcClient, SsoLifecycleService],
  exports: [SsoLifecycleService, SsoConnectionsService, ExternalIdentitiesService, UpstreamOidcClient],
})
export class SsoConnectionsModule {
  constructor(nav: NavigationRegistry) {
    // The pages are admin-federation's (admin-federation/admin-sso-pages.controller.ts), on this module's services.
    nav.add({ section: 'admin', href: '/admin/ui/sso', label: 'Single sign-on', order: 35 });
  }
}

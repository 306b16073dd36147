import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ClientsModule } from '../clients/clients.module';
import { ScopeRegistry } from '../auth/scope-registry';
import { TokenEndpointModule } from '../token-endpoint/token-endpoint.module';
import { TokenManagementModule } from '../token-management/token-management.module';
import { UsersModule } from '../users/users.module';
import { NavigationRegistry } from '../web/navigation.registry';
import { AdminImpersonationService } from './admin-impersonation.service';
import { AdminImpersonationsController } from './admin-impersonations.controller';
import { ImpersonationToken } from './impersonation-token.entity';
import { ImpersonationTokenStrategy } from './impersonation-token.strategy';
import { ImpersonationTokenType } from './impersonation-token.type';
import { ImpersonationTokensService } from './impersonation-tokens.service';
import { IMPERSONATION_SCOPES } from './impersonation.scopes';
import { ImpersonationService } from './impersonation.service';
import { TokenExchangeGrant } from './token-exchange.grant';
import { UserCredentialRegistry } from '../users/user-credential-source';
import { ImpersonationCredentialSource } from './impersonation-credential.source';
import { ImpersonationTokensPurge } from './impersonation-tokens.purge';

/**
 * Support impersonation (RFC 8693): the token-exchange grant handler (GrantHandlerRegistry, hence
 * discovery), the `impersonation-bearer` strategy (`ghimp_`, principal with `act`), the token's
 * entry in OAuthTokenTypeRegistry (introspection with `act`, revocation by its client), the
 * `impersonate` permission, its UserCredentialRegistry source (admin credentials page), and the
 * admin API. The admin page lives in the admin module.
 */
@Module({
  imports: [TypeOrmModule.forFeature([ImpersonationToken]), ClientsModule, UsersModule, TokenEndpointModule, TokenManagementModule],
  controllers: [AdminImpersonationsController],
  providers: [
    ImpersonationTokensPurge,
    ImpersonationCredentialSource,
    ImpersonationService,
    ImpersonationTokensService,
    TokenExchangeGrant,
    ImpersonationTokenStrategy,
    ImpersonationTokenType,
    AdminImpersonationService,
  ],
  exports: [AdminImpersonationService, ImpersonationTokensService],
})
export class ImpersonationModule {
  constructor(scopes: ScopeRegistry, nav: NavigationRegistry, credentials: UserCredentialRegistry, source: ImpersonationCredentialSource) {
    scopes.register(IMPERSONATION_SCOPES);
    credentials.register(source);
    nav.add({ section: 'admin', href: '/admin/ui/impersonation', label: 'Impersonation', order: 36 });
  }
}

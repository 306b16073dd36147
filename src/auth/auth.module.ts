import { Global, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { PassportModule } from '@nestjs/passport';
import { AuthDenialListeners } from './auth-denial-listeners';
import { AuthStrategyRegistry } from './auth-strategy-registry';
import { AuthenticationGuard } from './authentication.guard';
import { CredentialCache } from './credential-cache';
import { CredentialCacheInvalidator } from './credential-cache.invalidator';
import { PrincipalFactory } from './principal.factory';
import { RouteInterceptorRegistry } from './route-interceptor.registry';
import { ScopeRegistry } from './scope-registry';
import { TokenKindRegistry } from './token-kind.registry';

/**
 * The auth core: Principal, the scope registry, the strategy and token-kind registries and the
 * global guard. Feature modules plug their Passport strategies, token kinds and scopes into it;
 * it imports none of them and names none of their credential kinds.
 */
@Global()
@Module({
  imports: [PassportModule.register({ session: false })],
  providers: [
    ScopeRegistry,
    AuthStrategyRegistry,
    TokenKindRegistry,
    AuthDenialListeners,
    PrincipalFactory,
    CredentialCache,
    CredentialCacheInvalidator,
    RouteInterceptorRegistry,
    { provide: APP_GUARD, useClass: AuthenticationGuard },
  ],
  exports: [
    ScopeRegistry,
    AuthStrategyRegistry,
    TokenKindRegistry,
    AuthDenialListeners,
    PrincipalFactory,
    CredentialCache,
    RouteInterceptorRegistry,
    PassportModule,
  ],
})
export class AuthModule {}

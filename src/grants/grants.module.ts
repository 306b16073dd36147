import { AccessTokensPurge } from './access-tokens.purge';
import { Inject, Module, OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import type { FastifyInstance } from 'fastify';
import { ClientsModule } from '../clients/clients.module';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { SigningKeysModule } from '../signing-keys/signing-keys.module';
import { AccessToken } from './access-token.entity';
import { AccessTokenPrincipals } from './access-token-principals.service';
import { AccessTokenService } from './access-token.service';
import { AccessTokenType } from './access-token.type';
import { ClientCredentialsGrant } from './client-credentials.grant';
import { DiscoveryController } from './discovery.controller';
import { GrantHandlerRegistry } from './grant-handler.registry';
import { IntrospectionController } from './introspection.controller';
import { TokenIntrospector } from './token-introspector.service';
import { JwtAccessBearerStrategy } from './jwt-access-bearer.strategy';
import { JwtAccessTokenType } from './jwt-access-token.type';
import { JwtAccessTokensService } from './jwt-access-tokens.service';
import { OAuthAccessBearerStrategy } from './oauth-access-bearer.strategy';
import { ResourceIndicatorsService } from './resource-indicators.service';
import { OAuthTokenTypeRegistry } from './oauth-token-type.registry';
import { acceptAnyMediaTypeOnOAuthEndpoints } from './oauth-media-types';
import { RevocationController } from './revocation.controller';
import { TokenEndpointThrottleGuard } from './token-endpoint-throttle.guard';
import { TokenController } from './token.controller';

/**
 * The token endpoint and its grant handlers, OAuth access tokens (opaque and JWT) and their Bearer strategies,
 * revocation, introspection and discovery. Grant handlers register themselves in the
 * GrantHandlerRegistry: add a provider here to add a grant type.
 */
@Module({
  imports: [TypeOrmModule.forFeature([AccessToken]), ClientsModule, SigningKeysModule],
  controllers: [TokenController, RevocationController, IntrospectionController, DiscoveryController],
  providers: [
    AccessTokensPurge,
    GrantHandlerRegistry,
    OAuthTokenTypeRegistry,
    AccessTokenService,
    AccessTokenType,
    ClientCredentialsGrant,
    OAuthAccessBearerStrategy,
    JwtAccessTokensService,
    AccessTokenPrincipals,
    JwtAccessBearerStrategy,
    JwtAccessTokenType,
    ResourceIndicatorsService,
    TokenIntrospector,
    TokenEndpointThrottleGuard,
    // Also a provider: the OpenID Connect discovery document extends its RFC 8414 metadata.
    DiscoveryController,
  ],
  exports: [AccessTokenService, GrantHandlerRegistry, OAuthTokenTypeRegistry, DiscoveryController],
})
export class GrantsModule implements OnModuleInit {
  constructor(
    private readonly adapterHost: HttpAdapterHost,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onModuleInit(): void {
    // No HTTP server in an application context (the CLI).
    if (!this.adapterHost.httpAdapter) return;
    const fastify = this.adapterHost.httpAdapter.getInstance<FastifyInstance>();
    acceptAnyMediaTypeOnOAuthEndpoints(fastify, this.config.bodyLimitBytes);
  }
}

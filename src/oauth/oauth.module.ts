import { Inject, Module, OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance } from 'fastify';
import { ClientsModule } from '../clients/clients.module';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { OAuthClientAuthentication } from './client-authenticated-endpoint';
import { acceptAnyMediaTypeOnOAuthEndpoints } from './oauth-media-types';
import { TokenEndpointThrottleGuard } from './token-endpoint-throttle.guard';

/**
 * What the client-authenticated OAuth endpoints (token, revocation, introspection, device
 * authorization) share: parameter parsing (OAuthParams), the one client-authentication step
 * (OAuthClientAuthentication) and the endpoint decorator (ClientAuthenticatedEndpoint), their rate limits (TokenEndpointThrottleGuard), their media types, the scope-list
 * column and the OpenAPI shapes of RFC 6749 §5.2 errors. No controllers, no tables.
 */
@Module({
  imports: [ClientsModule],
  providers: [TokenEndpointThrottleGuard, OAuthClientAuthentication],
  exports: [TokenEndpointThrottleGuard, OAuthClientAuthentication],
})
export class OAuthModule implements OnModuleInit {
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

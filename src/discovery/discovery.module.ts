import { Module } from '@nestjs/common';
import { ScopeRegistry } from '../auth/scope-registry';
import { DiscoveryController } from './discovery.controller';
import { DiscoveryMetadataRegistry } from './discovery-metadata.registry';

/**
 * RFC 8414 authorization server metadata (`/.well-known/oauth-authorization-server`), assembled
 * by the DiscoveryMetadataRegistry (exported) from what each module contributes: its endpoints
 * and the values it supports. This module imports no feature module; they import it.
 */
@Module({
  controllers: [DiscoveryController],
  providers: [DiscoveryMetadataRegistry],
  exports: [DiscoveryMetadataRegistry],
})
export class DiscoveryModule {
  constructor(metadata: DiscoveryMetadataRegistry, scopes: ScopeRegistry) {
    metadata.contribute(({ issuer }) => ({
      issuer,
      // RFC 8414 §2: REQUIRED; the authorization endpoint's module adds "code".
      response_types_supported: [],
      scopes_supported: scopes.list().map((s) => s.name),
      service_documentation: `${issuer}/docs`,
    }));
  }
}

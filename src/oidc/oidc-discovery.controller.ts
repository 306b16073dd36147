import { Controller, Get, Header } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Public } from '../auth/decorators/public.decorator';
import { DiscoveryMetadataRegistry } from '../discovery/discovery-metadata.registry';

/**
 * OpenID Provider metadata (OpenID Connect Discovery 1.0 §3, §4) at `/.well-known/openid-configuration`:
 * every module's RFC 8414 contributions plus the OpenID-only ones (OidcModule), from the DiscoveryMetadataRegistry.
 */
@ApiTags('oidc')
@Controller('.well-known')
export class OidcDiscoveryController {
  constructor(private readonly registry: DiscoveryMetadataRegistry) {}

  @Public()
  @Get('openid-configuration')
  @Header('cache-control', 'public, max-age=300')
  @ApiOperation({ summary: 'OpenID Provider metadata (OpenID Connect Discovery 1.0 §4)' })
  @ApiOkResponse({ description: 'Discovery 1.0 §3 metadata' })
  metadata(): Record<string, unknown> {
    return this.registry.document('openid-configuration');
  }
}

import { Controller, Get, Header } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Public } from '../auth/decorators/public.decorator';
import { DiscoveryMetadataRegistry } from './discovery-metadata.registry';

/** RFC 8414 authorization server metadata, built from what the modules registered (DiscoveryMetadataRegistry). */
@ApiTags('oauth')
@Controller('.well-known')
export class DiscoveryController {
  constructor(private readonly registry: DiscoveryMetadataRegistry) {}

  @Public()
  @Get('oauth-authorization-server')
  @Header('cache-control', 'public, max-age=300')
  @ApiOperation({ summary: 'Authorization server metadata (RFC 8414 §3)' })
  @ApiOkResponse({ description: 'RFC 8414 §2 metadata' })
  metadata(): Record<string, unknown> {
    return this.registry.document('oauth-authorization-server');
  }
}

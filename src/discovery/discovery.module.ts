import { Module } from '@nestjs/common';
import { TokenEndpointModule } from '../token-endpoint/token-endpoint.module';
import { DiscoveryController } from './discovery.controller';

/** RFC 8414 authorization server metadata (`/.well-known/oauth-authorization-server`). */
@Module({
  imports: [TokenEndpointModule],
  controllers: [DiscoveryController],
})
export class DiscoveryModule {}

import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DiscoveryMetadataRegistry } from '../discovery/discovery-metadata.registry';
import { DiscoveryModule } from '../discovery/discovery.module';
import { JwksController } from './jwks.controller';
import { SigningKey } from './signing-key.entity';
import { SigningKeysService } from './signing-keys.service';

/** JWT signing keys: sealed at rest, rotated with pre-publication, published at /.well-known/jwks.json. */
@Module({
  imports: [TypeOrmModule.forFeature([SigningKey]), DiscoveryModule],
  controllers: [JwksController],
  providers: [SigningKeysService],
  exports: [SigningKeysService],
})
export class SigningKeysModule {
  constructor(metadata: DiscoveryMetadataRegistry) {
    // RFC 8414 §2: the keys that verify JWT access tokens (RFC 9068).
    metadata.contribute(({ issuer }) => ({ jwks_uri: `${issuer}/.well-known/jwks.json` }));
  }
}

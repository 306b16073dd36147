import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ClientsModule } from '../clients/clients.module';
import { SigningKeysModule } from '../signing-keys/signing-keys.module';
import { TokenManagementModule } from '../token-management/token-management.module';
import { AccessToken } from './access-token.entity';
import { AccessTokenPrincipals } from './access-token-principals.service';
import { AccessTokenService } from './access-token.service';
import { AccessTokenType } from './access-token.type';
import { AccessTokensPurge } from './access-tokens.purge';
import { JwtAccessBearerStrategy } from './jwt-access-bearer.strategy';
import { JwtAccessTokenType } from './jwt-access-token.type';
import { JwtAccessTokensService } from './jwt-access-tokens.service';
import { OAuthAccessBearerStrategy } from './oauth-access-bearer.strategy';

/**
 * OAuth access tokens: opaque (`ghat_`, stored as hashes) and RFC 9068 JWTs, issued through
 * AccessTokenService (exported) by the grant handlers, and proven by their Bearer strategies
 * (`oauth-access-bearer`, `jwt-access-bearer`); their entries in the OAuthTokenTypeRegistry.
 */
@Module({
  imports: [TypeOrmModule.forFeature([AccessToken]), ClientsModule, SigningKeysModule, TokenManagementModule],
  providers: [
    AccessTokensPurge,
    AccessTokenService,
    AccessTokenType,
    OAuthAccessBearerStrategy,
    JwtAccessTokensService,
    AccessTokenPrincipals,
    JwtAccessBearerStrategy,
    JwtAccessTokenType,
  ],
  exports: [AccessTokenService],
})
export class AccessTokensModule {}

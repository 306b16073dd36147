import { Controller, Get, Header } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Public } from '../auth/decorators/public.decorator';
import { PublishedJwk, SigningKeysService } from './signing-keys.service';

/** The public keys that verify Gatehouse's JWT access tokens (RFC 7517 §5, RFC 8414 `jwks_uri`). */
@ApiTags('oauth')
@Controller('.well-known')
export class JwksController {
  constructor(private readonly keys: SigningKeysService) {}

  /**
   * Cacheable for 5 minutes; new keys are published SIGNING_KEY_PREPUBLISH_SECONDS (default an
   * hour) before they sign, so a resource server with a cached copy never meets an unknown key.
   */
  @Public()
  @Get('jwks.json')
  @Header('cache-control', 'public, max-age=300')
  @Header('content-type', 'application/jwk-set+json')
  @ApiOperation({ summary: 'JSON Web Key Set of the JWT access-token signing keys (RFC 7517)' })
  @ApiOkResponse({ description: '{ keys: [{ kty, kid, alg, use: "sig", … }] }' })
  async jwks(): Promise<{ keys: PublishedJwk[] }> {
    return { keys: await this.keys.published() };
  }
}

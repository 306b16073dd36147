import { Controller, Get, Header } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Public } from '../auth/decorators/public.decorator';
import { JWT_SIGNING_ALGS } from '../clients/client-types';
import { DiscoveryController } from '../grants/discovery.controller';
import { CLAIMS_SUPPORTED } from './identity-claims';
import { SUBJECT_TYPES_SUPPORTED } from './subject-identifiers';
import { USERINFO_PATH } from './userinfo.controller';

/**
 * OpenID Provider metadata (OpenID Connect Discovery 1.0 §3, §4): the RFC 8414 document plus the
 * OpenID Connect fields, at `/.well-known/openid-configuration` below the issuer.
 */
@ApiTags('oidc')
@Controller('.well-known')
export class OidcDiscoveryController {
  constructor(private readonly oauth: DiscoveryController) {}

  @Public()
  @Get('openid-configuration')
  @Header('cache-control', 'public, max-age=300')
  @ApiOperation({ summary: 'OpenID Provider metadata (OpenID Connect Discovery 1.0 §4)' })
  @ApiOkResponse({ description: 'Discovery 1.0 §3 metadata' })
  metadata(): Record<string, unknown> {
    const base = this.oauth.metadata();
    const issuer = base.issuer as string;
    return {
      ...base,
      userinfo_endpoint: `${issuer}${USERINFO_PATH}`,
      response_modes_supported: ['query'],
      subject_types_supported: [...SUBJECT_TYPES_SUPPORTED],
      id_token_signing_alg_values_supported: [...JWT_SIGNING_ALGS],
      claims_supported: [...CLAIMS_SUPPORTED],
      claims_parameter_supported: false,
      request_parameter_supported: false,
      request_uri_parameter_supported: false,
      prompt_values_supported: ['none', 'login', 'consent', 'select_account'],
    };
  }
}

import { Controller, Get, Header, Inject } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Public } from '../auth/decorators/public.decorator';
import { ScopeRegistry } from '../auth/scope-registry';
import { DEVICE_CODE_GRANT_TYPE } from '../clients/client-types';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { GrantHandlerRegistry } from '../token-endpoint/grant-handler.registry';

const CLIENT_AUTH_METHODS = ['client_secret_basic', 'client_secret_post'];

/** RFC 8414 authorization server metadata, built from what is actually registered. */
@ApiTags('oauth')
@Controller('.well-known')
export class DiscoveryController {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly grants: GrantHandlerRegistry,
    private readonly scopes: ScopeRegistry,
  ) {}

  @Public()
  @Get('oauth-authorization-server')
  @Header('cache-control', 'public, max-age=300')
  @ApiOperation({ summary: 'Authorization server metadata (RFC 8414 §3)' })
  @ApiOkResponse({ description: 'RFC 8414 §2 metadata' })
  metadata(): Record<string, unknown> {
    const issuer = this.config.issuer;
    const grantTypes = this.grants.grantTypes();
    const codeFlow = grantTypes.includes('authorization_code');
    return {
      issuer,
      ...(codeFlow ? { authorization_endpoint: `${issuer}/oauth/authorize` } : {}),
      token_endpoint: `${issuer}/oauth/token`,
      revocation_endpoint: `${issuer}/oauth/revoke`,
      // RFC 8628 §4: advertised whenever the device_code grant is registered.
      ...(grantTypes.includes(DEVICE_CODE_GRANT_TYPE) ? { device_authorization_endpoint: `${issuer}/oauth/device_authorization` } : {}),
      introspection_endpoint: `${issuer}/oauth/introspect`,
      // RFC 8414 §2: the keys that verify JWT access tokens (RFC 9068).
      jwks_uri: `${issuer}/.well-known/jwks.json`,
      grant_types_supported: grantTypes,
      response_types_supported: codeFlow ? ['code'] : [],
      scopes_supported: this.scopes.list().map((s) => s.name),
      // `none`: public clients identify themselves with client_id alone.
      token_endpoint_auth_methods_supported: [...CLIENT_AUTH_METHODS, 'none'],
      revocation_endpoint_auth_methods_supported: [...CLIENT_AUTH_METHODS, 'none'],
      introspection_endpoint_auth_methods_supported: CLIENT_AUTH_METHODS,
      ...(codeFlow ? { code_challenge_methods_supported: ['S256'], authorization_response_iss_parameter_supported: true } : {}),
      service_documentation: `${issuer}/docs`,
    };
  }
}

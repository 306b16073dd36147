import { Module, OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import type { FastifyInstance } from 'fastify';
import { ScopeRegistry } from '../auth/scope-registry';
import { CodeFlowExtensionRegistry } from '../grants/code-flow-extension.registry';
import { JWT_SIGNING_ALGS } from '../clients/client-types';
import { DiscoveryMetadataRegistry } from '../discovery/discovery-metadata.registry';
import { DiscoveryModule } from '../discovery/discovery.module';
import { ClientManagementModule } from '../client-management/client-management.module';
import { ClientsModule } from '../clients/clients.module';
import { GrantsModule } from '../grants/grants.module';
import { SessionsModule } from '../sessions/sessions.module';
import { SigningKeysModule } from '../signing-keys/signing-keys.module';
import { UsersModule } from '../users/users.module';
import { END_SESSION_PATH } from './end-session-path';
import { IdTokensService } from './id-tokens.service';
import { OidcClientSettings } from './oidc-client-settings.entity';
import { OidcClientSettingsService } from './oidc-client-settings.service';
import { AdminOidcClientSettingsController, DeveloperOidcClientSettingsController } from './oidc-client-settings.controller';
import { OidcClientSettingsPagesController } from './oidc-client-settings-pages.controller';
import { OidcClientRegistration } from './oidc-client-registration.service';
import { OIDC_EXTENSION, OidcCodeFlowExtension } from './oidc-code-flow.extension';
import { OidcDiscoveryController } from './oidc-discovery.controller';
import { OidcSignIn } from './oidc-sign-in.entity';
import { OidcSignInsService } from './oidc-sign-ins.service';
import { OIDC_SCOPES } from './oidc.scopes';
import { CLAIMS_SUPPORTED } from './identity-claims';
import { SUBJECT_TYPES_SUPPORTED } from './subject-identifiers';
import { USERINFO_PATH, UserInfoController } from './userinfo.controller';

/**
 * Gatehouse as an OpenID Provider (OpenID Connect Core 1.0, Discovery 1.0): the `openid`,
 * `profile` and `email` scopes, id_tokens on the code flow (registered as a code-flow
 * extension), UserInfo, the discovery document (the logout endpoints included), and clients' OIDC
 * settings. Logout (RP-initiated, back-channel) is the oidc-logout module's. See docs/oidc.md.
 */
@Module({
  imports: [
    TypeOrmModule.forFeature([OidcSignIn, OidcClientSettings]),
    ClientsModule,
    ClientManagementModule,
    GrantsModule,
    DiscoveryModule,
    SessionsModule,
    SigningKeysModule,
    UsersModule,
  ],
  controllers: [
    UserInfoController,
    OidcDiscoveryController,
    AdminOidcClientSettingsController,
    DeveloperOidcClientSettingsController,
    OidcClientSettingsPagesController,
  ],
  providers: [IdTokensService, OidcSignInsService, OidcClientSettingsService, OidcClientRegistration, OidcCodeFlowExtension],
  exports: [IdTokensService, OidcClientSettingsService, OidcSignInsService],
})
export class OidcModule implements OnModuleInit {
  constructor(
    scopes: ScopeRegistry,
    extensions: CodeFlowExtensionRegistry,
    extension: OidcCodeFlowExtension,
    private readonly adapterHost: HttpAdapterHost,
    metadata: DiscoveryMetadataRegistry,
  ) {
    scopes.register(OIDC_SCOPES);
    extensions.register(OIDC_EXTENSION, extension);
    // Discovery 1.0 §3: only in the OpenID document (RFC 8414 clients need none of it).
    metadata.contribute(
      ({ issuer }) => ({
        userinfo_endpoint: `${issuer}${USERINFO_PATH}`,
        end_session_endpoint: `${issuer}${END_SESSION_PATH}`,
        backchannel_logout_supported: true,
        backchannel_logout_session_supported: true,
        frontchannel_logout_supported: false,
        response_modes_supported: ['query'],
        subject_types_supported: [...SUBJECT_TYPES_SUPPORTED],
        id_token_signing_alg_values_supported: [...JWT_SIGNING_ALGS],
        claims_supported: [...CLAIMS_SUPPORTED],
        claims_parameter_supported: false,
        request_parameter_supported: false,
        request_uri_parameter_supported: false,
        prompt_values_supported: ['none', 'login', 'consent', 'select_account'],
      }),
      ['openid-configuration'],
    );
  }

  onModuleInit(): void {
    if (!this.adapterHost.httpAdapter) return;
    const fastify = this.adapterHost.httpAdapter.getInstance<FastifyInstance>();
    // CORS for UserInfo (Core §5.3): browser apps on any origin read its answers, errors and
    // challenges included. Only the Bearer header authenticates there, so `*` grants nothing.
    fastify.addHook('onRequest', (req, reply, done) => {
      if (req.url.startsWith(USERINFO_PATH)) {
        void reply.header('access-control-allow-origin', '*').header('access-control-expose-headers', 'www-authenticate');
      }
      done();
    });
  }
}

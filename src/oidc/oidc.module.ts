import { Module, OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import type { FastifyInstance } from 'fastify';
import { ScopeRegistry } from '../auth/scope-registry';
import { CodeFlowExtensionRegistry } from '../grants/code-flow-extension.registry';
import { CodeFlowModule } from '../grants/code-flow.module';
import { GrantsModule } from '../grants/grants.module';
import { SessionsModule } from '../sessions/sessions.module';
import { SigningKeysModule } from '../signing-keys/signing-keys.module';
import { UsersModule } from '../users/users.module';
import { IdTokensService } from './id-tokens.service';
import { OidcClientSettings } from './oidc-client-settings.entity';
import { OidcClientSettingsService } from './oidc-client-settings.service';
import { OIDC_EXTENSION, OidcCodeFlowExtension } from './oidc-code-flow.extension';
import { OidcDiscoveryController } from './oidc-discovery.controller';
import { OidcSignIn } from './oidc-sign-in.entity';
import { OidcSignInsService } from './oidc-sign-ins.service';
import { OIDC_SCOPES } from './oidc.scopes';
import { USERINFO_PATH, UserInfoController } from './userinfo.controller';

/**
 * Gatehouse as an OpenID Provider (OpenID Connect Core 1.0, Discovery 1.0): the `openid`,
 * `profile` and `email` scopes, id_tokens on the code flow (registered as a code-flow
 * extension), UserInfo, the discovery document, and clients' OIDC settings. See docs/oidc.md.
 */
@Module({
  imports: [
    TypeOrmModule.forFeature([OidcSignIn, OidcClientSettings]),
    GrantsModule,
    CodeFlowModule,
    SessionsModule,
    SigningKeysModule,
    UsersModule,
  ],
  controllers: [UserInfoController, OidcDiscoveryController],
  providers: [IdTokensService, OidcSignInsService, OidcClientSettingsService, OidcCodeFlowExtension],
  exports: [IdTokensService, OidcClientSettingsService],
})
export class OidcModule implements OnModuleInit {
  constructor(
    scopes: ScopeRegistry,
    extensions: CodeFlowExtensionRegistry,
    extension: OidcCodeFlowExtension,
    private readonly adapterHost: HttpAdapterHost,
  ) {
    scopes.register(OIDC_SCOPES);
    extensions.register(OIDC_EXTENSION, extension);
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

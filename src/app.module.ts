import { Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import { AccountModule } from './account/account.module';
import { AdminModule } from './admin/admin.module';
import { AdminFederationModule } from './admin-federation/admin-federation.module';
import { AuditModule } from './audit/audit.module';
import { BotsModule } from './bots/bots.module';
import { AuthModule } from './auth/auth.module';
import { ClientManagementModule } from './client-management/client-management.module';
import { ClientsModule } from './clients/clients.module';
import { ApiExceptionFilter } from './common/api-exception.filter';
import { GlobalRateLimitGuard } from './common/global-rate-limit.guard';
import { SecretSealerModule } from './common/secret-sealer.module';
import { appConfig } from './configuration';
import { DatabaseModule } from './database/database.module';
import { DeviceAuthorizationModule } from './device-authorization/device-authorization.module';
import { DevicesModule } from './devices/devices.module';
import { AccessTokensModule } from './access-tokens/access-tokens.module';
import { AuthorizationModule } from './authorization/authorization.module';
import { DiscoveryModule } from './discovery/discovery.module';
import { GrantsModule } from './grants/grants.module';
import { TokenEndpointModule } from './token-endpoint/token-endpoint.module';
import { TokenManagementModule } from './token-management/token-management.module';
import { HealthModule } from './health/health.module';
import { ImpersonationModule } from './impersonation/impersonation.module';
import { RateLimitsModule } from './rate-limits/rate-limits.module';
import { RedisModule } from './redis/redis.module';
import { HousekeepingModule } from './housekeeping/housekeeping.module';
import { OutboxModule } from './outbox/outbox.module';
import { MetricsModule } from './metrics/metrics.module';
import { MfaModule } from './mfa/mfa.module';
import { OidcModule } from './oidc/oidc.module';
import { OidcLogoutModule } from './oidc-logout/oidc-logout.module';
import { PersonalTokensModule } from './personal-tokens/personal-tokens.module';
import { SessionsModule } from './sessions/sessions.module';
import { SignInModule } from './sign-in/sign-in.module';
import { SsoModule } from './sso/sso.module';
import { PasskeysModule } from './passkeys/passkeys.module';
import { StepUpModule } from './step-up/step-up.module';
import { UsersModule } from './users/users.module';
import { WebModule } from './web/web.module';

@Module({
  imports: [
    ConfigModule.forRoot({ isGlobal: true, load: [appConfig], cache: true }),
    // Optional Redis (REDIS_URL), then the limits that use it: the global ceilings (per IP, or per
    // credential when one is presented); sign-in and the token endpoint add their own limits.
    RedisModule,
    RateLimitsModule,
    MetricsModule,
    SecretSealerModule,
    HousekeepingModule,
    OutboxModule,
    DatabaseModule,
    AuthModule,
    AuditModule,
    UsersModule,
    SessionsModule,
    SignInModule,
    MfaModule,
    PersonalTokensModule,
    BotsModule,
    DevicesModule,
    ClientsModule,
    ClientManagementModule,
    TokenEndpointModule,
    TokenManagementModule,
    AccessTokensModule,
    DiscoveryModule,
    HealthModule,
    GrantsModule,
    AuthorizationModule,
    OidcModule,
    OidcLogoutModule,
    DeviceAuthorizationModule,
    ImpersonationModule,
    AdminModule,
    AdminFederationModule,
    WebModule,
    AccountModule,
    SsoModule,
    PasskeysModule,
    StepUpModule,
  ],
  providers: [
    { provide: APP_GUARD, useClass: GlobalRateLimitGuard },
    { provide: APP_FILTER, useClass: ApiExceptionFilter },
  ],
})
export class AppModule {}

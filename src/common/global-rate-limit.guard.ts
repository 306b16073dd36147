import { ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import {
  InjectThrottlerOptions,
  InjectThrottlerStorage,
  ThrottlerGuard,
  type ThrottlerModuleOptions,
  type ThrottlerStorage,
} from '@nestjs/throttler';
import { APP_CONFIG, AppConfig } from '../config/app-config';

/**
 * The global ceilings (rate-limits.module.ts): per IP and route without a credential
 * (RATE_LIMIT_PER_IP_PER_MINUTE), per credential with one (RATE_LIMIT_PER_CREDENTIAL_PER_MINUTE).
 * With both at 0 it returns before any work; its keys are plain strings instead of the library's
 * SHA-256 of one.
 */
@Injectable()
export class GlobalRateLimitGuard extends ThrottlerGuard {
  private readonly disabled: boolean;

  constructor(
    @InjectThrottlerOptions() options: ThrottlerModuleOptions,
    @InjectThrottlerStorage() storage: ThrottlerStorage,
    reflector: Reflector,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    super(options, storage, reflector);
    this.disabled = config.rateLimit.perIpPerMinute === 0 && config.rateLimit.perCredentialPerMinute === 0;
  }

  override canActivate(context: ExecutionContext): Promise<boolean> {
    return this.disabled ? Promise.resolve(true) : super.canActivate(context);
  }

  protected override generateKey(context: ExecutionContext, suffix: string, name: string): string {
    return `${name}:${context.getClass().name}.${context.getHandler().name}:${suffix}`;
  }
}

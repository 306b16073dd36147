import type { Type } from '@nestjs/common';
import { IsOptional, IsString } from 'class-validator';

/**
 * The form variant of a JSON DTO: the same fields plus the page's `_csrf` field (checked by the
 * cookie strategy before the handler runs; declared here so the whitelist does not refuse it).
 */
export function withCsrfField<T extends Type<object>>(Base: T) {
  class WithCsrf extends Base {
    @IsOptional()
    @IsString()
    _csrf?: string;
  }
  return WithCsrf;
}

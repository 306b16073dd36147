import { Injectable } from '@nestjs/common';
import type { GrantHandler } from './grant-handler';

/** The grant types the token endpoint serves, by `grant_type`. Also feeds discovery. */
@Injectable()
export class GrantHandlerRegistry {
  private readonly handlers = new Map<string, GrantHandler>();

  register(handler: GrantHandler): void {
    if (this.handlers.has(handler.grantType)) throw new Error(`Grant type ${handler.grantType} is registered twice`);
    this.handlers.set(handler.grantType, handler);
  }

  find(grantType: string): GrantHandler | undefined {
    return this.handlers.get(grantType);
  }

  grantTypes(): string[] {
    return [...this.handlers.keys()].sort();
  }
}

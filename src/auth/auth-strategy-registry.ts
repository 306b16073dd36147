import { Injectable } from '@nestjs/common';
import type { AuthScheme } from './principal';

/**
 * Which named Passport strategies handle each scheme. Feature modules register their
 * strategies here (the auth core imports no feature module); the global guard tries them in
 * registration order. Bearer strategies each claim only their own token prefix.
 */
@Injectable()
export class AuthStrategyRegistry {
  private readonly byScheme = new Map<AuthScheme, string[]>();

  register(scheme: AuthScheme, strategyName: string): void {
    const names = this.byScheme.get(scheme) ?? [];
    if (!names.includes(strategyName)) names.push(strategyName);
    this.byScheme.set(scheme, names);
  }

  strategiesFor(scheme: AuthScheme): readonly string[] {
    return this.byScheme.get(scheme) ?? [];
  }
}

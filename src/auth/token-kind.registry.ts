import { Injectable } from '@nestjs/common';
import type { TokenKind } from './token-format';

/**
 * Every kind of secret the application issues, registered by the module that owns it (from its
 * constructor, as grant handlers register). A prefix is one kind's only: registering another
 * definition under a prefix already taken throws at start-up. The same definition registered
 * again (by its strategy and by its token type, say) is a no-op.
 */
@Injectable()
export class TokenKindRegistry {
  private readonly byPrefix = new Map<string, TokenKind>();

  register(...kinds: TokenKind[]): void {
    for (const kind of kinds) {
      const existing = this.byPrefix.get(kind.prefix);
      if (existing === kind) continue;
      if (existing) throw new Error(`Token prefix ${kind.prefix}_ is registered twice: ${existing.description}, ${kind.description}`);
      this.byPrefix.set(kind.prefix, kind);
    }
  }

  find(prefix: string): TokenKind | undefined {
    return this.byPrefix.get(prefix);
  }

  /** Every registered kind, by prefix (the README's secret-scanner table is checked against it). */
  all(): TokenKind[] {
    return [...this.byPrefix.values()].sort((a, b) => a.prefix.localeCompare(b.prefix));
  }
}

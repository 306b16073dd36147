import { Injectable } from '@nestjs/common';
import type { AuthScheme, CredentialKind } from './principal';
import { prefixOf, TokenKind } from './token-format';
import { TokenKindRegistry } from './token-kind.registry';

/**
 * One Passport strategy a feature module plugs into the global guard, and what it claims.
 * A Bearer or Secret strategy claims the tokens of one prefix (`token`) or, for tokens without
 * one (JWTs), those its `matches` accepts; a cookie strategy claims the session cookie.
 */
export interface AuthStrategyClaim {
  /** The Passport strategy's name. */
  readonly strategy: string;
  readonly scheme: AuthScheme;
  /** What the strategy's Principals carry as `credential.kind` (and audit rows name). */
  readonly credentialKind: CredentialKind;
  /** The token kind whose prefix this strategy claims (Bearer, Secret). */
  readonly token?: TokenKind;
  /** For prefix-less tokens: whether this strategy claims `token`. Asked only when no prefix matched. */
  matches?(token: string): boolean;
  /** What pages call the credential (`via …` in the audit log); default: the token kind's description. */
  readonly label?: string;
}

/**
 * Which Passport strategy handles what. Feature modules register their strategies here (the auth
 * core imports no feature module and names no credential kind). The guard dispatches a Bearer or
 * Secret token to the one strategy that claims its prefix, a map lookup; a token no strategy
 * claims never reaches a strategy (nor the database).
 */
@Injectable()
export class AuthStrategyRegistry {
  private readonly byScheme = new Map<AuthScheme, AuthStrategyClaim[]>();
  /** `<scheme> <prefix>` → claim. */
  private readonly byPrefix = new Map<string, AuthStrategyClaim>();

  constructor(private readonly tokenKinds: TokenKindRegistry) {}

  register(claim: AuthStrategyClaim): void {
    const claims = this.byScheme.get(claim.scheme) ?? [];
    if (claims.some((c) => c.strategy === claim.strategy)) throw new Error(`Auth strategy ${claim.strategy} is registered twice`);
    if (claim.scheme !== 'cookie' && !claim.token && !claim.matches)
      throw new Error(`Auth strategy ${claim.strategy} claims no token (give it a token kind or matches)`);
    if (claim.token) {
      const key = `${claim.scheme} ${claim.token.prefix}`;
      const taken = this.byPrefix.get(key);
      if (taken) throw new Error(`Token prefix ${claim.token.prefix}_ is claimed by ${taken.strategy} and ${claim.strategy}`);
      this.tokenKinds.register(claim.token);
      this.byPrefix.set(key, claim);
    }
    claims.push(claim);
    this.byScheme.set(claim.scheme, claims);
  }

  /** Every strategy of a scheme, in registration order (the cookie scheme runs them in turn). */
  strategiesFor(scheme: AuthScheme): readonly AuthStrategyClaim[] {
    return this.byScheme.get(scheme) ?? [];
  }

  /** The registered label of a credential kind (the claim's `label`, else its token kind's description); undefined if none. */
  labelOf(kind: CredentialKind): string | undefined {
    for (const claims of this.byScheme.values()) {
      for (const c of claims) if (c.credentialKind === kind && (c.label ?? c.token)) return c.label ?? c.token!.description;
    }
    return undefined;
  }

  /**
   * The one strategy that claims a Bearer or Secret token: by its prefix, else (no prefix
   * registered) the first whose `matches` accepts it. Undefined: nobody's token.
   */
  claimFor(scheme: AuthScheme, token: string): AuthStrategyClaim | undefined {
    const prefix = prefixOf(token);
    const byPrefix = prefix === undefined ? undefined : this.byPrefix.get(`${scheme} ${prefix}`);
    if (byPrefix) return byPrefix;
    return this.byScheme.get(scheme)?.find((c) => !c.token && c.matches?.(token));
  }
}

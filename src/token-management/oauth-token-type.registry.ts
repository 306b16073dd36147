import { Injectable } from '@nestjs/common';
import { prefixOf, TokenKind } from '../auth/token-format';
import { TokenKindRegistry } from '../auth/token-kind.registry';

/** RFC 7662 §2.2 fields of an active token, as each token type reports them. */
export interface ActiveTokenInfo {
  /** The client the token was issued to; absent for tokens without one (PATs). */
  clientId?: string;
  /** The user behind the token, if any (becomes `sub`). */
  userId?: string;
  /** The kind of that user (`person` or `bot`), reported as `user_kind`. */
  userKind?: 'person' | 'bot';
  /** RFC 8693 §4.1: who acts for the user (impersonation tokens). */
  act?: { sub: string };
  scopes: readonly string[];
  /** RFC 8707: the resource the token was issued for (`aud`), when one was asked for. */
  audience?: string;
  issuedAt: Date;
  expiresAt: Date | null;
  /** RFC 7662 `token_type`. */
  tokenType: string;
}

/**
 * One kind of token the revocation and introspection endpoints understand, recognised by its
 * prefix (which is why a `token_type_hint` is honoured but never trusted). Access tokens are
 * registered by the access-tokens module; refresh tokens (grants), PATs, bot and impersonation
 * tokens by theirs.
 */
export interface OAuthTokenType {
  /** The token kind whose prefix this type claims (registered in the TokenKindRegistry with it). */
  readonly token?: TokenKind;
  /** For tokens without a prefix (JWTs): whether this type claims the token. Asked only when no prefix matched. */
  matches?(token: string): boolean;
  /** RFC 7009 `token_type_hint` value this kind answers to. */
  readonly hint: string;
  /** Revoke only if issued to `clientId` (RFC 7009 §2.1); false (and nothing done) otherwise. */
  revokeForClient?(token: string, clientId: string): Promise<boolean>;
  /** Null when unknown, expired or revoked. */
  introspect?(token: string): Promise<ActiveTokenInfo | null>;
}

@Injectable()
export class OAuthTokenTypeRegistry {
  private readonly byPrefix = new Map<string, OAuthTokenType>();
  private readonly unprefixed: OAuthTokenType[] = [];

  constructor(private readonly tokenKinds: TokenKindRegistry) {}

  register(type: OAuthTokenType): void {
    if (type.token) {
      if (this.byPrefix.has(type.token.prefix)) throw new Error(`Token type ${type.token.prefix}_ is registered twice`);
      this.tokenKinds.register(type.token);
      this.byPrefix.set(type.token.prefix, type);
    } else if (type.matches) {
      this.unprefixed.push(type);
    } else {
      throw new Error(`Token type ${type.hint} claims no token (give it a token kind or matches)`);
    }
  }

  /** The token type by the token's own prefix (else the first whose `matches` claims it), never by the client's hint. */
  forToken(token: string): OAuthTokenType | undefined {
    const prefix = prefixOf(token);
    return (prefix !== undefined ? this.byPrefix.get(prefix) : undefined) ?? this.unprefixed.find((t) => t.matches!(token));
  }

  hints(): string[] {
    return [...this.byPrefix.values(), ...this.unprefixed].map((t) => t.hint);
  }
}

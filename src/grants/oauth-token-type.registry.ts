import { Injectable } from '@nestjs/common';
import { hasPrefix, TokenKind } from '../auth/token-format';

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
 * registered by the grants module; refresh tokens (code flow) and PATs register their own.
 */
export interface OAuthTokenType {
  /** A prefixed token kind, or another name for a type that recognises tokens with `matches`. */
  readonly kind: TokenKind | 'jwtAccessToken';
  /** For tokens without a prefix (JWTs): whether this type claims the token. */
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
  private readonly types: OAuthTokenType[] = [];

  register(type: OAuthTokenType): void {
    if (this.types.some((t) => t.kind === type.kind)) throw new Error(`Token type ${type.kind} is registered twice`);
    this.types.push(type);
  }

  /** The token type by the token's own prefix, not by the client's hint. */
  forToken(token: string): OAuthTokenType | undefined {
    return this.types.find((t) => (t.matches ? t.matches(token) : hasPrefix(t.kind as TokenKind, token)));
  }

  hints(): string[] {
    return this.types.map((t) => t.hint);
  }
}

import { isExpiredAt } from '../../auth/minted-token-rules';
import type { MintedTokenColumns } from '../../personal-tokens/minted-token.columns';

/** One live credential of a user, as the admin pages list it (never a secret). */
export interface CredentialSummary {
  kind: string;
  id: string;
  /** What a person recognises it by: a token's name and hint, a session's browser, a client. */
  label: string;
  createdAt: string;
  lastUsedAt: string | null;
  expiresAt: string | null;
}

/**
 * What the admin module needs from each kind of credential (sessions, personal access tokens,
 * OAuth grants). One adapter per owning module, so that module's rules for "live" and
 * "revoked" stay its own.
 */
export interface UserCredentialSource {
  readonly kind: string;
  listLiveForUser(userId: string): Promise<CredentialSummary[]>;
  /** False when the credential is not this user's or is already ended. */
  revokeOne(userId: string, credentialId: string): Promise<boolean>;
  revokeAllForUser(userId: string): Promise<number>;
  /** Live credentials of every user, by token kind (for the dashboard). */
  countLive(): Promise<Record<string, number>>;
}

export const USER_CREDENTIAL_SOURCES = Symbol('USER_CREDENTIAL_SOURCES');

/** The live (unexpired) ones of a user's minted tokens (PATs, bot tokens), as summaries of `kind`. */
export function liveMintedTokens(kind: string, rows: readonly MintedTokenColumns[], now = Date.now()): CredentialSummary[] {
  return rows
    .filter((t) => !isExpiredAt(t.expiresAt, now))
    .map((t) => ({
      kind,
      id: t.id,
      label: `${t.name} (${t.hint}) · ${t.scopes.join(' ')}`,
      createdAt: t.createdAt.toISOString(),
      lastUsedAt: t.lastUsedAt?.toISOString() ?? null,
      expiresAt: t.expiresAt?.toISOString() ?? null,
    }));
}

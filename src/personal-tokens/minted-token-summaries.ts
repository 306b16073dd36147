import { isExpiredAt } from '../auth/minted-token-rules';
import type { MintedTokenColumns } from './minted-token.columns';
import type { CredentialSummary } from '../users/user-credential-source';

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

/** Rules shared by the tokens people mint for themselves or their bots (PATs, bot tokens). */
import { BadRequestException } from '@nestjs/common';
import { IsNull, LessThan, Or, Repository } from 'typeorm';

const DAY_MS = 86_400_000;
/** last_used_at / last_used_ip are written at most this often per token, not on every request. */
const TOUCH_INTERVAL_MS = 60_000;

/** The expiry rules of user-minted tokens (PATs, bot tokens), each configured on its own. */
export interface TokenExpiryPolicy {
  defaultExpiryDays: number;
  maxExpiryDays: number;
  allowNeverExpires: boolean;
}

/**
 * When a token minted now expires. `expiresInDays` undefined: the policy's default; null: never
 * (only where the policy allows it). 400 with the allowed range otherwise.
 */
export function expiryFrom(now: Date, expiresInDays: number | null | undefined, policy: TokenExpiryPolicy): Date | null {
  const { defaultExpiryDays, maxExpiryDays, allowNeverExpires } = policy;
  if (expiresInDays === null) {
    if (!allowNeverExpires) throw new BadRequestException(`Tokens must expire: choose 1 to ${maxExpiryDays} days`);
    return null;
  }
  const days = expiresInDays ?? defaultExpiryDays;
  if (!Number.isInteger(days) || days < 1 || days > maxExpiryDays) {
    throw new BadRequestException(`expiresInDays must be a whole number from 1 to ${maxExpiryDays}`);
  }
  return new Date(now.getTime() + days * DAY_MS);
}

export function isExpiredAt(expiresAt: Date | null, now: number): boolean {
  return expiresAt !== null && expiresAt.getTime() <= now;
}

interface UsedToken {
  id: string;
  lastUsedAt: Date | null;
  lastUsedIp: string | null;
}

/** Records a use at most once a minute per token; conditional, so concurrent requests write once. */
export async function recordUse<T extends UsedToken>(
  repo: Repository<T>,
  token: Pick<T, 'id' | 'lastUsedAt'>,
  ip: string,
  now: number,
): Promise<void> {
  if (token.lastUsedAt && now - token.lastUsedAt.getTime() < TOUCH_INTERVAL_MS) return;
  // The row may be the credential cache's shared copy: updating it in place keeps the other
  // requests served from that entry from sending the same (no-op) conditional UPDATE.
  token.lastUsedAt = new Date(now);
  const stale = new Date(now - TOUCH_INTERVAL_MS);
  const where = { id: token.id, lastUsedAt: Or(IsNull(), LessThan(stale)) } as unknown as Parameters<Repository<T>['update']>[0];
  await repo.update(where, { lastUsedAt: new Date(now), lastUsedIp: ip.slice(0, 64) } as never);
}

/**
 * The scopes chosen for a new token: at least one, registered, and each in `allowed` (what the
 * token's user may hold). Deduplicated and sorted. 400 naming the problem otherwise.
 */
export function checkChosenScopes(
  registered: { unknown(s: Iterable<string>): string[]; identityScopes(s: Iterable<string>): string[] },
  requested: readonly string[],
  allowed: ReadonlySet<string>,
  lackingMessage: string,
): string[] {
  const scopes = [...new Set(requested)];
  if (scopes.length === 0) throw new BadRequestException('Choose at least one scope');
  const unknown = registered.unknown(scopes);
  if (unknown.length > 0) throw new BadRequestException(`Unknown scope: ${unknown.join(' ')}`);
  const identity = registered.identityScopes(scopes);
  if (identity.length > 0) {
    throw new BadRequestException(
      `${identity.join(' ')}: OpenID Connect identity scopes (they tell an app who signed in to it) mean nothing on a token created directly; choose API scopes`,
    );
  }
  const lacking = scopes.filter((s) => !allowed.has(s));
  if (lacking.length > 0) throw new BadRequestException(`${lackingMessage}: ${lacking.join(' ')}`);
  return scopes.sort();
}

import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { createHash, randomInt } from 'node:crypto';
import { In, IsNull, Repository } from 'typeorm';
import { runTransaction } from '../database/transactions';
import { RecoveryCode } from './recovery-code.entity';

export const RECOVERY_CODE_COUNT = 10;
/** Lowercase letters and digits without look-alikes (no 0/o, 1/l/i): 31 symbols, ~4.95 bits each. */
const ALPHABET = 'abcdefghjkmnpqrstuvwxyz23456789';

/** `xxxxx-xxxxx`: ~49.5 random bits, typed with or without the dash, any case. */
function newCode(): string {
  let s = '';
  for (let i = 0; i < 10; i++) s += ALPHABET[randomInt(ALPHABET.length)];
  return `${s.slice(0, 5)}-${s.slice(5)}`;
}

/** A recovery code as typed, normalized (lowercase, no dash or spaces), or null when it cannot be one. */
export function normalizeRecoveryCode(input: unknown): string | null {
  if (typeof input !== 'string' || input.length > 64) return null;
  const code = input.replace(/[\s-]/g, '').toLowerCase();
  return /^[a-z0-9]{10}$/.test(code) ? code : null;
}

function hashCode(normalized: string): string {
  return createHash('sha256').update(`gatehouse recovery code:${normalized}`).digest('hex');
}

/**
 * Recovery codes: ten single-use codes, shown once, stored as SHA-256 hashes (each is ~50 random
 * bits, so a fast hash is enough: there is nothing to guess from it). Regenerating replaces the
 * whole set in one transaction. Using one is one conditional UPDATE (`used_at IS NULL`), so a
 * code works once even when two requests race.
 */
@Injectable()
export class RecoveryCodesService {
  constructor(@InjectRepository(RecoveryCode) private readonly rows: Repository<RecoveryCode>) {}

  /** A fresh set of codes (the old set no longer works); returns them once, in clear. */
  async regenerate(userId: string): Promise<string[]> {
    const codes = Array.from({ length: RECOVERY_CODE_COUNT }, newCode);
    const now = new Date();
    await runTransaction(this.rows.manager.connection, async (em) => {
      await em.delete(RecoveryCode, { userId });
      await em.insert(
        RecoveryCode,
        codes.map((c) => ({ userId, codeHash: hashCode(normalizeRecoveryCode(c)!), createdAt: now, usedAt: null })),
      );
    });
    return codes;
  }

  /** How many unused codes the user has. */
  remaining(userId: string): Promise<number> {
    return this.rows.count({ where: { userId, usedAt: IsNull() } });
  }

  /** Which of these users have at least one unused code (one query). */
  async enrolledAmong(userIds: readonly string[]): Promise<Set<string>> {
    if (userIds.length === 0) return new Set();
    const rows = await this.rows
      .createQueryBuilder('c')
      .select('c.user_id', 'userId')
      .where({ userId: In([...userIds]), usedAt: IsNull() })
      .groupBy('c.user_id')
      .getRawMany<{ userId: string }>();
    return new Set(rows.map((r) => r.userId));
  }

  /** How many unused codes each of these users has (absent: none); one query. */
  async remainingAmong(userIds: readonly string[]): Promise<Map<string, number>> {
    if (userIds.length === 0) return new Map();
    const rows = await this.rows
      .createQueryBuilder('c')
      .select('c.user_id', 'userId')
      .addSelect('COUNT(*)', 'n')
      .where({ userId: In([...userIds]), usedAt: IsNull() })
      .groupBy('c.user_id')
      .getRawMany<{ userId: string; n: string | number }>();
    return new Map(rows.map((r) => [r.userId, Number(r.n)]));
  }

  /** Uses one of the user's codes: true once per code, false for a wrong, used or malformed one. */
  async use(userId: string, input: string): Promise<boolean> {
    const code = normalizeRecoveryCode(input);
    if (!code) return false;
    const res = await this.rows.update({ userId, codeHash: hashCode(code), usedAt: IsNull() }, { usedAt: new Date() });
    return (res.affected ?? 0) > 0;
  }

  /** Deletes every code of the user; returns how many there were. */
  async removeAll(userId: string): Promise<number> {
    const res = await this.rows.delete({ userId });
    return res.affected ?? 0;
  }
}

import { ConflictException, Inject, Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { generateSecret } from '@otplib/core';
import { ScureBase32Plugin } from '@otplib/plugin-base32-scure';
import { NodeCryptoPlugin } from '@otplib/plugin-crypto-node';
import { TOTP, verify } from '@otplib/totp';
import { toString as qrSvg } from 'qrcode';
import { In, IsNull, Not, Repository } from 'typeorm';
import { SecretSealer } from '../common/secret-sealer';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { TotpCredential } from './totp-credential.entity';

/** The sealing purpose of TOTP secrets (SecretSealer); the context is the user id. */
const SEAL_PURPOSE = 'totp-secret';
const PERIOD_SECONDS = 30;
/** RFC 6238 §5.2: one step of clock drift either way (the code before and after the current one). */
const DRIFT_SECONDS = PERIOD_SECONDS;
/** An unconfirmed enrolment is dropped (must start again) after this long. */
export const TOTP_ENROLMENT_MS = 15 * 60_000;

const crypto = new NodeCryptoPlugin();
const base32 = new ScureBase32Plugin();

/** A code as typed: six digits, spaces and dashes ignored ("123 456"); anything else is malformed. */
export function normalizeTotpCode(input: unknown): string | null {
  if (typeof input !== 'string' || input.length > 32) return null;
  const code = input.replace(/[\s-]/g, '');
  return /^\d{6}$/.test(code) ? code : null;
}

/** What the enrolment page shows while enrolment is unconfirmed (and only then). */
export interface TotpEnrolment {
  /** `otpauth://totp/<issuer>:<email>?secret=…&issuer=…` (the Key URI format authenticator apps read). */
  uri: string;
  /** The base32 secret, for typing in by hand. */
  secret: string;
  /** The URI as an SVG QR code, rendered on the server. */
  qrSvg: string;
  startedAt: Date;
}

/**
 * TOTP (RFC 6238) with @otplib/totp: SHA-1, 6 digits, 30 s, ±1 step of drift. A code is single
 * use: accepting one records its time step (`last_used_step`) with a conditional UPDATE that only
 * moves it forward, so the same code, or an earlier one, is refused afterwards, by every instance
 * (the database is the shared state; a second instance racing the first loses the UPDATE).
 */
@Injectable()
export class TotpService {
  constructor(
    @InjectRepository(TotpCredential) private readonly rows: Repository<TotpCredential>,
    private readonly sealer: SecretSealer,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Confirmed (a factor), pending (enrolment started) or none. */
  async status(userId: string): Promise<{ confirmedAt: Date | null; pending: boolean }> {
    const row = await this.rows.findOne({ where: { userId }, select: { id: true, confirmedAt: true, createdAt: true } });
    if (!row) return { confirmedAt: null, pending: false };
    return { confirmedAt: row.confirmedAt, pending: row.confirmedAt === null && !this.enrolmentExpired(row) };
  }

  /** Which of these users have a confirmed TOTP factor (one query). */
  async enrolledAmong(userIds: readonly string[]): Promise<Set<string>> {
    if (userIds.length === 0) return new Set();
    const rows = await this.rows.find({ where: { userId: In([...userIds]), confirmedAt: Not(IsNull()) }, select: { userId: true } });
    return new Set(rows.map((r) => r.userId));
  }

  /**
   * Starts (or starts again) enrolment: a fresh secret, sealed, not a factor until `confirm`.
   * 409 when the user already has a confirmed authenticator app (remove it first).
   */
  async beginEnrolment(userId: string): Promise<void> {
    const existing = await this.rows.findOne({ where: { userId }, select: { id: true, confirmedAt: true } });
    if (existing?.confirmedAt) throw new ConflictException('An authenticator app is already set up: remove it first to set up another.');
    const secret = generateSecret({ crypto, base32, length: 20 });
    const sealed = await this.sealer.seal(SEAL_PURPOSE, secret, userId);
    if (existing) {
      await this.rows.update(
        { id: existing.id, confirmedAt: IsNull() },
        { secretSealed: sealed, createdAt: new Date(), lastUsedStep: null },
      );
    } else {
      await this.rows.insert(
        this.rows.create({ userId, secretSealed: sealed, createdAt: new Date(), confirmedAt: null, lastUsedStep: null }),
      );
    }
  }

  /** The unconfirmed enrolment's secret, URI and QR code, or null (none, confirmed, or expired). */
  async pendingEnrolment(userId: string, accountLabel: string): Promise<TotpEnrolment | null> {
    const row = await this.rows.findOne({ where: { userId, confirmedAt: IsNull() } });
    if (!row || this.enrolmentExpired(row)) return null;
    const secret = await this.sealer.openText(SEAL_PURPOSE, row.secretSealed, userId);
    const uri = new TOTP({
      issuer: this.config.mfa.totpIssuer,
      label: accountLabel,
      secret,
      crypto,
      base32,
      period: PERIOD_SECONDS,
    }).toURI();
    const svg = await qrSvg(uri, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
    return { uri, secret, qrSvg: svg, startedAt: row.createdAt };
  }

  /**
   * Confirms enrolment with one correct code (which is then used up). False for a wrong code, or
   * no live enrolment; the secret stays inactive.
   */
  async confirm(userId: string, code: string): Promise<boolean> {
    const row = await this.rows.findOne({ where: { userId, confirmedAt: IsNull() } });
    if (!row || this.enrolmentExpired(row)) return false;
    const step = await this.check(row, code);
    if (step === null) return false;
    const res = await this.rows
      .createQueryBuilder()
      .update(TotpCredential)
      .set({ confirmedAt: new Date(), lastUsedStep: step })
      .where('id = :id AND confirmed_at IS NULL AND secret_sealed = :sealed', { id: row.id, sealed: row.secretSealed })
      .execute();
    return (res.affected ?? 0) > 0;
  }

  /** Checks a sign-in (or step-up) code against the confirmed secret and uses it up. */
  async verifyCode(userId: string, code: string): Promise<boolean> {
    const row = await this.rows.findOne({ where: { userId, confirmedAt: Not(IsNull()) } });
    if (!row) return false;
    const step = await this.check(row, code);
    if (step === null) return false;
    // Only moves forward: of two requests with the same code (on any instance), one wins.
    const res = await this.rows
      .createQueryBuilder()
      .update(TotpCredential)
      .set({ lastUsedStep: step })
      .where('id = :id AND (last_used_step IS NULL OR last_used_step < :step)', { id: row.id, step })
      .execute();
    return (res.affected ?? 0) > 0;
  }

  /** Removes the user's authenticator app (confirmed or not); true when there was one. */
  async remove(userId: string): Promise<boolean> {
    const res = await this.rows.delete({ userId });
    return (res.affected ?? 0) > 0;
  }

  /** The time step the code matches within ±1 step and after the last used one, or null. */
  private async check(row: TotpCredential, code: string): Promise<number | null> {
    const secret = await this.sealer.openText(SEAL_PURPOSE, row.secretSealed, row.userId);
    try {
      const result = await verify({
        secret,
        token: code,
        crypto,
        base32,
        period: PERIOD_SECONDS,
        epochTolerance: DRIFT_SECONDS,
        afterTimeStep: row.lastUsedStep ?? undefined,
      });
      return result.valid ? result.timeStep : null;
    } catch {
      // afterTimeStep ahead of the window (a code used from a clock far ahead) or a malformed token.
      return null;
    }
  }

  private enrolmentExpired(row: Pick<TotpCredential, 'createdAt'>): boolean {
    return row.createdAt.getTime() + TOTP_ENROLMENT_MS <= Date.now();
  }
}

import { Inject, Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { In, IsNull, LessThanOrEqual, MoreThan, QueryFailedError, Repository } from 'typeorm';
import { generateToken, hashToken, isWellFormed } from '../auth/token-format';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { DeviceAuthorization } from './device-authorization.entity';
import { generateUserCode, hashUserCode } from './user-code';
import { DEVICE_CODE } from './device-code.token-kind';

/** A new device authorization: the two codes in plaintext, once. */
export interface StartedDeviceAuthorization {
  row: DeviceAuthorization;
  deviceCode: string;
  /** Normalised (no dash). */
  userCode: string;
}

/** RFC 8628 §3.5: each slow_down adds 5 seconds to the interval, for good. */
const SLOW_DOWN_STEP_SECONDS = 5;

/**
 * The device_authorizations table. Every state change is a conditional UPDATE on the expected
 * state, so of concurrent requests exactly one wins, on SQLite and MySQL alike.
 */
@Injectable()
export class DeviceAuthorizationsService {
  constructor(
    @InjectRepository(DeviceAuthorization) private readonly rows: Repository<DeviceAuthorization>,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** A pending request for `clientId` with `scopes`; only the codes' hashes are stored. */
  async start(clientId: string, scopes: readonly string[]): Promise<StartedDeviceAuthorization> {
    const now = new Date();
    const { codeTtlMs, intervalSeconds } = this.config.deviceFlow;
    // A user code may collide with a stored one (unique index): draw again.
    for (let attempt = 1; ; attempt++) {
      const deviceCode = generateToken(DEVICE_CODE);
      const userCode = generateUserCode();
      const row = this.rows.create({
        deviceCodeHash: hashToken(deviceCode),
        userCodeHash: hashUserCode(userCode),
        clientId,
        scopes: [...scopes],
        status: 'pending',
        intervalSeconds,
        createdAt: now,
        expiresAt: new Date(now.getTime() + codeTtlMs),
        lastPolledAt: null,
        userId: null,
        decidedAt: null,
        redeemedAt: null,
        grantId: null,
      });
      try {
        await this.rows.insert(row);
        return { row, deviceCode, userCode };
      } catch (err) {
        if (!(err instanceof QueryFailedError) || attempt >= 3) throw err;
      }
    }
  }

  /** The row of a device code, in any state; null for anything malformed or unknown. */
  findByDeviceCode(deviceCode: string): Promise<DeviceAuthorization | null> {
    if (!isWellFormed(DEVICE_CODE, deviceCode)) return Promise.resolve(null);
    return this.rows.findOneBy({ deviceCodeHash: hashToken(deviceCode) });
  }

  /** The pending, unexpired request of a (normalised) user code: the only kind a user may decide. */
  findPendingByUserCode(userCode: string): Promise<DeviceAuthorization | null> {
    return this.rows.findOneBy({ userCodeHash: hashUserCode(userCode), status: 'pending', expiresAt: MoreThan(new Date()) });
  }

  /** The user approved `scopes` (requested ∩ held). False when it was no longer pending. */
  async approve(id: string, userId: string, scopes: readonly string[]): Promise<boolean> {
    const now = new Date();
    const res = await this.rows.update(
      { id, status: 'pending', expiresAt: MoreThan(now) },
      { status: 'approved', userId, scopes: [...scopes], decidedAt: now },
    );
    return (res.affected ?? 0) > 0;
  }

  /** False when it was no longer pending. */
  async deny(id: string, userId: string): Promise<boolean> {
    const now = new Date();
    const res = await this.rows.update({ id, status: 'pending', expiresAt: MoreThan(now) }, { status: 'denied', userId, decidedAt: now });
    return (res.affected ?? 0) > 0;
  }

  /**
   * Records a poll of a pending request. True when it came at least `interval` after the
   * previous one; otherwise (including concurrent polls, of which one wins) the interval
   * grows by 5 s and the answer is false: slow_down (RFC 8628 §3.5).
   */
  async poll(row: DeviceAuthorization): Promise<boolean> {
    const now = new Date();
    const threshold = new Date(now.getTime() - row.intervalSeconds * 1000);
    const onTime = await this.rows.update(
      [
        { id: row.id, intervalSeconds: row.intervalSeconds, lastPolledAt: IsNull() },
        { id: row.id, intervalSeconds: row.intervalSeconds, lastPolledAt: LessThanOrEqual(threshold) },
      ],
      { lastPolledAt: now },
    );
    if ((onTime.affected ?? 0) > 0) return true;
    await this.rows
      .createQueryBuilder()
      .update()
      .set({ lastPolledAt: now, intervalSeconds: () => `interval_seconds + ${SLOW_DOWN_STEP_SECONDS}` })
      .where('id = :id', { id: row.id })
      .execute();
    return false;
  }

  /** Marks a past-expiry request expired. True only for the first caller (it audits the expiry). */
  async expire(id: string): Promise<boolean> {
    const res = await this.rows.update(
      { id, status: In(['pending', 'approved']), expiresAt: LessThanOrEqual(new Date()) },
      { status: 'expired' },
    );
    return (res.affected ?? 0) > 0;
  }

  /**
   * Spends an approved, unexpired device code. A conditional update: of concurrent polls
   * exactly one gets true and the tokens; every other one gets invalid_grant.
   */
  async redeem(id: string): Promise<boolean> {
    const now = new Date();
    const res = await this.rows.update({ id, status: 'approved', expiresAt: MoreThan(now) }, { status: 'redeemed', redeemedAt: now });
    return (res.affected ?? 0) > 0;
  }

  /** The family the redemption started (for the record and for admins tracing a device). */
  async attachGrant(id: string, grantId: string): Promise<void> {
    await this.rows.update({ id }, { grantId });
  }
}

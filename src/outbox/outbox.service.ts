import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { compactDecrypt, CompactEncrypt } from 'jose';
import { hkdfSync } from 'node:crypto';
import { Brackets, IsNull, LessThanOrEqual, Repository } from 'typeorm';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { OutboxMessage } from './outbox-message.entity';

/** Delivers one message; throws to have it retried later. */
export type OutboxHandler = (payload: unknown) => Promise<void>;

/** How long an instance may work on a claimed message before another may take it over. */
const CLAIM_MS = 60_000;
/** Messages looked at per pass. */
const BATCH = 20;
/** Attempts before a message is given up (with the default 1 s base: about 4 days of backoff, capped). */
const MAX_ATTEMPTS = 25;

/**
 * The transactional outbox (issue 22 §3): a request hands work off with `enqueue` (one INSERT)
 * and answers at once, whatever the work would have cost (an SMTP round trip) or revealed (by
 * its timing, whether an account exists). Every instance delivers due messages right after an
 * enqueue and every MAIL_OUTBOX_POLL_MS: each is claimed by a conditional UPDATE (so one
 * instance delivers it), handed to its topic's handler, and on failure retried with exponential
 * backoff (MAIL_RETRY_BASE_MS × 2^attempts, at most 5 minutes) until it succeeds or passes its
 * `notAfter`. A mail-server outage loses no message and blocks no request.
 *
 * Payloads are sealed at rest (they can hold reset links: secrets) with a key derived from the
 * signing keys' key-encryption key, and emptied once done.
 */
@Injectable()
export class OutboxService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Outbox');
  private readonly handlers = new Map<string, OutboxHandler>();
  private readonly key: Uint8Array;
  private timer?: NodeJS.Timeout;
  private draining?: Promise<void>;
  private again = false;
  private stopped = false;

  constructor(
    @InjectRepository(OutboxMessage) private readonly messages: Repository<OutboxMessage>,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    this.key = new Uint8Array(hkdfSync('sha256', config.jwt.keyEncryptionKey, new Uint8Array(0), 'gatehouse outbox payloads v1', 32));
  }

  /** Registers the handler of `topic` (once per topic, from the owning module's constructor). */
  register(topic: string, handler: OutboxHandler): void {
    if (this.handlers.has(topic)) throw new Error(`Outbox topic registered twice: ${topic}`);
    this.handlers.set(topic, handler);
  }

  /**
   * Stores a message for `topic` and schedules delivery after the current request (never in it).
   * `notAfter`: drop it undelivered past this time.
   */
  async enqueue(topic: string, payload: unknown, opts: { notAfter?: Date } = {}): Promise<void> {
    const now = new Date();
    const payloadSealed = await new CompactEncrypt(new TextEncoder().encode(JSON.stringify(payload)))
      .setProtectedHeader({ alg: 'dir', enc: 'A256GCM' })
      .encrypt(this.key);
    await this.messages.insert({
      topic,
      payloadSealed,
      createdAt: now,
      notAfter: opts.notAfter ?? null,
      attempts: 0,
      nextAttemptAt: now,
      lockedUntil: null,
      doneAt: null,
      outcome: null,
      lastError: null,
    });
    setImmediate(() => void this.drain());
  }

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.drain(), this.config.outbox.pollMs);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    await this.draining;
  }

  /** Delivers every due message (one pass at a time per process; a call during a pass runs another after it). */
  drain(): Promise<void> {
    if (this.stopped) return Promise.resolve();
    if (this.draining) {
      this.again = true;
      return this.draining;
    }
    this.draining = (async () => {
      do {
        this.again = false;
        await this.pass().catch((err: unknown) => this.logger.warn(`Outbox pass failed: ${(err as Error).message}`));
      } while (this.again && !this.stopped);
    })().finally(() => (this.draining = undefined));
    return this.draining;
  }

  /** Pending messages (tests, metrics). */
  countPending(topic?: string): Promise<number> {
    return this.messages.countBy({ doneAt: IsNull(), ...(topic ? { topic } : {}) });
  }

  private async pass(): Promise<void> {
    const now = new Date();
    const due = await this.messages.find({
      select: { id: true },
      where: { doneAt: IsNull(), nextAttemptAt: LessThanOrEqual(now) },
      order: { nextAttemptAt: 'ASC' },
      take: BATCH,
    });
    for (const { id } of due) {
      if (this.stopped) return;
      if (await this.claim(id)) await this.deliver(id);
    }
  }

  /** A conditional UPDATE: of the instances trying, one gets the message. */
  private async claim(id: string): Promise<boolean> {
    const now = new Date();
    const res = await this.messages
      .createQueryBuilder()
      .update(OutboxMessage)
      .set({ lockedUntil: new Date(now.getTime() + CLAIM_MS) })
      .where('id = :id', { id })
      .andWhere('done_at IS NULL')
      .andWhere(new Brackets((w) => w.where('locked_until IS NULL').orWhere('locked_until < :now', { now })))
      .execute();
    return (res.affected ?? 0) === 1;
  }

  private async deliver(id: string): Promise<void> {
    const row = await this.messages.findOneBy({ id });
    if (!row || row.doneAt) return;
    const now = new Date();
    if (row.notAfter && row.notAfter.getTime() <= now.getTime()) return this.finish(row, 'expired', row.lastError);
    const handler = this.handlers.get(row.topic);
    if (!handler) return this.finish(row, 'gave_up', `no handler for topic ${row.topic}`);
    try {
      const { plaintext } = await compactDecrypt(row.payloadSealed, this.key);
      await handler(JSON.parse(new TextDecoder().decode(plaintext)));
    } catch (err) {
      const attempts = row.attempts + 1;
      const message = (err instanceof Error ? err.message : String(err)).slice(0, 255);
      if (attempts >= MAX_ATTEMPTS) return this.finish(row, 'gave_up', message);
      const backoff = Math.min(this.config.outbox.retryBaseMs * 2 ** (attempts - 1), this.config.outbox.retryMaxMs);
      await this.messages.update(
        { id },
        { attempts, nextAttemptAt: new Date(Date.now() + backoff), lockedUntil: null, lastError: message },
      );
      this.logger.warn(`Outbox ${row.topic} delivery failed (attempt ${attempts}, next in ${backoff} ms): ${message}`);
      return;
    }
    await this.finish(row, 'delivered', null, row.attempts + 1);
  }

  private async finish(row: OutboxMessage, outcome: string, lastError: string | null, attempts = row.attempts): Promise<void> {
    await this.messages.update({ id: row.id }, { doneAt: new Date(), outcome, payloadSealed: '', lockedUntil: null, lastError, attempts });
    if (outcome !== 'delivered') this.logger.warn(`Outbox ${row.topic} message ${row.id} dropped: ${outcome}`);
  }
}

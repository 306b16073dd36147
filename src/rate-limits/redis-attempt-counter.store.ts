import type Redis from 'ioredis';
import { AttemptCounter, AttemptCounterStore, CounterStoreUnavailableError } from './attempt-counter.store';

const NS = 'gh:attempts:';

/**
 * The shared store (REDIS_URL): one hash per key, `{ n, last }`, updated in one MULTI so the
 * count and its time never disagree; PEXPIRE lets Redis forget it.
 */
export class RedisAttemptCounterStore implements AttemptCounterStore {
  constructor(private readonly redis: Redis) {}

  async read(keys: string[]): Promise<(AttemptCounter | null)[]> {
    if (keys.length === 0) return [];
    const pipeline = this.redis.pipeline();
    for (const k of keys) pipeline.hmget(NS + k, 'n', 'last');
    const rows = await this.run(() => pipeline.exec());
    return rows.map(([, value]) => {
      const [n, last] = (value ?? []) as (string | null)[];
      return n ? { count: Number(n), lastAt: Number(last ?? 0) } : null;
    });
  }

  async hit(keys: string[], ttlMs: number, now: number): Promise<AttemptCounter[]> {
    const multi = this.redis.multi();
    for (const k of keys)
      multi
        .hincrby(NS + k, 'n', 1)
        .hset(NS + k, 'last', now)
        .pexpire(NS + k, ttlMs);
    const rows = await this.run(() => multi.exec());
    return keys.map((_, i) => ({ count: Number(rows[i * 3][1]), lastAt: now }));
  }

  async undo(keys: string[], ttlMs: number): Promise<void> {
    if (keys.length === 0) return;
    // The hit was at most seconds ago, so the hash exists; PEXPIRE again so it can never outlive
    // the window (a counter cleared by an admin meanwhile at worst reads -1 until it expires).
    const multi = this.redis.multi();
    for (const k of keys) multi.hincrby(NS + k, 'n', -1).pexpire(NS + k, ttlMs);
    await this.run(() => multi.exec());
  }

  async delete(keys: string[]): Promise<void> {
    if (keys.length > 0) await this.run(() => this.redis.del(...keys.map((k) => NS + k)));
  }

  async deletePrefix(prefix: string): Promise<number> {
    // SCAN, not KEYS: never blocks Redis, whatever its size. An admin action, so rare.
    return this.run(
      () =>
        new Promise<number>((resolve, reject) => {
          let n = 0;
          const stream = this.redis.scanStream({ match: `${NS}${prefix}*`, count: 500 });
          stream.on('data', (found: string[]) => {
            if (found.length === 0) return;
            stream.pause();
            this.redis.del(...found).then((d) => {
              n += d;
              stream.resume();
            }, reject);
          });
          stream.on('end', () => resolve(n));
          stream.on('error', reject);
        }),
    );
  }

  private async run<T>(op: () => Promise<T | null>): Promise<T> {
    let out: T | null;
    try {
      out = await op();
    } catch (err) {
      throw new CounterStoreUnavailableError(err);
    }
    if (out === null) throw new CounterStoreUnavailableError('transaction aborted');
    // A MULTI or pipeline reports a failed command in its row instead of rejecting.
    if (Array.isArray(out)) {
      const failed = (out as unknown[]).find((row) => Array.isArray(row) && row[0]);
      if (failed) throw new CounterStoreUnavailableError((failed as [Error])[0]);
    }
    return out;
  }
}

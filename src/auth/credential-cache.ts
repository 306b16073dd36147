import { Inject, Injectable } from '@nestjs/common';
import { LRUCache } from 'lru-cache';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { credentialCacheInvalidations, credentialCacheLookups } from '../metrics/metrics';

/**
 * Why the cache was emptied: a local write, a signal from another instance, or a fresh
 * subscription to those signals (some may have been missed while disconnected).
 */
export type InvalidationOrigin = 'local' | 'remote' | 'resubscribe';
export type InvalidationListener = (origin: InvalidationOrigin) => void;

/**
 * A bounded in-process cache of credential lookups (PATs, access tokens, sessions, client
 * secrets), keyed by the credential's hash. It exists so that authenticating a request costs a
 * cache hit instead of a query, without changing revocation semantics:
 *
 * - Entries live at most `CREDENTIAL_CACHE_TTL_MS` (default and maximum 1000 ms), so a write made
 *   by another process (the CLI, another instance) is seen within 1 s even with no signal at all.
 * - Any write that can end or narrow a credential empties the whole cache at once, on this
 *   instance (see CredentialCacheInvalidator: every UPDATE/DELETE through TypeORM, again at
 *   commit), and on the others through `onInvalidate` listeners (the Redis fan-out).
 * - A lookup that started before an invalidation never stores its (possibly stale) result.
 * - Only positive results are stored: unknown tokens cannot fill memory. At most
 *   `CREDENTIAL_CACHE_MAX_ENTRIES` entries (LRU).
 *
 * Callers re-check expiry on every hit; cached values are shared and must not be mutated.
 */
@Injectable()
export class CredentialCache {
  private readonly lru: LRUCache<string, object> | undefined;
  private readonly listeners: InvalidationListener[] = [];
  private epoch = 0;
  private hitCount = 0;
  private missCount = 0;
  /** Per kind, the metric's hit and miss children, bound once: the hot path skips the label lookup. */
  private readonly counters = new Map<string, { hit: { inc(): void }; miss: { inc(): void } }>();

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    const { ttlMs, maxEntries } = config.credentialCache;
    this.lru = ttlMs > 0 && maxEntries > 0 ? new LRUCache<string, object>({ max: maxEntries, ttl: ttlMs, ttlAutopurge: false }) : undefined;
  }

  /** The cached value for `kind` + `key`, else `load()`'s result (stored when not null). */
  async getOrLoad<T extends object>(kind: string, key: string, load: () => Promise<T | null>): Promise<T | null> {
    if (!this.lru) return load();
    const id = `${kind}:${key}`;
    const hit = this.lru.get(id);
    const counters = this.countersFor(kind);
    if (hit !== undefined) {
      this.hitCount++;
      counters.hit.inc();
      return hit as T;
    }
    this.missCount++;
    counters.miss.inc();
    const epoch = this.epoch;
    const value = await load();
    if (value !== null && epoch === this.epoch) this.lru.set(id, value);
    return value;
  }

  /**
   * Empties the cache at once. `origin: 'local'` (a write on this instance) is passed to the
   * listeners so a transport can forward it; a transport delivering another instance's signal
   * calls this with 'remote' or 'resubscribe' (and must not forward it again). Counted in
   * `gatehouse_credential_cache_invalidations_total` by origin.
   */
  invalidateAll(origin: InvalidationOrigin = 'local'): void {
    this.epoch++;
    this.lru?.clear();
    credentialCacheInvalidations.inc({ origin });
    for (const listener of this.listeners) listener(origin);
  }

  /** Registers a listener called after every invalidation (e.g. to publish it to other instances). */
  onInvalidate(listener: InvalidationListener): void {
    this.listeners.push(listener);
  }

  private countersFor(kind: string): { hit: { inc(): void }; miss: { inc(): void } } {
    let counters = this.counters.get(kind);
    if (!counters) {
      // `kind` is one of the callers' constant names (pat, session, …), never a credential.
      counters = { hit: credentialCacheLookups.labels(kind, 'hit'), miss: credentialCacheLookups.labels(kind, 'miss') };
      this.counters.set(kind, counters);
    }
    return counters;
  }

  /** Entries, hits and misses since start (tests, metrics). */
  stats(): { size: number; max: number; hits: number; misses: number } {
    return { size: this.lru?.size ?? 0, max: this.lru?.max ?? 0, hits: this.hitCount, misses: this.missCount };
  }
}

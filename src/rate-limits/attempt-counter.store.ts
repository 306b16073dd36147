/** A failure counter: how many, and when the last one happened (epoch ms). */
export interface AttemptCounter {
  count: number;
  lastAt: number;
}

/**
 * Where failure counters live (sign-in throttling). In-process by default; in Redis when
 * REDIS_URL is set, so that every instance sees the same counts. Keys are opaque strings
 * chosen by the caller (never an email in clear: callers hash it).
 *
 * Errors: a store that cannot answer (Redis down) rejects with `CounterStoreUnavailableError`;
 * callers decide whether to fail open or closed.
 */
export interface AttemptCounterStore {
  /** The counters of these keys, in order; `null` for a key with none (or expired). */
  read(keys: string[]): Promise<(AttemptCounter | null)[]>;
  /** Adds one to each key at `now`; each then expires `ttlMs` after this hit. Returns the new counters. */
  hit(keys: string[], ttlMs: number, now: number): Promise<AttemptCounter[]>;
  /**
   * Takes back one hit of each key (an attempt counted before its outcome was known turned out
   * not to be a failure); each then expires `ttlMs` from now. A key with no counter is left alone.
   */
  undo(keys: string[], ttlMs: number): Promise<void>;
  /** Forgets these keys. */
  delete(keys: string[]): Promise<void>;
  /** Forgets every key starting with `prefix`; returns how many there were. */
  deletePrefix(prefix: string): Promise<number>;
}

export const ATTEMPT_COUNTER_STORE = Symbol('ATTEMPT_COUNTER_STORE');

/** The shared store did not answer: sign-in fails closed with 503 + Retry-After. */
export class CounterStoreUnavailableError extends Error {
  constructor(cause: unknown) {
    super(`Counter store unavailable: ${cause instanceof Error ? cause.message : String(cause)}`);
  }
}

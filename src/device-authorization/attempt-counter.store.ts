/** A counter's state after an increment. */
export interface AttemptCount {
  /** Attempts in the current window, this one included. */
  count: number;
  /** Milliseconds until the window ends and the counter starts again from zero. */
  resetInMs: number;
}

/**
 * Fixed-window attempt counters, keyed by strings. The one thing a shared deployment swaps:
 * bind ATTEMPT_COUNTER_STORE to an implementation over a shared store (an atomic INCR with
 * PEXPIRE on first use, in Redis) and every instance sees the same counts.
 */
export interface AttemptCounterStore {
  /** Adds one attempt to `key`, starting a `windowMs` window if none is running. Atomic per key. */
  increment(key: string, windowMs: number): Promise<AttemptCount>;
}

/** Injection token of the AttemptCounterStore. */
export const ATTEMPT_COUNTER_STORE = Symbol('AttemptCounterStore');

import type { AttemptCounter, AttemptCounterStore } from './attempt-counter.store';

interface Entry extends AttemptCounter {
  expiresAt: number;
}

/** The single-process store (no REDIS_URL): a Map, swept when it grows large. */
export class MemoryAttemptCounterStore implements AttemptCounterStore {
  private readonly entries = new Map<string, Entry>();

  async read(keys: string[]): Promise<(AttemptCounter | null)[]> {
    const now = Date.now();
    return keys.map((k) => {
      const e = this.entries.get(k);
      return e && e.expiresAt > now ? { count: e.count, lastAt: e.lastAt } : null;
    });
  }

  async hit(keys: string[], ttlMs: number, now: number): Promise<AttemptCounter[]> {
    if (this.entries.size > 100_000) this.sweep(Date.now());
    return keys.map((k) => {
      const e = this.entries.get(k);
      const count = e && e.expiresAt > Date.now() ? e.count + 1 : 1;
      this.entries.set(k, { count, lastAt: now, expiresAt: Date.now() + ttlMs });
      return { count, lastAt: now };
    });
  }

  async undo(keys: string[], ttlMs: number): Promise<void> {
    const now = Date.now();
    for (const k of keys) {
      const e = this.entries.get(k);
      if (!e || e.expiresAt <= now) continue;
      if (e.count <= 1) this.entries.delete(k);
      else this.entries.set(k, { ...e, count: e.count - 1, expiresAt: now + ttlMs });
    }
  }

  async delete(keys: string[]): Promise<void> {
    for (const k of keys) this.entries.delete(k);
  }

  async deletePrefix(prefix: string): Promise<number> {
    let n = 0;
    for (const k of [...this.entries.keys()]) if (k.startsWith(prefix) && this.entries.delete(k)) n++;
    return n;
  }

  private sweep(now: number): void {
    for (const [k, e] of this.entries) if (e.expiresAt <= now) this.entries.delete(k);
  }
}

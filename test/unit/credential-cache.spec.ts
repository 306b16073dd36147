import { CredentialCache } from '../../src/auth/credential-cache';
import type { AppConfig } from '../../src/config/app-config';

const cacheOf = (ttlMs = 1000, maxEntries = 100) => new CredentialCache({ credentialCache: { ttlMs, maxEntries } } as AppConfig);

describe('CredentialCache', () => {
  it('serves a stored lookup from memory until it is invalidated', async () => {
    const cache = cacheOf();
    const load = jest.fn(async () => ({ id: 'pat-1' }));
    expect(await cache.getOrLoad('pat', 'h1', load)).toEqual({ id: 'pat-1' });
    expect(await cache.getOrLoad('pat', 'h1', load)).toEqual({ id: 'pat-1' });
    expect(load).toHaveBeenCalledTimes(1);
    cache.invalidateAll();
    await cache.getOrLoad('pat', 'h1', load);
    expect(load).toHaveBeenCalledTimes(2);
  });

  it('never stores a negative result, so unknown tokens cannot fill memory', async () => {
    const cache = cacheOf();
    for (let i = 0; i < 1000; i++) expect(await cache.getOrLoad('pat', `unknown-${i}`, async () => null)).toBeNull();
    expect(cache.stats().size).toBe(0);
  });

  it('is bounded: at most CREDENTIAL_CACHE_MAX_ENTRIES, least recently used evicted first', async () => {
    const cache = cacheOf(1000, 50);
    for (let i = 0; i < 500; i++) await cache.getOrLoad('pat', `h${i}`, async () => ({ i }));
    expect(cache.stats().size).toBe(50);
    const load = jest.fn(async () => ({ again: true }));
    await cache.getOrLoad('pat', 'h499', load);
    expect(load).not.toHaveBeenCalled();
    await cache.getOrLoad('pat', 'h0', load);
    expect(load).toHaveBeenCalledTimes(1);
  });

  it('expires entries after the TTL (a revocation by another process is seen within it)', async () => {
    const cache = cacheOf(30);
    const load = jest.fn(async () => ({ id: 'x' }));
    await cache.getOrLoad('pat', 'h', load);
    await new Promise((r) => setTimeout(r, 60));
    await cache.getOrLoad('pat', 'h', load);
    expect(load).toHaveBeenCalledTimes(2);
  });

  it('does not store what a lookup read before an invalidation that happened while it ran', async () => {
    const cache = cacheOf();
    let release!: () => void;
    const slow = cache.getOrLoad('pat', 'h', () => new Promise<{ stale: boolean }>((r) => (release = () => r({ stale: true }))));
    cache.invalidateAll();
    release();
    expect(await slow).toEqual({ stale: true });
    const load = jest.fn(async () => ({ stale: false }));
    expect(await cache.getOrLoad('pat', 'h', load)).toEqual({ stale: false });
    expect(load).toHaveBeenCalledTimes(1);
  });

  it('tells listeners of every invalidation and where it came from (the cross-instance fan-out hooks in here)', () => {
    const cache = cacheOf();
    const seen: string[] = [];
    cache.onInvalidate((origin) => seen.push(origin));
    cache.invalidateAll();
    cache.invalidateAll('remote');
    expect(seen).toEqual(['local', 'remote']);
  });

  it('with CREDENTIAL_CACHE_TTL_MS=0 always asks the database', async () => {
    const cache = cacheOf(0);
    const load = jest.fn(async () => ({ id: 'x' }));
    await cache.getOrLoad('pat', 'h', load);
    await cache.getOrLoad('pat', 'h', load);
    expect(load).toHaveBeenCalledTimes(2);
  });
});

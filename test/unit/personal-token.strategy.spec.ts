import type { FastifyRequest } from 'fastify';
import type { Repository } from 'typeorm';
import type { AuditService } from '../../src/audit/audit.service';
import { AuthStrategyRegistry } from '../../src/auth/auth-strategy-registry';
import { TokenKindRegistry } from '../../src/auth/token-kind.registry';
import { CredentialCache } from '../../src/auth/credential-cache';
import { InvalidTokenError } from '../../src/auth/errors/auth.errors';
import { PrincipalFactory } from '../../src/auth/principal.factory';
import { ScopeRegistry } from '../../src/auth/scope-registry';
import { generateToken, hashToken } from '../../src/auth/token-format';
import type { AppConfig } from '../../src/config/app-config';
import { DEVICE_SCOPES } from '../../src/devices/devices.scopes';
import type { PersonalToken } from '../../src/personal-tokens/personal-token.entity';
import { PAT_BEARER_STRATEGY, PersonalTokenStrategy } from '../../src/personal-tokens/personal-token.strategy';
import { PersonalTokensService } from '../../src/personal-tokens/personal-tokens.service';
import { PAT_TOKEN } from '../../src/personal-tokens/personal-token.token-kind';
import { ACCESS_TOKEN } from '../../src/access-tokens/access-token.token-kind';

/**
 * A repository stand-in that records every method called on it (and on the query builders it
 * hands out), so a test can prove the database was never asked.
 */
function recordingRepository(found: PersonalToken | null) {
  const calls: string[] = [];
  const chain = (prefix: string): unknown =>
    new Proxy(
      {},
      {
        get: (_target, prop) => {
          if (prop === 'then') return undefined;
          return (...args: unknown[]) => {
            calls.push(`${prefix}${String(prop)}`);
            if (prop === 'getOne') return Promise.resolve(found);
            if (prop === 'update') return Promise.resolve({ affected: 1 });
            void args;
            return chain(`${prefix}${String(prop)}.`);
          };
        },
      },
    );
  return { repo: chain('') as Repository<PersonalToken>, calls };
}

function setup(found: PersonalToken | null = null) {
  const scopes = new ScopeRegistry();
  scopes.register(DEVICE_SCOPES);
  const registry = new AuthStrategyRegistry(new TokenKindRegistry());
  const { repo, calls } = recordingRepository(found);
  const config = { personalTokens: { defaultExpiryDays: 90, maxExpiryDays: 366, allowNeverExpires: false } } as AppConfig;
  const service = new PersonalTokensService(
    repo,
    scopes,
    {} as AuditService,
    config,
    new CredentialCache({ credentialCache: { ttlMs: 0, maxEntries: 0 } } as AppConfig),
  );
  const strategy = new PersonalTokenStrategy(service, new PrincipalFactory(scopes), registry);
  return { strategy, calls, registry };
}

const req = { ip: '203.0.113.7' } as FastifyRequest;

function storedToken(plaintext: string, overrides: Partial<PersonalToken> = {}, user: Record<string, unknown> = {}): PersonalToken {
  return {
    id: '6f1c2d2e-0000-4000-8000-000000000001',
    userId: 'u1',
    name: 'script',
    tokenHash: hashToken(plaintext),
    hint: 'ghpat_…xxxx',
    scopes: ['read:device', 'write:device'],
    createdAt: new Date(),
    expiresAt: new Date(Date.now() + 86_400_000),
    lastUsedAt: null,
    lastUsedIp: null,
    revokedAt: null,
    user: { id: 'u1', email: 'a@example.test', displayName: 'A', roles: ['viewer'], status: 'active', ...user },
    ...overrides,
  } as PersonalToken;
}

describe('PersonalTokenStrategy (pat-bearer)', () => {
  it('registers itself as the bearer strategy of the PAT prefix', () => {
    const { registry } = setup();
    expect(registry.strategiesFor('bearer').map((c) => c.strategy)).toEqual([PAT_BEARER_STRATEGY]);
    expect(registry.claimFor('bearer', generateToken(PAT_TOKEN))?.strategy).toBe(PAT_BEARER_STRATEGY);
  });

  it.each([
    ['too short', 'ghpat_abc'],
    [
      'bad checksum',
      (() => {
        const t = generateToken(PAT_TOKEN);
        return t.slice(0, -1) + (t.endsWith('A') ? 'B' : 'A');
      })(),
    ],
    ['characters outside base62', `ghpat_${'-'.repeat(36)}`],
    ['too long', `${generateToken(PAT_TOKEN)}x`],
    ['empty after the prefix', 'ghpat_'],
  ])('rejects a PAT-prefixed token that is %s with invalid_token, without touching the repository', async (_label, token) => {
    const { strategy, calls } = setup();
    await expect(strategy.validate(req, token)).rejects.toBeInstanceOf(InvalidTokenError);
    expect(calls).toEqual([]);
  });

  it.each([
    ['an OAuth access token', generateToken(ACCESS_TOKEN)],
    ['a random string', 'abc.def.ghi'],
  ])('does not claim %s: returns false (the next bearer strategy tries) without touching the repository', async (_label, token) => {
    const { strategy, calls } = setup();
    await expect(strategy.validate(req, token)).resolves.toBe(false);
    expect(calls).toEqual([]);
  });

  it('looks a well-formed but unknown PAT up once, by hash, and rejects it', async () => {
    const { strategy, calls } = setup(null);
    await expect(strategy.validate(req, generateToken(PAT_TOKEN))).rejects.toBeInstanceOf(InvalidTokenError);
    expect(calls.filter((c) => c.endsWith('getOne'))).toHaveLength(1);
    expect(calls).not.toContain('update');
  });

  it('returns the user as principal with effective scopes = granted ∩ held, and records first use', async () => {
    const token = generateToken(PAT_TOKEN);
    const { strategy, calls } = setup(storedToken(token));
    const principal = await strategy.validate(req, token);
    expect(principal).toMatchObject({
      actor: { type: 'user', id: 'u1' },
      credential: { kind: 'pat', id: '6f1c2d2e-0000-4000-8000-000000000001' },
    });
    // A viewer holds read:device only, whatever the token was granted.
    expect(principal && [...principal.scopes]).toEqual(['read:device']);
    expect(calls.filter((c) => c === 'update')).toHaveLength(1);
  });

  it('does not write last use again within a minute', async () => {
    const token = generateToken(PAT_TOKEN);
    const { strategy, calls } = setup(storedToken(token, { lastUsedAt: new Date(Date.now() - 10_000) }));
    await expect(strategy.validate(req, token)).resolves.toBeTruthy();
    expect(calls).not.toContain('update');
  });

  it.each([
    ['expired', { expiresAt: new Date(Date.now() - 1) }, {}],
    ['owned by a disabled user', {}, { status: 'disabled' }],
  ])('rejects a token that is %s', async (_label, overrides, user) => {
    const token = generateToken(PAT_TOKEN);
    const { strategy } = setup(storedToken(token, overrides, user));
    await expect(strategy.validate(req, token)).rejects.toBeInstanceOf(InvalidTokenError);
  });

  it('accepts a token that never expires', async () => {
    const token = generateToken(PAT_TOKEN);
    const { strategy } = setup(storedToken(token, { expiresAt: null }));
    await expect(strategy.validate(req, token)).resolves.toBeTruthy();
  });
});

import type { ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { PassportStrategy } from '@nestjs/passport';
import type { FastifyRequest } from 'fastify';
import { Strategy } from 'passport-http-bearer';
import { AuthDenialListeners } from '../../src/auth/auth-denial-listeners';
import { AuthStrategyRegistry } from '../../src/auth/auth-strategy-registry';
import { AuthenticationGuard } from '../../src/auth/authentication.guard';
import { InvalidTokenError } from '../../src/auth/errors/auth.errors';
import type { Principal } from '../../src/auth/principal';
import { defineTokenKind, generateToken } from '../../src/auth/token-format';
import { TokenKindRegistry } from '../../src/auth/token-kind.registry';
import type { AppConfig } from '../../src/config/app-config';

// Kinds standing for any module's: the auth core must work with prefixes it has never heard of.
const ALPHA = defineTokenKind('tkalpha', 'test alpha token');
const BETA = defineTokenKind('tkbeta', 'test beta token');
const looksLikeJwt = (t: string) => /^[\w-]+\.[\w-]+\.[\w-]+$/.test(t);

/** Every token a test strategy was handed: what "a strategy ran" (and so a lookup happened) means here. */
const seen: Record<string, string[]> = { alpha: [], beta: [], jwt: [] };

function testStrategy(name: keyof typeof seen) {
  class TestBearer extends PassportStrategy(Strategy, `test-${name}-bearer`) {
    validate(token: string): Principal {
      seen[name].push(token);
      return { actor: { type: 'user', id: name }, credential: { kind: `test_${name}`, id: token }, scopes: new Set() };
    }
  }
  return new TestBearer();
}

function registries() {
  const tokenKinds = new TokenKindRegistry();
  const strategies = new AuthStrategyRegistry(tokenKinds);
  strategies.register({ scheme: 'bearer', strategy: 'test-alpha-bearer', token: ALPHA, credentialKind: 'test_alpha' });
  strategies.register({ scheme: 'bearer', strategy: 'test-beta-bearer', token: BETA, credentialKind: 'test_beta' });
  strategies.register({ scheme: 'bearer', strategy: 'test-jwt-bearer', credentialKind: 'test_jwt', matches: looksLikeJwt });
  return { tokenKinds, strategies };
}

describe('TokenKindRegistry', () => {
  it('refuses a second definition of a prefix at start-up, naming both', () => {
    const registry = new TokenKindRegistry();
    registry.register(ALPHA);
    expect(() => registry.register(defineTokenKind('tkalpha', 'an impostor'))).toThrow(
      /tkalpha_ is registered twice: test alpha token, an impostor/,
    );
  });

  it('takes the same definition twice (its strategy and its token type both register it) and lists kinds by prefix', () => {
    const registry = new TokenKindRegistry();
    registry.register(BETA, ALPHA);
    registry.register(ALPHA);
    expect(registry.all()).toEqual([ALPHA, BETA]);
    expect(registry.find('tkbeta')).toBe(BETA);
  });
});

describe('AuthStrategyRegistry', () => {
  it('registers each claimed token kind in the TokenKindRegistry', () => {
    const { tokenKinds } = registries();
    expect(tokenKinds.all()).toEqual([ALPHA, BETA]);
  });

  it('refuses two strategies claiming one prefix, and a prefix another module defined differently', () => {
    const { strategies } = registries();
    expect(() => strategies.register({ scheme: 'bearer', strategy: 'other', token: ALPHA, credentialKind: 'x' })).toThrow(
      /tkalpha_ is claimed by test-alpha-bearer and other/,
    );
    // Another scheme, but the prefix is already another kind's: still refused at start-up.
    expect(() =>
      strategies.register({ scheme: 'secret', strategy: 'other', token: defineTokenKind('tkbeta', 'another beta'), credentialKind: 'x' }),
    ).toThrow(/tkbeta_ is registered twice/);
  });

  it('refuses a Bearer strategy that claims nothing, and a strategy name twice', () => {
    const { strategies } = registries();
    expect(() => strategies.register({ scheme: 'bearer', strategy: 'vague', credentialKind: 'x' })).toThrow(/claims no token/);
    expect(() =>
      strategies.register({ scheme: 'bearer', strategy: 'test-alpha-bearer', token: defineTokenKind('tkgamma', 'g'), credentialKind: 'x' }),
    ).toThrow(/registered twice/);
  });

  it('dispatches by prefix; matchers only see prefix-less tokens; unknown prefixes go nowhere', () => {
    const { strategies } = registries();
    expect(strategies.claimFor('bearer', generateToken(ALPHA))?.strategy).toBe('test-alpha-bearer');
    expect(strategies.claimFor('bearer', generateToken(BETA))?.credentialKind).toBe('test_beta');
    expect(strategies.claimFor('bearer', 'eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln')?.strategy).toBe('test-jwt-bearer');
    expect(strategies.claimFor('bearer', 'tkgamma_abc')).toBeUndefined();
    expect(strategies.claimFor('bearer', 'no-prefix-at-all')).toBeUndefined();
    // A prefix is claimed per scheme: the same token under another scheme is nobody's.
    expect(strategies.claimFor('secret', generateToken(ALPHA))).toBeUndefined();
  });
});

describe('AuthenticationGuard dispatch (hot path)', () => {
  const config = { session: { cookieName: 'gh_session' } } as AppConfig;
  let guard: AuthenticationGuard;

  beforeAll(() => {
    (Object.keys(seen) as (keyof typeof seen)[]).forEach(testStrategy);
    guard = new AuthenticationGuard(new Reflector(), registries().strategies, config, new AuthDenialListeners());
  });

  beforeEach(() => Object.values(seen).forEach((list) => (list.length = 0)));

  function contextFor(authorization: string): { ctx: ExecutionContext; req: FastifyRequest } {
    const req = {
      headers: { authorization },
      query: {},
      body: undefined,
      cookies: {},
      url: '/me',
      method: 'GET',
    } as unknown as FastifyRequest;
    const res = { setHeader: () => undefined, end: () => undefined };
    const handler = () => undefined;
    const ctx = {
      getHandler: () => handler,
      getClass: () => class Route {},
      getType: () => 'http',
      getArgs: () => [req, res],
      switchToHttp: () => ({ getRequest: () => req, getResponse: () => res, getNext: () => undefined }),
    } as unknown as ExecutionContext;
    return { ctx, req };
  }

  it('hands a token to the one strategy claiming its prefix, and no other', async () => {
    const alpha = generateToken(ALPHA);
    const { ctx, req } = contextFor(`Bearer ${alpha}`);
    await expect(guard.canActivate(ctx)).resolves.toBe(true);
    expect(req.user?.credential).toEqual({ kind: 'test_alpha', id: alpha });
    expect(seen).toEqual({ alpha: [alpha], beta: [], jwt: [] });

    const beta = generateToken(BETA);
    await expect(guard.canActivate(contextFor(`Bearer ${beta}`).ctx)).resolves.toBe(true);
    expect(seen).toEqual({ alpha: [alpha], beta: [beta], jwt: [] });
  });

  it('hands a prefix-less token to the strategy whose matcher claims it', async () => {
    const jwt = 'eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln';
    await expect(guard.canActivate(contextFor(`Bearer ${jwt}`).ctx)).resolves.toBe(true);
    expect(seen).toEqual({ alpha: [], beta: [], jwt: [jwt] });
  });

  it.each([
    ['an unregistered prefix', 'tkgamma_0123456789abcdefghijABCDEFGHIJ012345'],
    ['no prefix and no matcher', 'opaque-garbage'],
  ])('answers %s with 401 invalid_token (RFC 6750 §3.1) before any strategy runs, so without a lookup', async (_label, token) => {
    const error = await guard.canActivate(contextFor(`Bearer ${token}`).ctx).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidTokenError);
    expect(error).toMatchObject({ status: 401, code: 'invalid_token' });
    expect((error as InvalidTokenError).wwwAuthenticate).toMatch(/^Bearer realm="gatehouse", error="invalid_token"/);
    expect(seen).toEqual({ alpha: [], beta: [], jwt: [] });
  });
});

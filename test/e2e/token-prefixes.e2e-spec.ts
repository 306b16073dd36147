import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { AuthStrategyRegistry } from '../../src/auth/auth-strategy-registry';
import { generateToken } from '../../src/auth/token-format';
import { TokenKindRegistry } from '../../src/auth/token-kind.registry';
import { startTestApp, TestApp } from './support/test-app';

/**
 * The token prefixes come from the modules that own them (TokenKindRegistry); the README's table
 * for secret scanners is checked against what the running app registered, so a module adding a
 * kind cannot forget the README and a removed kind cannot linger there.
 */
describe('token prefixes: registered by their modules, listed in the README', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  /** `| \`ghpat_\` | personal access token |` rows of the "Token formats (for secret scanners)" section. */
  function readmeTable(): Map<string, string> {
    const readme = readFileSync(join(__dirname, '..', '..', 'README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('### Token formats (for secret scanners)'));
    const table = section.slice(0, section.indexOf('\n### '));
    return new Map([...table.matchAll(/^\| `([a-z]+)_` \| (.+?) \|$/gm)].map((m) => [m[1], m[2]]));
  }

  it('the README lists every registered prefix with its description, and nothing else', () => {
    const registered = new Map(
      t
        .get<TokenKindRegistry>(TokenKindRegistry)
        .all()
        .map((k) => [k.prefix, k.description]),
    );
    expect(registered.size).toBeGreaterThanOrEqual(10);
    expect(Object.fromEntries(readmeTable())).toEqual(Object.fromEntries(registered));
  });

  it('the README states the pattern every registered kind matches', () => {
    const readme = readFileSync(join(__dirname, '..', '..', 'README.md'), 'utf8');
    expect(readme).toContain('`^<prefix>_[0-9A-Za-z]{36}$`');
    for (const kind of t.get<TokenKindRegistry>(TokenKindRegistry).all()) {
      expect(kind.pattern.source).toBe(`^${kind.prefix}_[0-9A-Za-z]{36}$`);
      expect(generateToken(kind)).toMatch(kind.pattern);
    }
  });

  it('every Bearer and Secret strategy claims a registered prefix or a prefix-less shape (JWT)', () => {
    const strategies = t.get<AuthStrategyRegistry>(AuthStrategyRegistry);
    const kinds = t.get<TokenKindRegistry>(TokenKindRegistry);
    const claims = [...strategies.strategiesFor('bearer'), ...strategies.strategiesFor('secret')];
    expect(claims.map((c) => c.strategy).sort()).toEqual([
      'bot-bearer',
      'client-secret',
      'impersonation-bearer',
      'jwt-access-bearer',
      'oauth-access-bearer',
      'pat-bearer',
    ]);
    for (const claim of claims) {
      if (claim.token) expect(kinds.find(claim.token.prefix)).toBe(claim.token);
      else expect(claim.matches).toBeDefined();
    }
  });
});

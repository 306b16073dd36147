import { getMetadataStorage } from 'class-validator';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { withGeneratedTable } from '../../scripts/docs-config';
import { ConfigValidationError } from '../../src/config/app-config';
import { configurationHelp, ENVIRONMENTS, loadAppConfig } from '../../src/configuration';

/** The variables a schema class validates (its decorated properties). */
const declared = (schema: new () => object) => [
  ...new Set(
    getMetadataStorage()
      .getTargetValidationMetadatas(schema, '', true, false)
      .map((m) => m.propertyName),
  ),
];

describe('configuration: each module declares its own variables, one place composes them', () => {
  it('every declared variable has exactly one README row in its own module, and every row names declared variables', () => {
    const problems: string[] = [];
    const owner = new Map<string, string>();
    for (const d of ENVIRONMENTS) {
      const vars = declared(d.schema);
      expect(vars.length).toBeGreaterThan(0);
      for (const v of vars) {
        if (owner.has(v)) problems.push(`${v} is declared by ${owner.get(v)} and ${d.module}`);
        owner.set(v, d.module);
      }
      const inRows = d.rows.flatMap((r) => r.names);
      for (const v of vars)
        if (inRows.filter((n) => n === v).length !== 1)
          problems.push(`${d.module}: ${v} is in ${inRows.filter((n) => n === v).length} rows`);
      for (const n of inRows) if (!vars.includes(n)) problems.push(`${d.module}: a row names ${n}, which its schema does not declare`);
    }
    expect(problems).toEqual([]);
    expect(owner.size).toBeGreaterThan(60);
  });

  it("the README's configuration table is the generated one (npm run docs:config rewrites it)", () => {
    const readme = readFileSync(join(__dirname, '..', '..', 'README.md'), 'utf8');
    expect(withGeneratedTable(readme)).toBe(readme);
  });

  it('--help lists every row with its default', () => {
    const help = configurationHelp().join('\n');
    expect(help).toContain('PORT / HOST  [default: 3000 / 127.0.0.1]');
    expect(help).toContain('SESSION_KEYS (secret)');
    expect(help).not.toContain('`');
  });

  it('refuses to start with one message that lists every problem, from every module', () => {
    let message = '';
    try {
      loadAppConfig({
        PORT: 'x',
        REDIS_URL: 'http://x',
        DEVICE_CODE_TTL_SECONDS: '0',
        PAT_DEFAULT_EXPIRY_DAYS: '400',
        PAT_MAX_EXPIRY_DAYS: '300',
      });
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigValidationError);
      message = (err as Error).message;
    }
    expect(message.split('\n')[0]).toBe('Invalid configuration:');
    for (const name of ['PORT', 'REDIS_URL', 'DEVICE_CODE_TTL_SECONDS', 'PAT_DEFAULT_EXPIRY_DAYS must not exceed'])
      expect(message).toContain(`  - ${name}`);
  });

  it('merges slices of one object from several modules (oauth: access-tokens, clients, oauth)', () => {
    expect(loadAppConfig({}).oauth).toEqual({
      accessTokenTtlSeconds: 3600,
      clientSecretGraceMs: 24 * 3_600_000,
      tokenRateLimit: { perClient: 60, perIp: 300, windowMs: 60_000 },
    });
  });
});

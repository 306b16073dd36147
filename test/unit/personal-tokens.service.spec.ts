import { CredentialCache } from '../../src/auth/credential-cache';
import { BadRequestException } from '@nestjs/common';
import type { Repository } from 'typeorm';
import type { AuditService } from '../../src/audit/audit.service';
import type { Principal } from '../../src/auth/principal';
import { ScopeRegistry } from '../../src/auth/scope-registry';
import { hashToken, isWellFormed } from '../../src/auth/token-format';
import type { AppConfig } from '../../src/config/app-config';
import { DEVICE_SCOPES } from '../../src/devices/devices.scopes';
import type { PersonalToken } from '../../src/personal-tokens/personal-token.entity';
import { PersonalTokensService } from '../../src/personal-tokens/personal-tokens.service';
import { PAT_TOKEN } from '../../src/personal-tokens/personal-token.token-kind';

const DAY_MS = 86_400_000;
const meta = { ip: '127.0.0.1', userAgent: null, requestId: 'r1' };
const owner: Principal = {
  actor: { type: 'user', id: 'u1' },
  user: { id: 'u1', email: 'a@example.test', displayName: 'A', roles: ['user'] },
  credential: { kind: 'session', id: 's1' },
  scopes: new Set(['read:device', 'write:device']),
};

function setup(personalTokens: AppConfig['personalTokens']) {
  const saved: Partial<PersonalToken>[] = [];
  const repo = {
    create: (v: Partial<PersonalToken>) => v,
    save: async (v: Partial<PersonalToken>) => {
      saved.push(v);
      return { ...v, id: 'pat-1' };
    },
  } as unknown as Repository<PersonalToken>;
  const audited: unknown[] = [];
  const audit = { recordFor: async (_p: unknown, r: unknown) => void audited.push(r) } as unknown as AuditService;
  const scopes = new ScopeRegistry();
  scopes.register(DEVICE_SCOPES);
  return {
    service: new PersonalTokensService(
      repo,
      scopes,
      audit,
      { personalTokens } as AppConfig,
      new CredentialCache({ credentialCache: { ttlMs: 0, maxEntries: 0 } } as AppConfig),
    ),
    saved,
    audited,
  };
}

describe('PersonalTokensService.createFor', () => {
  it('stores the hash, never the plaintext, and uses the configured default expiry', async () => {
    const { service, saved, audited } = setup({ defaultExpiryDays: 30, maxExpiryDays: 366, allowNeverExpires: false });
    const { plaintext, token } = await service.createFor(owner, { name: 'n', scopes: ['write:device', 'read:device'] }, meta);
    expect(isWellFormed(PAT_TOKEN, plaintext)).toBe(true);
    expect(saved[0].tokenHash).toBe(hashToken(plaintext));
    expect(JSON.stringify(saved)).not.toContain(plaintext);
    expect(JSON.stringify(audited)).not.toContain(plaintext);
    expect(token.scopes).toEqual(['read:device', 'write:device']);
    expect(token.expiresAt!.getTime() - token.createdAt.getTime()).toBe(30 * DAY_MS);
  });

  it('accepts "never expires" (null) only where configuration allows it', async () => {
    const allowed = setup({ defaultExpiryDays: 90, maxExpiryDays: 366, allowNeverExpires: true });
    const { token } = await allowed.service.createFor(owner, { name: 'n', scopes: ['read:device'], expiresInDays: null }, meta);
    expect(token.expiresAt).toBeNull();

    const forbidden = setup({ defaultExpiryDays: 90, maxExpiryDays: 366, allowNeverExpires: false });
    await expect(
      forbidden.service.createFor(owner, { name: 'n', scopes: ['read:device'], expiresInDays: null }, meta),
    ).rejects.toBeInstanceOf(BadRequestException);
    expect(forbidden.saved).toEqual([]);
  });

  it('honours a lower configured maximum', async () => {
    const { service, saved } = setup({ defaultExpiryDays: 7, maxExpiryDays: 30, allowNeverExpires: false });
    await expect(service.createFor(owner, { name: 'n', scopes: ['read:device'], expiresInDays: 31 }, meta)).rejects.toThrow('from 1 to 30');
    expect(saved).toEqual([]);
  });
});

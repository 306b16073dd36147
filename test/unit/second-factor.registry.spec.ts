import { SecondFactorRegistry, type SecondFactorKind } from '../../src/mfa/second-factor.registry';

function kind(id: string, order: number, users: string[], standalone = true): SecondFactorKind {
  return {
    id,
    label: id,
    order,
    standalone,
    challengePath: `/login/${id}`,
    enrolPath: `/account/${id}`,
    enrolledAmong: async (ids) => new Set(ids.filter((u) => users.includes(u))),
    describe: async (u) => (users.includes(u) ? id : null),
    resetForUser: async () => 0,
  };
}

describe('SecondFactorRegistry', () => {
  it('keeps kinds in order, refuses a duplicate or malformed id', () => {
    const r = new SecondFactorRegistry();
    r.register(kind('passkey', 20, []));
    r.register(kind('totp', 10, []));
    expect(r.all().map((k) => k.id)).toEqual(['totp', 'passkey']);
    expect(() => r.register(kind('totp', 5, []))).toThrow(/twice/);
    expect(() => r.register(kind('Bad Id', 5, []))).toThrow(/invalid/);
  });

  it('a fallback kind alone is not a factor; enrolledForMany maps each user', async () => {
    const r = new SecondFactorRegistry();
    r.register(kind('totp', 10, ['a']));
    r.register(kind('recovery-code', 90, ['a', 'b'], false));
    expect(await r.hasFactor('a')).toBe(true);
    expect(await r.hasFactor('b')).toBe(false);
    const many = await r.enrolledForMany(['a', 'b', 'c']);
    expect(many.get('a')?.map((k) => k.id)).toEqual(['totp', 'recovery-code']);
    expect(many.get('b')?.map((k) => k.id)).toEqual(['recovery-code']);
    expect(many.get('c')).toEqual([]);
  });
});

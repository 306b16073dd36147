import { ScopeRegistry } from '../../src/auth/scope-registry';

describe('ScopeRegistry', () => {
  function registry() {
    const r = new ScopeRegistry();
    r.register([
      { name: 'read:device', description: 'Read devices', grantedTo: ['admin', 'user', 'viewer'] },
      { name: 'write:device', description: 'Write devices', grantedTo: ['admin', 'user'] },
      { name: 'admin', description: 'Administer', grantedTo: ['admin'] },
    ]);
    return r;
  }

  describe('permissionsFor', () => {
    it('maps each role to the scopes declared for it', () => {
      const r = registry();
      expect([...r.permissionsFor(['viewer'])]).toEqual(['read:device']);
      expect([...r.permissionsFor(['user'])].sort()).toEqual(['read:device', 'write:device']);
      expect([...r.permissionsFor(['admin'])].sort()).toEqual(['admin', 'read:device', 'write:device']);
    });

    it('unites several roles, and gives nothing to no role or an unknown one', () => {
      const r = registry();
      expect([...r.permissionsFor(['viewer', 'user'])].sort()).toEqual(['read:device', 'write:device']);
      expect(r.permissionsFor([]).size).toBe(0);
      expect(r.permissionsFor(['superuser']).size).toBe(0);
    });
  });

  describe('unknown', () => {
    it('returns the requested scopes that are not registered, in order', () => {
      expect(registry().unknown(['read:device', 'delete:world', 'admin', 'openid'])).toEqual(['delete:world', 'openid']);
      expect(registry().unknown([])).toEqual([]);
    });
  });

  describe('register', () => {
    it('throws when a scope is registered twice with a different definition', () => {
      const r = registry();
      expect(() => r.register([{ name: 'read:device', description: 'Something else', grantedTo: ['user'] }])).toThrow(
        /read:device is registered twice/,
      );
    });

    it('accepts the same definition again (a module constructed twice)', () => {
      const r = registry();
      expect(() => r.register([{ name: 'admin', description: 'Administer', grantedTo: ['admin'] }])).not.toThrow();
      expect(r.list().map((s) => s.name)).toEqual(['admin', 'read:device', 'write:device']);
    });

    it('describes and reports registered scopes', () => {
      const r = registry();
      expect(r.has('write:device')).toBe(true);
      expect(r.has('write:devices')).toBe(false);
      expect(r.describe('read:device')).toBe('Read devices');
      expect(r.describe('nope')).toBeUndefined();
    });
  });
});

import { ForbiddenException } from '@nestjs/common';
import type { Principal } from '../../src/auth/principal';
import { isAdmin, ownedBy, requireOwnerId } from '../../src/users/row-access';

const user = (scopes: string[]): Principal => ({
  actor: { type: 'user', id: 'u1' },
  user: { id: 'u1', email: 'a@example.test', displayName: 'A', roles: [] },
  credential: { kind: 'session', id: 's1' },
  scopes: new Set(scopes),
});
const clientAlone: Principal = {
  actor: { type: 'client', id: 'c1' },
  clientId: 'c1',
  credential: { kind: 'client_secret', id: 'c1' },
  scopes: new Set(),
};

describe('row access (owner or admin)', () => {
  it('narrows an owner to their rows and leaves an admin unrestricted', () => {
    expect(ownedBy(user(['read:device']), 'ownerId')).toEqual({ ownerId: 'u1' });
    expect(ownedBy(user(['admin']), 'ownerId')).toEqual({});
    expect(isAdmin(user(['admin']))).toBe(true);
  });

  it('matches no row for a principal without a user', () => {
    expect(ownedBy(clientAlone, 'ownerId')).toEqual({ ownerId: '' });
  });

  it('refuses to create an owned row without a user (403)', () => {
    expect(requireOwnerId(user([]), 'Devices')).toBe('u1');
    expect(() => requireOwnerId(clientAlone, 'Devices')).toThrow(ForbiddenException);
  });
});

import type { User } from '../users/user.entity';
import type { AdminUserView } from './dto/admin-user.view';

export function toAdminUserView(u: User): AdminUserView {
  return {
    id: u.id,
    email: u.email,
    displayName: u.displayName,
    kind: u.kind,
    status: u.status,
    roles: u.roles,
    createdAt: u.createdAt.toISOString(),
    updatedAt: u.updatedAt.toISOString(),
  };
}

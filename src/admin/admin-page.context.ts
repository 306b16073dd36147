import { Injectable } from '@nestjs/common';
import type { Principal } from '../auth/principal';
import { CsrfService } from '../sessions/csrf.service';

/** Links of the admin navigation; `current` marks the page being shown. */
const NAV = [
  { key: 'dashboard', href: '/admin/ui', label: 'Dashboard' },
  { key: 'users', href: '/admin/ui/users', label: 'Users' },
  { key: 'clients', href: '/admin/ui/clients', label: 'Clients' },
  { key: 'audit', href: '/admin/ui/audit', label: 'Audit log' },
] as const;
export type AdminNavKey = (typeof NAV)[number]['key'];

/** What every admin page's template and the layout need: the signed-in admin, the CSRF token, the navigation. */
@Injectable()
export class AdminPageContext {
  constructor(private readonly csrf: CsrfService) {}

  build(p: Principal, title: string, nav: AdminNavKey | null, data: Record<string, unknown> = {}): Record<string, unknown> {
    return {
      title,
      user: p.user,
      isAdmin: true,
      csrf: this.csrf.tokenFor(p.credential.id),
      adminNav: NAV.map((n) => ({ ...n, current: n.key === nav })),
      ...data,
    };
  }
}

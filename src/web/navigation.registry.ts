import { Injectable } from '@nestjs/common';

/** Where an entry shows: the person's main navigation, or the admin console's own bar. */
export type NavSection = 'main' | 'admin';

export interface NavEntry {
  section: NavSection;
  href: string;
  label: string;
  /** Shown only to holders of the `admin` scope. */
  adminOnly?: boolean;
  /** Sort key within the section (the built-in entries are 10, 20, 30…); ties keep insertion order. */
  order: number;
}

/** A link as the layout renders it. */
export interface NavLink {
  href: string;
  label: string;
  current: boolean;
}

/**
 * The links of the shared navigation (views/partials/nav.hbs). A module adds its page with one
 * line, e.g. in its constructor or onModuleInit:
 *
 *   nav.add({ section: 'main', href: '/account/bots', label: 'Bots', order: 35 });
 *
 * The built-in entries are registered here, in the order a person looks for them.
 */
@Injectable()
export class NavigationRegistry {
  private readonly entries: NavEntry[] = [
    { section: 'main', href: '/account', label: 'Account', order: 10 },
    { section: 'main', href: '/account/sessions', label: 'Sessions', order: 20 },
    { section: 'main', href: '/account/tokens', label: 'API keys', order: 30 },
    { section: 'main', href: '/account/clients', label: 'Developer settings', order: 40 },
    { section: 'main', href: '/account/authorizations', label: 'Authorized apps', order: 50 },
    { section: 'main', href: '/account/security', label: 'Security events', order: 60 },
    { section: 'main', href: '/admin/ui', label: 'Admin', adminOnly: true, order: 90 },
    { section: 'admin', href: '/admin/ui', label: 'Dashboard', order: 10 },
    { section: 'admin', href: '/admin/ui/users', label: 'Users', order: 20 },
    { section: 'admin', href: '/admin/ui/clients', label: 'Clients', order: 30 },
    { section: 'admin', href: '/admin/ui/audit', label: 'Audit log', order: 40 },
  ];

  add(entry: NavEntry): void {
    this.entries.push(entry);
  }

  /**
   * The links of a section for this viewer, the one matching `path` best marked current (the
   * longest href that is `path` or a parent of it).
   */
  linksFor(section: NavSection, path: string, isAdmin: boolean): NavLink[] {
    const visible = this.entries
      .map((e, i) => ({ e, i }))
      .filter(({ e }) => e.section === section && (!e.adminOnly || isAdmin))
      .sort((a, b) => a.e.order - b.e.order || a.i - b.i)
      .map(({ e }) => e);
    const current = visible
      .filter((e) => path === e.href || path.startsWith(`${e.href}/`))
      .reduce<NavEntry | null>((best, e) => (!best || e.href.length > best.href.length ? e : best), null);
    return visible.map((e) => ({ href: e.href, label: e.label, current: e === current }));
  }
}

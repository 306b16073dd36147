import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { PrincipalFactory } from '../../../src/auth/principal.factory';
import { hashToken } from '../../../src/auth/token-format';
import { BotsService } from '../../../src/bots/bots.service';
import { Passkey } from '../../../src/passkeys/passkey.entity';
import { createClient } from '../../e2e/support/clients.fixture';
import { createPat } from '../../e2e/support/personal-tokens.fixture';
import { enrolTotp } from '../../e2e/support/mfa.fixture';
import { createUser, signIn, TEST_PASSWORD } from '../../e2e/support/users.fixture';
import type { BrowserHarness } from './browser';

/** The two widths every page is checked and pictured at. */
export const WIDTHS = [
  { name: 'desktop', width: 1280, height: 800 },
  { name: 'phone', width: 390, height: 844 },
] as const;
export type Width = (typeof WIDTHS)[number];

/** Where the committed pictures live (linked from the README). */
export const SCREENSHOTS_DIR = join(__dirname, '..', '..', '..', 'docs', 'screenshots');

/** Every page a person can reach, signed in as an admin (so the admin pages are included). */
export const TOUR: { name: string; path: string | ((ids: TourIds) => string); title: RegExp }[] = [
  { name: 'account', path: '/account', title: /^Your account/ },
  { name: 'password', path: '/account/password', title: /^Change password/ },
  { name: 'sessions', path: '/account/sessions', title: /^Sessions/ },
  { name: 'api-keys', path: '/account/tokens', title: /^API keys/ },
  { name: 'developer-settings', path: '/account/clients', title: /^Developer settings/ },
  { name: 'client', path: (ids) => `/account/clients/${ids.clientId}`, title: /^Tour app/ },
  { name: 'authorized-apps', path: '/account/authorizations', title: /^Authorized apps/ },
  { name: 'security-events', path: '/account/security', title: /^Security events/ },
  { name: 'passkeys', path: '/account/passkeys', title: /^Passkeys/ },
  { name: 'bots', path: '/account/bots', title: /^Bots/ },
  { name: 'bot', path: (ids) => `/account/bots/${ids.botId}`, title: /^Bot Tour bot/ },
  { name: 'device', path: '/device', title: /^Connect a device/ },
  { name: 'admin-dashboard', path: '/admin/ui', title: /^Admin/ },
  { name: 'admin-users', path: '/admin/ui/users', title: /^Users/ },
  { name: 'admin-user', path: (ids) => `/admin/ui/users/${ids.userId}`, title: /@/ },
  { name: 'admin-clients', path: '/admin/ui/clients', title: /^Clients/ },
  { name: 'admin-client', path: (ids) => `/admin/ui/clients/${ids.clientId}`, title: /^Tour app/ },
  { name: 'admin-bots', path: '/admin/ui/bots', title: /^Bots/ },
  { name: 'admin-impersonation', path: '/admin/ui/impersonation', title: /^Impersonation/ },
  { name: 'admin-audit', path: '/admin/ui/audit', title: /^Audit log/ },
  { name: 'admin-mfa-policy', path: '/admin/ui/mfa', title: /^Two-factor policy/ },
  { name: 'not-found', path: '/no-such-page', title: /^Page not found/ },
];

export interface TourIds {
  /** A person with a confirmed authenticator app: the tour pictures their second step. */
  mfaEmail: string;
  adminEmail: string;
  adminId: string;
  userId: string;
  clientId: string;
  botId: string;
}

/**
 * An admin with a client and an API key, and another user with a session and an API key: enough
 * data that every page has something to show, including the tables' action buttons.
 */
export async function seedTour(h: BrowserHarness): Promise<TourIds> {
  const admin = await createUser(h.t, { roles: ['admin'], displayName: 'Ada Admin' });
  const other = await createUser(h.t, { displayName: 'Grace Hopper' });
  const mfaUser = await createUser(h.t, { displayName: 'Katherine Johnson' });
  await enrolTotp(h.t, await signIn(h.t, mfaUser.email));
  await createPat(h.t, await signIn(h.t, admin.email), ['read:device'], { name: 'backup script' });
  await createPat(h.t, await signIn(h.t, other.email), ['read:device'], { name: 'sensor export' });
  const client = await createClient(h.t, admin.user, { name: 'Tour app', redirectUris: ['https://app.example.com/callback'] });
  const asAdmin = h.t.get<PrincipalFactory>(PrincipalFactory).forUser(admin.user, { kind: 'session', id: 'tour' });
  const bot = await h.t
    .get<BotsService>(BotsService)
    .create(asAdmin, { name: 'Tour bot', roles: ['user'] }, { ip: '127.0.0.1', userAgent: 'tour', requestId: 'tour' });
  return {
    mfaEmail: mfaUser.email,
    adminEmail: admin.email,
    adminId: admin.user.id,
    userId: other.user.id,
    clientId: client.clientId,
    botId: bot.user.id,
  };
}

/**
 * The admin's two passkeys for the Passkeys stop, added after the tour signed in: a passkey is a
 * second factor, so an admin holding one would meet the second step at the password form (the
 * tour cannot answer it), as a person who adds passkeys after signing in would not.
 */
async function seedPasskeys(h: BrowserHarness, userId: string): Promise<void> {
  await h.t.dataSource.getRepository(Passkey).delete({ userId });
  const passkeys = h.t.dataSource.getRepository(Passkey);
  for (const [i, p] of [
    { name: 'Work laptop', backupEligible: false, transports: ['internal'] },
    { name: 'Phone', backupEligible: true, transports: ['hybrid', 'internal'] },
  ].entries()) {
    const credentialId = randomBytes(16).toString('base64url');
    await passkeys.insert({
      ...p,
      userId: userId,
      credentialId,
      credentialIdHash: hashToken(credentialId),
      publicKey: randomBytes(77).toString('base64url'),
      signCount: 0,
      aaguid: '00000000-0000-0000-0000-000000000000',
      backedUp: p.backupEligible,
      createdAt: new Date(Date.now() - (i + 1) * 86_400_000),
      lastUsedAt: i === 0 ? new Date() : null,
    });
  }
}

export async function signInThroughForm(h: BrowserHarness, email: string, password = TEST_PASSWORD): Promise<void> {
  const { page } = h;
  await page.goto(h.url('/'));
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await Promise.all([page.waitForURL((u) => u.pathname !== '/login'), page.getByRole('button', { name: 'Sign in', exact: true }).click()]);
}

/** True when nothing sticks out sideways: the page never scrolls horizontally. */
export function fitsWidth(page: Page): Promise<boolean> {
  return page.evaluate('document.documentElement.scrollWidth <= window.innerWidth + 1') as Promise<boolean>;
}

/**
 * What is cut or sticks out inside the page: buttons in table rows whose label breaks over lines
 * ("Re/vo/ke"), and tables wider than the card around them (their last columns drawn over the
 * card's edge). Empty when the page is clean.
 */
export function layoutFaults(page: Page): Promise<string[]> {
  return page.evaluate(`(() => {
    const faults = [];
    for (const b of document.querySelectorAll('td button')) {
      const r = b.getBoundingClientRect();
      if (!r.height) continue;
      const cs = getComputedStyle(b);
      const line = parseFloat(cs.lineHeight) || parseFloat(cs.fontSize) * 1.5;
      if (r.height > line + parseFloat(cs.paddingTop) + parseFloat(cs.paddingBottom) + 2) faults.push('button wraps: ' + b.textContent.trim());
    }
    for (const t of document.querySelectorAll('table')) {
      const card = t.closest('.card');
      if (card && t.getBoundingClientRect().right > card.getBoundingClientRect().right + 1) faults.push('table wider than its card: ' + (t.querySelector('caption, th') || t).textContent.trim());
    }
    return faults;
  })()`) as Promise<string[]>;
}

/**
 * How many rows the header and the main navigation take (the brand line counts as one; each
 * distinct line of navigation links as one more), and those of the admin bar (0 without one).
 */
export function navRows(page: Page): Promise<{ main: number; admin: number }> {
  return page.evaluate(`(() => {
    // Boxes that overlap vertically share a row (a button and a link differ by a few pixels).
    const rows = (sel) => {
      let count = 0;
      let bottom = -Infinity;
      for (const r of [...document.querySelectorAll(sel)].map((el) => el.getBoundingClientRect()).sort((a, b) => a.top - b.top)) {
        if (r.top >= bottom - 1) count++;
        bottom = Math.max(r.top >= bottom - 1 ? -Infinity : bottom, r.bottom);
      }
      return count;
    };
    return { main: rows('.top > *') + rows('.site-nav li'), admin: rows('.admin-nav li') };
  })()`) as Promise<{ main: number; admin: number }>;
}

/**
 * Visits every page of the tour at one width: the sign-in page as a visitor, then, signed in as
 * the tour's admin, every page. Checks each fits the width and has no layout faults, and writes `<dir>/<width>/<page>.png`.
 * Used by the browser tests and by `npm run screenshots`, so the committed pictures are the
 * tested pages.
 */
export async function captureTour(
  h: BrowserHarness,
  ids: TourIds,
  width: Width,
  dir = SCREENSHOTS_DIR,
): Promise<
  { page: string; fits: boolean; faults: string[]; title: string; titleMatches: boolean; nav: { main: number; admin: number } }[]
> {
  const { page } = h;
  await page.setViewportSize({ width: width.width, height: width.height });
  mkdirSync(join(dir, width.name), { recursive: true });
  await h.context.clearCookies();
  await page.goto(h.url('/login'));
  const signInTitle = await page.title();
  const results = [
    {
      page: 'sign-in',
      fits: await fitsWidth(page),
      faults: await layoutFaults(page),
      title: signInTitle,
      titleMatches: /^Sign in/.test(signInTitle),
      nav: await navRows(page),
    },
  ];
  await page.screenshot({ path: join(dir, width.name, 'sign-in.png'), fullPage: true });
  await h.t.dataSource.getRepository(Passkey).delete({ userId: ids.adminId });
  await signInThroughForm(h, ids.adminEmail);
  await seedPasskeys(h, ids.adminId);
  for (const stop of TOUR) {
    const path = typeof stop.path === 'string' ? stop.path : stop.path(ids);
    await page.goto(h.url(path));
    const title = await page.title();
    results.push({
      page: stop.name,
      fits: await fitsWidth(page),
      faults: await layoutFaults(page),
      title,
      titleMatches: stop.title.test(title),
      nav: await navRows(page),
    });
    await page.screenshot({ path: join(dir, width.name, `${stop.name}.png`), fullPage: true });
  }
  // Pages reached by a form post: TOTP enrolment (the QR code), then, signed out, the second step.
  const snap = async (name: string, title: RegExp) => {
    const t = await page.title();
    results.push({
      page: name,
      fits: await fitsWidth(page),
      faults: await layoutFaults(page),
      title: t,
      titleMatches: title.test(t),
      nav: await navRows(page),
    });
    await page.screenshot({ path: join(dir, width.name, `${name}.png`), fullPage: true });
  };
  await page.goto(h.url('/account/mfa'));
  await Promise.all([page.waitForURL((u) => u.pathname === '/account/mfa'), page.getByTestId('totp-begin').click()]);
  await page.getByTestId('totp-secret').waitFor();
  await snap('mfa-enrol', /^Two-factor authentication/);
  await page.getByRole('button', { name: 'Cancel' }).click();
  await h.context.clearCookies();
  await signInThroughForm(h, ids.mfaEmail);
  await snap('mfa-second-step', /^Two-factor authentication/);
  return results;
}

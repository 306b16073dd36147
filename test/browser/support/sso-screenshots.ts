import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { signedInAdmin } from '../../e2e/support/admin.fixture';
import { createConnection, IDP_CLIENT_ID, startUpstreamIdp, UpstreamIdp } from '../../e2e/support/sso.fixture';
import { createUser } from '../../e2e/support/users.fixture';
import type { BrowserHarness } from './browser';
import { fitsWidth, signInThroughForm, Width } from './screenshots';

/**
 * The single sign-on pictures of docs/sso.md (`npm run screenshots`): the sign-in page with a
 * connection's button and home-realm discovery, and the connection form filled in. They need a
 * real IdP (a connection is saved only after its discovery is checked): node-oidc-provider, as
 * in the tests. Returns the pages that do not fit the width.
 */
export async function captureSsoPages(h: BrowserHarness, widths: readonly Width[], dir: string): Promise<string[]> {
  const idp: UpstreamIdp = await startUpstreamIdp(h.t.baseUrl);
  const tooWide: string[] = [];
  try {
    await createConnection(h.t, await signedInAdmin(h.t), idp, { slug: 'corp', name: 'Example Corp', allowedDomains: ['corp.example'] });
    const admin = await createUser(h.t, { roles: ['admin'], displayName: 'Ada Admin' });
    const { page } = h;
    for (const width of widths) {
      mkdirSync(join(dir, width.name), { recursive: true });
      await page.setViewportSize({ width: width.width, height: width.height });
      const shot = async (name: string) => {
        if (!(await fitsWidth(page))) tooWide.push(`${width.name}/${name}`);
        await page.screenshot({ path: join(dir, width.name, `${name}.png`), fullPage: true });
      };
      await h.context.clearCookies();
      await page.goto(h.url('/login'));
      await shot('sso-login');
      await signInThroughForm(h, admin.email);
      await page.goto(h.url('/admin/ui/sso'));
      await page.getByLabel('Name (on the button').fill('Acme Staff');
      await page.getByLabel('Slug').fill('acme');
      await page.getByLabel('Issuer URL').fill('https://login.microsoftonline.com/00000000-0000-0000-0000-000000000000/v2.0');
      await page.getByLabel('Client ID').fill(IDP_CLIENT_ID);
      await page.getByLabel('Client secret').fill('secret-value-from-the-idp');
      await page.getByLabel('Email domains').fill('acme.example');
      await shot('sso-connection-form');
    }
  } finally {
    await idp.close();
  }
  return tooWide;
}

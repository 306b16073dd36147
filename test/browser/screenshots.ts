/**
 * `npm run screenshots`: regenerates docs/screenshots/<desktop|phone>/<page>.png from the real app
 * in headless chromium, with the same tour the browser tests walk (support/screenshots.ts).
 */
import '../setup-env';
import { startBrowserHarness } from './support/browser';
import { SSO_TEST_ENV } from '../e2e/support/sso.fixture';
import { captureTour, SCREENSHOTS_DIR, seedTour, WIDTHS } from './support/screenshots';
import { captureSsoPages } from './support/sso-screenshots';

async function main(): Promise<void> {
  const h = await startBrowserHarness({ LOG_LEVEL: 'silent', ...SSO_TEST_ENV });
  try {
    const ids = await seedTour(h);
    for (const width of WIDTHS) {
      const results = await captureTour(h, ids, width);
      const overflowing = results.filter((r) => !r.fits).map((r) => r.page);
      process.stdout.write(`${width.name}: ${results.length} pages${overflowing.length ? `; too wide: ${overflowing.join(', ')}` : ''}\n`);
    }
    // After the tour, so its pages show no connection; these need node-oidc-provider as the IdP.
    const ssoTooWide = await captureSsoPages(h, WIDTHS, SCREENSHOTS_DIR);
    process.stdout.write(`single sign-on: 2 pages${ssoTooWide.length ? `; too wide: ${ssoTooWide.join(', ')}` : ''}\n`);
    process.stdout.write(`Written under ${SCREENSHOTS_DIR}\n`);
  } finally {
    await h.close();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});

/**
 * `npm run screenshots`: regenerates docs/screenshots/<desktop|phone>/<page>.png from the real app
 * in headless chromium, with the same tour the browser tests walk (support/screenshots.ts).
 */
import '../setup-env';
import { startBrowserHarness } from './support/browser';
import { captureTour, SCREENSHOTS_DIR, seedTour, WIDTHS } from './support/screenshots';

async function main(): Promise<void> {
  const h = await startBrowserHarness({ LOG_LEVEL: 'silent' });
  try {
    const ids = await seedTour(h);
    for (const width of WIDTHS) {
      const results = await captureTour(h, ids, width);
      const overflowing = results.filter((r) => !r.fits).map((r) => r.page);
      process.stdout.write(`${width.name}: ${results.length} pages${overflowing.length ? `; too wide: ${overflowing.join(', ')}` : ''}\n`);
    }
    process.stdout.write(`Written under ${SCREENSHOTS_DIR}\n`);
  } finally {
    await h.close();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});

import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BrowserContext, CDPSession, chromium, Page } from 'playwright-core';
import { freePort, startTestApp, TestApp } from '../../e2e/support/test-app';

/** Debian's chromium: playwright-core never downloads a browser of its own here. */
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Screenshots land here (gitignored) for a human to look at. */
export const ARTIFACTS = join(__dirname, '..', '..', '.artifacts');

export interface BrowserHarness {
  /** The real app, on a random port of 127.0.0.1. */
  t: TestApp;
  context: BrowserContext;
  page: Page;
  /** Absolute URL of a path on the app (on http://localhost with `opts.localhost`). */
  url(path: string): string;
  screenshot(name: string): Promise<void>;
  close(): Promise<void>;
}

/**
 * Starts the app and a headless chromium with a fresh profile. The app keeps its production
 * cookie settings (Secure, __Host- prefix): chromium treats http://127.0.0.1 as a secure context.
 * `opts.port`: a reserved port, when PUBLIC_URL must name the app's real origin (SSO redirects).
 * `opts.localhost`: the app on a reserved port with PUBLIC_URL `http://localhost:<port>`, reached
 * there (`url()`): WebAuthn needs a domain as RP ID (see addVirtualAuthenticator).
 */
export async function startBrowserHarness(
  env: Record<string, string> = {},
  opts: { port?: number; localhost?: boolean } = {},
): Promise<BrowserHarness> {
  const port = opts.localhost ? (opts.port ?? (await freePort())) : opts.port;
  const publicUrl = opts.localhost ? `http://localhost:${port}` : undefined;
  const t = await startTestApp(publicUrl ? { PUBLIC_URL: publicUrl, ...env } : env, { port });
  const profile = mkdtempSync(join(tmpdir(), 'gatehouse-chromium-'));
  let context: BrowserContext;
  try {
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: CHROMIUM_ARGS,
      viewport: { width: 1100, height: 760 },
    });
  } catch (err) {
    await t.close();
    rmSync(profile, { recursive: true, force: true });
    throw err;
  }
  const page = context.pages()[0] ?? (await context.newPage());
  mkdirSync(ARTIFACTS, { recursive: true });
  return {
    t,
    context,
    page,
    url: (path) => new URL(path, publicUrl ?? t.baseUrl).toString(),
    screenshot: async (name) => {
      await page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });
    },
    close: async () => {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
      await t.close();
    },
  };
}

/**
 * Chromium's CDP virtual authenticator on the harness page (ctap2, internal, resident keys, user
 * verification, presence simulated): WebAuthn ceremonies then run without a person. WebAuthn needs
 * a domain as RP ID: start the harness with `{ localhost: true }`.
 */
export async function addVirtualAuthenticator(h: BrowserHarness): Promise<{ cdp: CDPSession; authenticatorId: string }> {
  const cdp = await h.context.newCDPSession(h.page);
  await cdp.send('WebAuthn.enable');
  const { authenticatorId } = await cdp.send('WebAuthn.addVirtualAuthenticator', {
    options: {
      protocol: 'ctap2',
      transport: 'internal',
      hasResidentKey: true,
      hasUserVerification: true,
      isUserVerified: true,
      automaticPresenceSimulation: true,
    },
  });
  return { cdp, authenticatorId };
}

/** Adds a passkey named `name` on Account → Passkeys (signed in, with a virtual authenticator); waits for the flash. */
export async function addPasskeyThroughPage(h: BrowserHarness, name: string): Promise<void> {
  await h.page.goto(h.url('/account/passkeys'));
  await h.page.getByLabel('Name', { exact: true }).fill(name);
  await h.page.getByRole('button', { name: 'Add passkey' }).click();
  await h.page.getByTestId('flash').waitFor();
}

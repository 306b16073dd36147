import { randomBytes } from 'node:crypto';
import { MfaPolicy } from '../../src/mfa-policy/mfa-policy';
import { TotpCredential } from '../../src/mfa/totp-credential.entity';
import { Passkey } from '../../src/passkeys/passkey.entity';
import { hashToken } from '../../src/auth/token-format';
import { startIsolatedTestApp } from './support/admin.fixture';
import { csrfOf, enrolTotp } from './support/mfa.fixture';
import { HTML } from './support/pages.fixture';
import { TestApp } from './support/test-app';
import { signedInUser } from './support/users.fixture';

/**
 * Issue 25: while the policy requires a factor, a user's last standalone factor cannot be removed.
 * The check reads several modules' tables, so it runs under a per-user lease: two removals sent at
 * once for a user's last two factors (an authenticator app and a passkey, or two passkeys) leave
 * exactly one: one is done (303), the other refused (409).
 */
describe('MFA: concurrent removal of the last two factors under the policy', () => {
  let t: TestApp;

  beforeAll(async () => {
    // The policy is stored (global state): a database of its own on MariaDB.
    t = await startIsolatedTestApp();
  });
  afterAll(() => t.close());

  /** A passkey row (only deleted here, never used to sign in). */
  const addPasskey = (userId: string, name: string) => {
    const id = randomBytes(16).toString('base64url');
    return t.dataSource.getRepository(Passkey).save(
      t.dataSource.getRepository(Passkey).create({
        userId,
        name,
        credentialId: id,
        credentialIdHash: hashToken(id),
        publicKey: randomBytes(32).toString('base64url'),
        signCount: 0,
        transports: [],
        aaguid: '00000000-0000-0000-0000-000000000000',
        backupEligible: false,
        backedUp: false,
        createdAt: new Date(),
        lastUsedAt: null,
      }),
    );
  };
  const standaloneLeft = async (userId: string) =>
    (await t.dataSource.getRepository(TotpCredential).countBy({ userId })) +
    (await t.dataSource.getRepository(Passkey).countBy({ userId }));

  async function userUnderPolicy() {
    await t.get<MfaPolicy>(MfaPolicy).set('none', null);
    const u = await signedInUser(t); // signed in before the policy: a full session
    await t.get<MfaPolicy>(MfaPolicy).set('all', null);
    const page = await t.http.get('/account/mfa', { cookie: u.cookie, headers: HTML });
    return { ...u, csrf: csrfOf(page.text) };
  }

  it('an authenticator app and a passkey removed at once: one goes, the other is refused (409), one factor is left', async () => {
    for (let round = 0; round < 4; round++) {
      const u = await userUnderPolicy();
      await enrolTotp(t, u.cookie);
      const pk = await addPasskey(u.user.id, 'Laptop');
      const [a, b] = await Promise.all([
        t.http.post('/account/mfa/totp/remove', { cookie: u.cookie, form: { _csrf: u.csrf } }),
        t.http.post(`/account/passkeys/${pk.id}/delete`, { cookie: u.cookie, form: { _csrf: u.csrf } }),
      ]);
      expect([a.status, b.status].sort()).toEqual([303, 409]);
      expect(await standaloneLeft(u.user.id)).toBe(1);
    }
  });

  it('two passkeys removed at once: one goes, the other is refused (409), one passkey is left', async () => {
    for (let round = 0; round < 4; round++) {
      const u = await userUnderPolicy();
      const [p1, p2] = [await addPasskey(u.user.id, 'One'), await addPasskey(u.user.id, 'Two')];
      const answers = await Promise.all(
        [p1, p2].map((p) => t.http.post(`/account/passkeys/${p.id}/delete`, { cookie: u.cookie, form: { _csrf: u.csrf } })),
      );
      expect(answers.map((r) => r.status).sort()).toEqual([303, 409]);
      expect(answers.find((r) => r.status === 409)!.text).toContain('requires a second factor');
      expect(await standaloneLeft(u.user.id)).toBe(1);
    }
  });

  it('without the policy both go', async () => {
    const u = await userUnderPolicy();
    await t.get<MfaPolicy>(MfaPolicy).set('none', null);
    const [p1, p2] = [await addPasskey(u.user.id, 'One'), await addPasskey(u.user.id, 'Two')];
    const answers = await Promise.all(
      [p1, p2].map((p) => t.http.post(`/account/passkeys/${p.id}/delete`, { cookie: u.cookie, form: { _csrf: u.csrf } })),
    );
    expect(answers.map((r) => r.status)).toEqual([303, 303]);
    expect(await standaloneLeft(u.user.id)).toBe(0);
  });
});

import { User } from '../../src/users/user.entity';
import { randomUUID } from 'node:crypto';
import { AuditEvent } from '../../src/audit/audit-event.entity';
import { AuditService } from '../../src/audit/audit.service';
import { auditOperatorAction } from '../../src/cli/operator-audit';
import { auditByActor, signedInAdmin } from './support/admin.fixture';
import type { HttpResponse } from './support/http-client';
import { controllersOf, routesOf } from './support/route-table';
import { startTestApp, TestApp } from './support/test-app';
import { createUser, signIn, signedInUser } from './support/users.fixture';
import { enrolTotp } from './support/mfa.fixture';

/** Parses RFC 4180 CSV (quoted cells, doubled quotes, CRLF rows) for the assertions. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(cell);
      cell = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      i++;
    } else cell += c;
  }
  return rows;
}

describe('admin audit log: filter, page, export; users see their own events', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  /** Audit rows with chosen times and values, all with a fresh actor id so tests never see each other's rows. */
  async function seed(rows: Partial<AuditEvent>[]): Promise<string> {
    const actorId = randomUUID();
    await t.dataSource.getRepository(AuditEvent).insert(
      rows.map((r) => ({
        occurredAt: new Date(),
        actorType: 'user' as const,
        actorId,
        action: 'test.action',
        outcome: 'success' as const,
        ...r,
      })),
    );
    return actorId;
  }

  describe('filtering and pagination', () => {
    it('filters by actor, exact action, action prefix, target, outcome and time range', async () => {
      const admin = await signedInAdmin(t);
      const target = randomUUID();
      const actor = await seed([
        { action: 'auth.login', outcome: 'failed', occurredAt: new Date('2026-01-01T10:00:00Z') },
        { action: 'auth.logout', outcome: 'success', occurredAt: new Date('2026-01-02T10:00:00Z') },
        { action: 'admin.user.disable', targetType: 'user', targetId: target, occurredAt: new Date('2026-01-03T10:00:00Z') },
        { action: 'session.revoke', outcome: 'denied', occurredAt: new Date('2026-01-04T10:00:00Z') },
      ]);
      const actions = async (query: string) => {
        const res = await t.http.get(`/admin/audit-events?actor=${actor}&${query}`, { cookie: admin.cookie });
        expect(res.status).toBe(200);
        return res.body.items.map((e: { action: string }) => e.action);
      };
      expect(await actions('')).toEqual(['session.revoke', 'admin.user.disable', 'auth.logout', 'auth.login']);
      expect(await actions('action=auth.login')).toEqual(['auth.login']);
      expect(await actions('action=auth.*')).toEqual(['auth.logout', 'auth.login']);
      expect(await actions(`targetType=user&targetId=${target}`)).toEqual(['admin.user.disable']);
      expect(await actions('outcome=denied')).toEqual(['session.revoke']);
      expect(await actions('from=2026-01-02T00:00:00Z&to=2026-01-04T00:00:00Z')).toEqual(['admin.user.disable', 'auth.logout']);
      expect(await actions('from=2026-01-04T10:00:00Z')).toEqual(['session.revoke']);
      expect(await actions('to=2026-01-01T10:00:00Z')).toEqual([]);
    });

    it('pages newest first with an opaque cursor, including rows with the same timestamp', async () => {
      const admin = await signedInAdmin(t);
      const same = new Date('2026-02-01T00:00:00Z');
      const actor = await seed(Array.from({ length: 5 }, (_, i) => ({ action: `test.n${i}`, occurredAt: same })));
      const seen: string[] = [];
      let cursor: string | null = '';
      let pages = 0;
      while (cursor !== null) {
        const res: HttpResponse = await t.http.get(`/admin/audit-events?actor=${actor}&limit=2${cursor ? `&cursor=${cursor}` : ''}`, {
          cookie: admin.cookie,
        });
        seen.push(...res.body.items.map((e: { id: string }) => e.id));
        cursor = res.body.nextCursor;
        pages++;
      }
      expect(pages).toBe(3);
      expect(new Set(seen).size).toBe(5);
    });

    it('answers bad filters with 400, never 500', async () => {
      const admin = await signedInAdmin(t);
      for (const q of [
        'outcome=maybe',
        'from=yesterday',
        'from=2026-W01',
        'to=2026-13-01T00:00:00Z',
        'from=2026-01-02T00:00:00Z&to=2026-01-01T00:00:00Z',
        "action=x'%20OR%201=1",
        'limit=1000',
        'cursor=abc',
        'sort=id',
      ]) {
        const res = await t.http.get(`/admin/audit-events?${q}`, { cookie: admin.cookie });
        expect({ q, status: res.status }).toEqual({ q, status: 400 });
      }
    });

    it('treats blank filter fields (as a GET form sends them) as absent', async () => {
      const admin = await signedInAdmin(t);
      const actor = await seed([{ action: 'test.blank' }]);
      const res = await t.http.get(`/admin/audit-events?actor=${actor}&action=&outcome=&from=&to=&targetType=`, { cookie: admin.cookie });
      expect(res.status).toBe(200);
      expect(res.body.items).toHaveLength(1);
    });

    it('audits the admin’s own reading of the log', async () => {
      const admin = await signedInAdmin(t);
      await t.http.get('/admin/audit-events?action=auth.*', { cookie: admin.cookie });
      const rows = await auditByActor(t, admin.user.id, 'admin.audit.list');
      expect(rows).toHaveLength(1);
      expect(rows[0].outcome).toBe('success');
    });
  });

  describe('append-only', () => {
    it('no route can change or delete audit rows', () => {
      const writes = routesOf(controllersOf(t.app)).filter((r) => /audit|security/.test(r.path) && r.method !== 'GET');
      expect(writes.map((r) => `${r.method} ${r.path}`)).toEqual([]);
    });
  });

  describe('export', () => {
    it('exports CSV with a header, proper quoting, and formula injection neutralised', async () => {
      const admin = await signedInAdmin(t);
      const actor = await seed([
        {
          action: 'test.csv',
          targetType: 'user',
          targetId: '=HYPERLINK("http://evil.example")',
          userAgent: '+cmd|" /C calc"!A0',
          ip: '@SUM(1)',
          occurredAt: new Date('2026-03-01T00:00:00Z'),
        },
        {
          action: 'test.csv',
          targetId: '-2+3',
          userAgent: 'plain, with "quotes"\nand a newline',
          details: '{"note":"=1+1"}',
          occurredAt: new Date('2026-03-02T00:00:00Z'),
        },
      ]);
      const res = await t.http.get(`/admin/audit-events/export?format=csv&actor=${actor}`, { cookie: admin.cookie });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^text\/csv/);
      expect(res.headers.get('content-disposition')).toMatch(/^attachment; filename="audit-.*\.csv"$/);
      const rows = parseCsv(res.text);
      const header = rows[0];
      expect(header).toEqual(expect.arrayContaining(['occurredAt', 'action', 'actorId', 'targetId', 'outcome', 'userAgent', 'details']));
      expect(rows).toHaveLength(3);
      const col = (row: string[], name: string) => row[header.indexOf(name)];
      const [newer, older] = [rows[1], rows[2]];
      expect(col(newer, 'targetId')).toBe("'-2+3");
      expect(col(newer, 'userAgent')).toBe('plain, with "quotes"\nand a newline');
      expect(JSON.parse(col(newer, 'details'))).toEqual({ note: '=1+1' });
      expect(col(older, 'targetId')).toBe('\'=HYPERLINK("http://evil.example")');
      expect(col(older, 'userAgent')).toBe('\'+cmd|" /C calc"!A0');
      expect(col(older, 'ip')).toBe("'@SUM(1)");
      // No cell a spreadsheet would evaluate.
      expect(rows.flat().filter((c) => /^[=+\-@]/.test(c))).toEqual([]);
    });

    it('exports JSON lines, one event per line, with the same filters', async () => {
      const admin = await signedInAdmin(t);
      const actor = await seed([
        { action: 'test.jsonl', outcome: 'failed' },
        { action: 'test.jsonl', outcome: 'success' },
        { action: 'test.other', outcome: 'failed' },
      ]);
      const res = await t.http.get(`/admin/audit-events/export?format=jsonl&actor=${actor}&action=test.jsonl`, { cookie: admin.cookie });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^application\/x-ndjson/);
      const lines = res.text
        .trimEnd()
        .split('\n')
        .map((l) => JSON.parse(l) as { action: string; actorId: string });
      expect(lines).toHaveLength(2);
      expect(lines.every((l) => l.action === 'test.jsonl' && l.actorId === actor)).toBe(true);
      const [row] = await auditByActor(t, admin.user.id, 'admin.audit.export');
      expect(JSON.parse(row.details!)).toMatchObject({ format: 'jsonl', filters: { actor, action: 'test.jsonl' } });
    });

    it('exports more rows than one batch, in order', async () => {
      const admin = await signedInAdmin(t);
      const base = Date.UTC(2026, 4, 1);
      const actor = await seed(Array.from({ length: 520 }, (_, i) => ({ action: 'test.many', occurredAt: new Date(base + i * 1000) })));
      const res = await t.http.get(`/admin/audit-events/export?format=jsonl&actor=${actor}`, { cookie: admin.cookie });
      const times = res.text
        .trimEnd()
        .split('\n')
        .map((l) => (JSON.parse(l) as { occurredAt: string }).occurredAt);
      expect(times).toHaveLength(520);
      expect([...times].sort().reverse()).toEqual(times);
    });

    it('refuses an unknown or missing format with 400', async () => {
      const admin = await signedInAdmin(t);
      expect((await t.http.get('/admin/audit-events/export?format=xlsx', { cookie: admin.cookie })).status).toBe(400);
      expect((await t.http.get('/admin/audit-events/export', { cookie: admin.cookie })).status).toBe(400);
    });
  });

  describe('the audit page', () => {
    it('shows filtered events and links to the exports with the same filters', async () => {
      const admin = await signedInAdmin(t);
      const actor = await seed([{ action: 'test.page.shown' }, { action: 'test.page.hidden' }]);
      const res = await t.http.get(`/admin/ui/audit?actor=${actor}&action=test.page.shown&outcome=`, { cookie: admin.cookie });
      expect(res.status).toBe(200);
      expect(res.text).toContain('data-action="test.page.shown"');
      expect(res.text).not.toContain('test.page.hidden');
      expect(res.text.replace(/&#x3D;/g, '=')).toContain(
        `/admin/audit-events/export?actor=${actor}&amp;action=test.page.shown&amp;format=csv`,
      );
    });

    it('shows a bad filter as a 400 page, not JSON', async () => {
      const admin = await signedInAdmin(t);
      const res = await t.http.get('/admin/ui/audit?from=nope', { cookie: admin.cookie });
      expect(res.status).toBe(400);
      expect(res.headers.get('content-type')).toMatch(/text\/html/);
      expect(res.text).toContain('data-testid="admin-error"');
    });
  });

  describe('a user’s own security events', () => {
    it('lists the user’s sign-ins, failures and what admins did to them, and nothing of anyone else', async () => {
      const alice = await createUser(t);
      const bob = await signedInUser(t);
      const admin = await signedInAdmin(t);
      await t.http.post('/auth/login', { json: { email: alice.email, password: 'wrong' }, origin: t.baseUrl });
      const aliceCookie = await signIn(t, alice.email);
      await t.http.post(`/admin/users/${alice.user.id}/reset-password`, {
        cookie: admin.cookie,
        json: { password: 'another long password' },
      });
      // The admin's password is temporary: a session could only change it. Not what this test is about.
      await t.dataSource.getRepository(User).update({ id: alice.user.id }, { passwordTemporary: false });
      const again = await signIn(t, alice.email, 'another long password');
      await t.http.post('/auth/login', { json: { email: bob.email, password: 'wrong' }, origin: t.baseUrl });

      const res = await t.http.get('/account/security-events', { cookie: again });
      expect(res.status).toBe(200);
      const items = res.body.items as { action: string; outcome: string; by: string; ip: string | null }[];
      expect(items.map((e) => `${e.action}:${e.outcome}:${e.by}`)).toEqual([
        'auth.login:success:you',
        'admin.user.reset_password:success:an administrator',
        'auth.login:success:you',
        'auth.login:failed:someone signing in',
      ]);
      // A failed sign-in names the account, not who typed the password; where it came from is shown.
      expect(items[3].ip).toEqual(expect.any(String));
      // The administrator's address is not shown to the user.
      expect(items[1].ip).toBeNull();
      expect(items[0].ip).toEqual(expect.any(String));
      expect(aliceCookie).not.toEqual(again);

      // A change made from the command line is an operator's, not "someone else's".
      await auditOperatorAction(t.get<AuditService>(AuditService), 'user.disable', { type: 'user', id: bob.user.id }, {});
      const byOperator = await t.http.get('/account/security-events', { cookie: bob.cookie });
      expect(byOperator.body.items[0]).toMatchObject({ action: 'user.disable', by: 'an operator', ip: null });
      await t.dataSource.getRepository(AuditEvent).delete({ action: 'user.disable', targetId: bob.user.id });

      const bobs = await t.http.get('/account/security-events', { cookie: bob.cookie });
      expect(bobs.body.items.map((e: { action: string; outcome: string }) => `${e.action}:${e.outcome}`)).toEqual([
        'auth.login:failed',
        'auth.login:success',
      ]);
    });

    it('renders the security page for the signed-in user only', async () => {
      const alice = await signedInUser(t);
      const bob = await createUser(t);
      await t.http.post('/auth/login', { json: { email: bob.email, password: 'wrong' }, origin: t.baseUrl });
      const page = await t.http.get('/account/security', { cookie: alice.cookie });
      expect(page.status).toBe(200);
      expect(page.text).toContain('data-action="auth.login"');
      expect(page.text.match(/data-action=/g)).toHaveLength(1);
      expect((await t.http.get('/account/security')).status).toBe(303);
      expect((await t.http.get('/account/security-events')).status).toBe(401);
    });

    it('says what each event means in words (its code beside it), and lists second factors being added and removed', async () => {
      const alice = await signedInUser(t);
      await t.http.post('/auth/login', { json: { email: alice.email, password: 'wrong' }, origin: t.baseUrl });
      const cookie = alice.cookie;
      await enrolTotp(t, cookie);
      const res = await t.http.get('/account/security-events', { cookie });
      const items = res.body.items as { action: string; outcome: string; summary: string | null }[];
      const byAction = (a: string, o = 'success') => items.find((e) => e.action === a && e.outcome === o)?.summary;
      expect(byAction('auth.login')).toBe('Signed in with your password');
      expect(byAction('auth.login', 'failed')).toBe('A sign-in with a wrong password');
      expect(byAction('mfa.factor_added')).toBe('A second factor was added');
      // Every event shown on the page has a sentence, not only a code.
      expect(items.filter((e) => e.summary === null)).toEqual([]);
      const page = await t.http.get('/account/security', { cookie });
      expect(page.text).toMatch(/A second factor was added <code>mfa\.factor_added<\/code>/);
    });
  });
});

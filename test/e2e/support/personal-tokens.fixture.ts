import { CredentialCache } from '../../../src/auth/credential-cache';
import type { Role } from '../../../src/auth/roles';
import { PersonalToken } from '../../../src/personal-tokens/personal-token.entity';
import type { TestApp } from './test-app';
import { signedInUser, TestUser } from './users.fixture';

export interface PatBody {
  id: string;
  name: string;
  hint: string;
  scopes: string[];
  createdAt: string;
  expiresAt: string | null;
  expired: boolean;
  lastUsedAt: string | null;
  lastUsedIp: string | null;
  /** Only in the creation response. */
  token: string;
}

/** Creates a personal access token over HTTP, as the signed-in user behind `cookie`. */
export async function createPat(
  t: TestApp,
  cookie: string,
  scopes: string[] = ['read:device'],
  body: Record<string, unknown> = {},
): Promise<PatBody> {
  const res = await t.http.post<PatBody>('/account/tokens', { cookie, json: { name: 'test token', scopes, ...body } });
  if (res.status !== 201) throw new Error(`PAT create failed: ${res.status} ${res.text}`);
  return res.body;
}

/** A signed-in user who holds one PAT with `scopes`. */
export async function userWithPat(
  t: TestApp,
  scopes: string[] = ['read:device'],
  opts: { roles?: Role[] } = {},
): Promise<TestUser & { cookie: string; pat: PatBody }> {
  const u = await signedInUser(t, opts);
  return { ...u, pat: await createPat(t, u.cookie, scopes) };
}

export function findPatRow(t: TestApp, id: string): Promise<PersonalToken | null> {
  return t.dataSource.getRepository(PersonalToken).findOneBy({ id });
}

export function countPatRows(t: TestApp, userId: string): Promise<number> {
  return t.dataSource.getRepository(PersonalToken).countBy({ userId });
}

/** Moves a PAT's times as if time had passed: the row, and the credential cache's copy (which would have expired). */
export async function setPatTimes(t: TestApp, id: string, times: { expiresAt?: Date; lastUsedAt?: Date }): Promise<void> {
  await t.dataSource.getRepository(PersonalToken).update({ id }, times);
  t.get<CredentialCache>(CredentialCache).invalidateAll();
}

/** The `_csrf` value a server-rendered page embeds in its forms. */
export function csrfFromPage(html: string): string {
  const m = /name="_csrf" value="([^"]+)"/.exec(html);
  if (!m) throw new Error('no CSRF token on the page');
  return m[1];
}

/** Every row of every table, as JSON text: what a database dump would contain. */
export async function dumpAllTables(t: TestApp): Promise<{ tables: string[]; text: string }> {
  const type = t.dataSource.options.type;
  const sqlite = type === 'better-sqlite3';
  const listed: { name: string }[] = await t.dataSource.query(
    sqlite
      ? "SELECT name FROM sqlite_master WHERE type = 'table'"
      : type === 'postgres'
        ? "SELECT table_name AS name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'"
        : 'SELECT table_name AS name FROM information_schema.tables WHERE table_schema = DATABASE()',
  );
  const tables = listed.map((r) => r.name);
  const parts: string[] = [];
  for (const name of tables) {
    const q = type === 'mysql' ? `\`${name}\`` : `"${name}"`;
    parts.push(`-- ${name}\n${JSON.stringify(await t.dataSource.query(`SELECT * FROM ${q}`))}`);
  }
  return { tables, text: parts.join('\n') };
}

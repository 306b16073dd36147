import type { Role } from '../../../src/auth/roles';
import type { User } from '../../../src/users/user.entity';
import { UsersService } from '../../../src/users/users.service';
import { SessionCookieService } from '../../../src/sessions/session-cookie.service';
import { cookiePair } from './http-client';
import { TestApp, uniqueEmail } from './test-app';

export const TEST_PASSWORD = 'correct horse battery staple';

export interface TestUser {
  user: User;
  email: string;
  password: string;
}

export async function createUser(t: TestApp, opts: { roles?: Role[]; email?: string; displayName?: string } = {}): Promise<TestUser> {
  const email = opts.email ?? uniqueEmail();
  const user = await t.get<UsersService>(UsersService).create({
    email,
    displayName: opts.displayName ?? 'Test User',
    password: TEST_PASSWORD,
    roles: opts.roles ?? ['user'],
  });
  return { user, email, password: TEST_PASSWORD };
}

/** Signs in over HTTP and returns the Cookie header value of the new session. */
export async function signIn(t: TestApp, email: string, password = TEST_PASSWORD): Promise<string> {
  const res = await t.http.post('/auth/login', { json: { email, password }, origin: t.baseUrl });
  if (res.status !== 200) throw new Error(`sign-in failed: ${res.status} ${res.text}`);
  const name = t.get<SessionCookieService>(SessionCookieService).name;
  const pair = cookiePair(res.setCookies, name);
  if (!pair) throw new Error('no session cookie set');
  return pair;
}

/** A user that is signed in: the common starting point of account and device tests. */
export async function signedInUser(t: TestApp, opts: { roles?: Role[] } = {}): Promise<TestUser & { cookie: string }> {
  const u = await createUser(t, opts);
  return { ...u, cookie: await signIn(t, u.email) };
}

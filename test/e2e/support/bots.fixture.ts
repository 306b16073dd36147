import { BotToken } from '../../../src/bots/bot-token.entity';
import type { TestApp } from './test-app';

export interface BotBody {
  id: string;
  name: string;
  description: string;
  kind: 'bot';
  roles: string[];
  status: string;
  createdBy: string | null;
  managers: { id: string; email: string; displayName: string; status: string }[];
  unmanaged: boolean;
}

export interface BotTokenBody {
  id: string;
  botId: string;
  name: string;
  hint: string;
  scopes: string[];
  createdBy: string | null;
  expiresAt: string | null;
  lastUsedAt: string | null;
  /** Only in the creation response. */
  token: string;
}

/** Creates a bot over HTTP as the signed-in person behind `cookie`. */
export async function createBot(t: TestApp, cookie: string, body: Record<string, unknown> = {}): Promise<BotBody> {
  const res = await t.http.post<BotBody>('/account/bots', { cookie, json: { name: 'CI bot', roles: ['user'], ...body } });
  if (res.status !== 201) throw new Error(`bot create failed: ${res.status} ${res.text}`);
  return res.body;
}

/** Mints a token for the bot over HTTP as a manager (or admin) behind `cookie`. */
export async function createBotToken(
  t: TestApp,
  cookie: string,
  botId: string,
  scopes = ['read:device', 'write:device'],
): Promise<BotTokenBody> {
  const res = await t.http.post<BotTokenBody>(`/account/bots/${botId}/tokens`, { cookie, json: { name: 'pipeline', scopes } });
  if (res.status !== 201) throw new Error(`bot token create failed: ${res.status} ${res.text}`);
  return res.body;
}

export function findBotTokenRow(t: TestApp, id: string): Promise<BotToken | null> {
  return t.dataSource.getRepository(BotToken).findOneBy({ id });
}

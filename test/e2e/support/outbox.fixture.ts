import { OutboxService } from '../../../src/outbox/outbox.service';
import type { TestApp } from './test-app';

/**
 * Waits until the outbox has no pending message of `topic` (all of them when omitted): work that
 * requests handed off (a reset request, a mail) is done after the request, not in it.
 */
export async function settleOutbox(t: TestApp, topic?: string, timeoutMs = 10_000): Promise<void> {
  const outbox = t.get<OutboxService>(OutboxService);
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    await outbox.drain();
    if ((await outbox.countPending(topic)) === 0) return;
    if (Date.now() > deadline) throw new Error(`outbox still has pending ${topic ?? ''} messages after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

import { AuditRetryBuffer, AuditRow } from '../../src/audit/audit-retry-buffer';
import { auditEventsDropped, auditEventsWrittenLate } from '../../src/metrics/metrics';

/** Issue 11: audit rows of a database outage are written once it ends, or logged in full; never silently lost. */
describe('AuditRetryBuffer', () => {
  const unavailable = () => Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
  const row = (n: number): AuditRow => ({
    id: `id-${n}`,
    occurredAt: new Date(1_700_000_000_000 + n),
    action: 'device.create',
    outcome: 'failed',
    ip: '192.0.2.1',
  });
  const counter = async (c: typeof auditEventsDropped | typeof auditEventsWrittenLate, labels: Record<string, string> = {}) =>
    (await c.get()).values.find((v) => Object.entries(labels).every(([k, x]) => v.labels[k as never] === x))?.value ?? 0;

  let written: AuditRow[];
  let down: boolean;
  let logger: { log: jest.Mock; warn: jest.Mock; error: jest.Mock };
  const insert = (rows: AuditRow[]) => {
    if (down) return Promise.reject(unavailable());
    const dup = rows.find((r) => written.some((w) => w.id === r.id));
    if (dup) return Promise.reject(Object.assign(new Error('Duplicate entry'), { code: 'ER_DUP_ENTRY' }));
    const bad = rows.find((r) => r.action === 'bad');
    if (bad) return Promise.reject(Object.assign(new Error('Data too long'), { code: 'ER_DATA_TOO_LONG' }));
    written.push(...rows);
    return Promise.resolve();
  };
  const dropLines = () => logger.error.mock.calls.filter(([, msg]) => String(msg).startsWith('AUDIT EVENT DROPPED'));

  beforeEach(() => {
    written = [];
    down = true;
    logger = { log: jest.fn(), warn: jest.fn(), error: jest.fn() };
  });

  it('keeps rows while the database is away and writes them, in order with their own ids and times, once it answers', async () => {
    const buffer = new AuditRetryBuffer(insert, logger, 10);
    const late = await counter(auditEventsWrittenLate);
    for (let n = 1; n <= 3; n++) buffer.add(row(n));
    await buffer.flush();
    expect(written).toEqual([]);
    expect(buffer.size).toBe(3);

    down = false;
    await buffer.flush();
    expect(written).toEqual([row(1), row(2), row(3)]);
    expect(buffer.size).toBe(0);
    expect((await counter(auditEventsWrittenLate)) - late).toBe(3);
    expect(dropLines()).toEqual([]);
    await buffer.close();
  });

  it('logs a row it cannot keep (buffer full) in full as one structured line, and counts it', async () => {
    const buffer = new AuditRetryBuffer(insert, logger, 2);
    const dropped = await counter(auditEventsDropped, { reason: 'buffer_full' });
    [1, 2, 3].forEach((n) => buffer.add(row(n)));
    expect(buffer.size).toBe(2);
    expect(dropLines()).toEqual([[{ reason: 'buffer_full', auditEvent: row(3) }, expect.any(String)]]);
    expect((await counter(auditEventsDropped, { reason: 'buffer_full' })) - dropped).toBe(1);
    await buffer.close();
  });

  it('writes a row already written (its acknowledgement lost) only once, and logs a row the database refuses instead of holding the rest back', async () => {
    const buffer = new AuditRetryBuffer(insert, logger, 10);
    written.push(row(1));
    buffer.add(row(1));
    buffer.add({ ...row(2), action: 'bad' });
    buffer.add(row(3));
    down = false;
    await buffer.flush();
    expect(written.map((r) => r.id)).toEqual(['id-1', 'id-3']);
    expect(dropLines()).toEqual([
      [{ reason: 'rejected', auditEvent: { ...row(2), action: 'bad' }, error: 'Data too long' }, expect.any(String)],
    ]);
    await buffer.close();
  });

  it('at shutdown tries once more, then logs every row still waiting', async () => {
    const buffer = new AuditRetryBuffer(insert, logger, 10);
    buffer.add(row(1));
    buffer.add(row(2));
    await buffer.close();
    expect(written).toEqual([]);
    expect(dropLines().map(([fields]) => fields)).toEqual([
      { reason: 'shutdown', auditEvent: row(1) },
      { reason: 'shutdown', auditEvent: row(2) },
    ]);
  });
});

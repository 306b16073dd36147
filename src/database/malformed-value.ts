/**
 * Driver errors that mean "a value from the request cannot be stored or compared in this column",
 * not "the server is broken": PostgreSQL rejects what MySQL and SQLite quietly match against
 * nothing (a malformed UUID, 22P02; a NUL byte in text, 22021) and all servers refuse a string too
 * long for its column (22001, ER_DATA_TOO_LONG) or a number out of range (22003). The error filter
 * answers them 400 instead of 500; nothing was written (the statement failed).
 */
const MALFORMED_CODES = new Set(['22P02', '22021', '22001', '22003', '22007', '22008', 'ER_DATA_TOO_LONG']);

export function isMalformedValue(err: unknown): boolean {
  for (const e of [err, (err as { driverError?: unknown } | null)?.driverError]) {
    const code = (e as { code?: unknown } | null)?.code;
    if (typeof code === 'string' && MALFORMED_CODES.has(code)) return true;
  }
  return false;
}

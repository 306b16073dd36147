/**
 * True when `err` (or the driver error TypeORM wraps in it) is a unique-index violation:
 * MySQL/MariaDB ER_DUP_ENTRY, SQLite SQLITE_CONSTRAINT_UNIQUE / _PRIMARYKEY, PostgreSQL 23505.
 * Callers answer it as a 409 Conflict (or treat it as "someone else inserted it first").
 */
export function isUniqueViolation(err: unknown): boolean {
  for (const e of [err, (err as { driverError?: unknown } | null)?.driverError]) {
    const code = (e as { code?: unknown } | null)?.code;
    if (code === 'ER_DUP_ENTRY' || code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY' || code === '23505') {
      return true;
    }
  }
  return false;
}

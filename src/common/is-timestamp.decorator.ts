import { isISO8601, ValidateBy, ValidationOptions } from 'class-validator';

/** A calendar date, optionally with a time: no week (2026-W01) or ordinal (2026-032) dates. */
const CALENDAR_DATE = /^\d{4}-\d{2}-\d{2}(T|$)/;

/**
 * A point in time the API accepts: strict ISO 8601 that JavaScript's Date reads to the same
 * instant, within years 1000–9999 (the DATETIME range every supported database stores).
 * IsISO8601 alone lets through forms such as week dates that Date cannot read: they became
 * Invalid Date and a 500 from the database.
 */
export function isTimestamp(value: unknown): boolean {
  if (typeof value !== 'string' || !CALENDAR_DATE.test(value) || !isISO8601(value, { strict: true })) return false;
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) return false;
  const year = new Date(ms).getUTCFullYear();
  return year >= 1000 && year <= 9999;
}

export function IsTimestamp(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isTimestamp',
      validator: {
        validate: (value: unknown) => isTimestamp(value),
        defaultMessage: () => '$property must be an ISO 8601 date or date-time such as 2026-01-01T08:00:00Z',
      },
    },
    options,
  );
}

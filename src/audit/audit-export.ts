import type { AuditEventView } from './dto/audit-event.view';

/** Column order of the CSV export: the view's fields, details last as JSON. */
export const CSV_COLUMNS: readonly (keyof AuditEventView)[] = [
  'occurredAt',
  'id',
  'actorType',
  'actorId',
  'credentialKind',
  'credentialId',
  'action',
  'targetType',
  'targetId',
  'outcome',
  'ip',
  'userAgent',
  'requestId',
  'details',
];

/** Cells a spreadsheet would read as a formula (OWASP CSV injection), incl. tab and CR. */
const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * One CSV cell (RFC 4180): text that a spreadsheet would evaluate gets a leading `'`, and any
 * cell holding a comma, quote or line break is quoted with its quotes doubled.
 */
export function csvCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  let text = typeof value === 'string' ? value : JSON.stringify(value);
  if (FORMULA_START.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function csvHeaderLine(): string {
  return `${CSV_COLUMNS.join(',')}\r\n`;
}

export function csvLine(e: AuditEventView): string {
  return `${CSV_COLUMNS.map((c) => csvCell(e[c])).join(',')}\r\n`;
}

export function jsonLine(e: AuditEventView): string {
  return `${JSON.stringify(e)}\n`;
}

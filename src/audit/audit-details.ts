/**
 * Audit details use one key style, camelCase (`familyId`, `sessionsRevoked`), like every JSON
 * field Gatehouse writes for its own API. OAuth wire names (`grant_type`) are values there, not
 * keys. These helpers check new details and read old rows.
 */

/** Details whose value is a map keyed by data (credential kinds), not by field names. */
const DATA_KEYED = new Set(['revoked']);

const CAMEL_CASE = /^[a-z][a-zA-Z0-9]*$/;

/** The detail keys, at any depth, that are not camelCase (`a.b_c` for nested ones). */
export function nonCamelCaseKeys(details: unknown, path = ''): string[] {
  if (Array.isArray(details)) return details.flatMap((d) => nonCamelCaseKeys(d, path));
  if (!details || typeof details !== 'object') return [];
  return Object.entries(details as Record<string, unknown>).flatMap(([key, value]) => {
    const here = path ? `${path}.${key}` : key;
    const own = CAMEL_CASE.test(key) ? [] : [here];
    return DATA_KEYED.has(key) ? own : [...own, ...nonCamelCaseKeys(value, here)];
  });
}

const camel = (key: string) => key.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());

/**
 * Rows written before the key style was fixed (`family_id`, `device_authorization_id`) read as
 * camelCase: the log is append-only, so old rows are translated on read, never rewritten.
 */
export function camelCaseDetails(details: unknown): unknown {
  if (Array.isArray(details)) return details.map(camelCaseDetails);
  if (!details || typeof details !== 'object') return details;
  return Object.fromEntries(
    Object.entries(details as Record<string, unknown>).map(([key, value]) => [
      camel(key),
      DATA_KEYED.has(key) ? value : camelCaseDetails(value),
    ]),
  );
}

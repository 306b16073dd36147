/**
 * What the admin pages call each credential kind. The kind itself (`personal_access_token`, …)
 * stays the API's and the URL's identifier; a kind without a label here is shown as it is.
 */
const LABELS: Record<string, string> = {
  session: 'Browser sessions',
  personal_access_token: 'API keys',
  oauth_grant: 'OAuth grants',
  oauth_access_token: 'OAuth access tokens',
  bot_token: 'Bot tokens',
  impersonation: 'Impersonation tokens',
};

/** A person-readable, plural name for a credential kind, e.g. `personal_access_token` → "API keys". */
export function credentialKindLabel(kind: string): string {
  return LABELS[kind] ?? kind;
}

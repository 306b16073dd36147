import type { Flash } from '../sessions/flash.service';

/**
 * The flash after registering a client or rotating its secret: the secret (shown once) with the
 * client id and, after a rotation with grace, when the previous secret stops working.
 */
export function clientSecretFlash(message: string, clientId: string, secret?: string, graceEndsAt?: Date | null): Flash {
  if (!secret) return { message: `${message} Client ID: ${clientId}. It is a public client: it has no secret.` };
  const facts = [{ label: 'Client ID', value: clientId }];
  if (graceEndsAt) facts.push({ label: 'The previous secret works until', value: graceEndsAt.toISOString() });
  return { message, reveal: { title: 'Client secret', value: secret, facts } };
}

import { Injectable } from '@nestjs/common';
import { constantTimeEquals } from '../auth/token-format';
import { InvalidClientError, InvalidRequestError } from '../auth/errors/oauth.errors';
import { ClientSecretsService } from './client-secrets.service';
import type { Client } from './client.entity';
import { ClientsService } from './clients.service';

export type ClientAuthMethod = 'client_secret_basic' | 'client_secret_post' | 'none';

/** What a token-endpoint style request offers to identify its client (RFC 6749 §2.3). */
export interface ClientCredentialsInput {
  /** The raw Authorization header, if any. */
  authorization?: string;
  /** `client_id` and `client_secret` from the body. */
  clientId?: string;
  clientSecret?: string;
}

export interface AuthenticatedClient {
  client: Client;
  method: ClientAuthMethod;
  /** The secret that authenticated it (confidential clients). */
  secretId?: string;
}

/**
 * One message for an unknown, disabled or unauthenticated client and a wrong secret, so the
 * answer never tells which client ids exist or which are confidential.
 */
const UNKNOWN = 'Client authentication failed';

/**
 * Client authentication for the token, revocation and introspection endpoints (and the code
 * flow's token requests): client_secret_basic, client_secret_post, or `client_id` alone for
 * public clients. Secrets are found by hash, never compared as text.
 */
@Injectable()
export class ClientAuthenticator {
  constructor(
    private readonly clients: ClientsService,
    private readonly secrets: ClientSecretsService,
  ) {}

  async authenticate(input: ClientCredentialsInput): Promise<AuthenticatedClient> {
    const basic = input.authorization !== undefined ? parseBasic(input.authorization) : undefined;
    if (basic) {
      // RFC 6749 §2.3: a client MUST NOT use more than one authentication method per request.
      if (input.clientSecret !== undefined) throw new InvalidRequestError('Use either HTTP Basic or client_secret in the body, not both');
      if (input.clientId !== undefined && input.clientId !== basic.clientId) {
        throw new InvalidRequestError('client_id in the body does not match the HTTP Basic credentials');
      }
      return this.withSecret(basic.clientId, basic.secret, 'client_secret_basic');
    }
    if (input.clientSecret !== undefined) {
      if (!input.clientId) throw new InvalidRequestError('client_secret requires client_id');
      return this.withSecret(input.clientId, input.clientSecret, 'client_secret_post');
    }
    if (input.clientId) {
      const client = await this.clients.findActiveById(input.clientId);
      if (!client) throw new InvalidClientError(UNKNOWN);
      // A confidential client must prove itself; naming it is not enough.
      if (client.type !== 'public') throw new InvalidClientError(UNKNOWN);
      return { client, method: 'none' };
    }
    throw new InvalidClientError('Client authentication is required');
  }

  private async withSecret(clientId: string, secret: string, method: ClientAuthMethod): Promise<AuthenticatedClient> {
    const live = await this.secrets.authenticate(secret);
    // The secret identifies the client; the claimed id must match it (compared in constant time).
    if (!live || !constantTimeEquals(live.clientId, clientId) || live.client.type !== 'confidential') {
      throw new InvalidClientError(UNKNOWN);
    }
    return { client: live.client, method, secretId: live.id };
  }
}

/**
 * `Authorization: Basic base64(urlencode(client_id):urlencode(client_secret))` (RFC 6749 §2.3.1).
 * Another scheme is not client authentication here: invalid_client with a Basic challenge.
 */
export function parseBasic(header: string): { clientId: string; secret: string } {
  const match = /^Basic\s+([A-Za-z0-9+/=._~-]+)\s*$/i.exec(header.trim());
  if (!match) throw new InvalidClientError('Only HTTP Basic client authentication is accepted in the Authorization header');
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) throw new InvalidClientError('Malformed HTTP Basic credentials');
  try {
    return { clientId: formDecode(decoded.slice(0, colon)), secret: formDecode(decoded.slice(colon + 1)) };
  } catch {
    throw new InvalidClientError('Malformed HTTP Basic credentials');
  }
}

function formDecode(s: string): string {
  return decodeURIComponent(s.replace(/\+/g, ' '));
}

/** The client a request claims to be, before authentication: the per-client rate-limit key. */
export function claimedClientId(input: ClientCredentialsInput): string | undefined {
  if (input.authorization) {
    try {
      return parseBasic(input.authorization).clientId;
    } catch {
      return undefined;
    }
  }
  return input.clientId;
}

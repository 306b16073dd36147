import type { FastifyRequest } from 'fastify';
import { authorizationHeaderCount } from '../auth/authorization-header';
import { InvalidRequestError } from '../auth/errors/oauth.errors';
import type { ClientAuthMethod, ClientCredentialsInput } from '../clients/client-authenticator.service';
import type { OAuthParams } from './oauth-params';

/**
 * The client credentials an OAuth endpoint request carries, for ClientAuthenticator. Two
 * Authorization headers are a malformed request (RFC 6749 §5.2 invalid_request): Node keeps only
 * the first, so the client would be authenticated by a header a proxy may not have looked at.
 */
export function clientCredentialsOf(req: FastifyRequest, params: OAuthParams): ClientCredentialsInput {
  if (authorizationHeaderCount(req) > 1) throw new InvalidRequestError('The request has more than one Authorization header');
  return {
    authorization: req.headers.authorization,
    clientId: params.get('client_id'),
    clientSecret: params.get('client_secret'),
  };
}

/** The ways a confidential client authenticates at the OAuth endpoints (RFC 8414 §2 `*_auth_methods_supported`). */
export const CLIENT_AUTH_METHODS: readonly ClientAuthMethod[] = ['client_secret_basic', 'client_secret_post'];

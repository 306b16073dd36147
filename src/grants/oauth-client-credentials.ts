import type { FastifyRequest } from 'fastify';
import type { ClientCredentialsInput } from '../clients/client-authenticator.service';
import type { OAuthParams } from './oauth-params';

/** The client credentials an OAuth endpoint request carries, for ClientAuthenticator. */
export function clientCredentialsOf(req: FastifyRequest, params: OAuthParams): ClientCredentialsInput {
  return {
    authorization: req.headers.authorization,
    clientId: params.get('client_id'),
    clientSecret: params.get('client_secret'),
  };
}

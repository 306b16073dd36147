import type { FastifyInstance } from 'fastify';

/** The client-authenticated OAuth endpoints, whose bodies OAuthParams validates itself. */
export const OAUTH_BODY_PATHS = new Set(['/oauth/token', '/oauth/revoke', '/oauth/introspect', '/oauth/device_authorization']);

/**
 * Fastify answers 415 for a media type it has no parser for, before any route runs. RFC 6749
 * wants `invalid_request` from the OAuth endpoints instead, so for them (only) an unknown media
 * type is accepted as text and OAuthParams refuses it. Every other route keeps its 415.
 */
export function acceptAnyMediaTypeOnOAuthEndpoints(fastify: FastifyInstance, bodyLimit: number): void {
  fastify.addContentTypeParser('*', { parseAs: 'string', bodyLimit }, (req, body, done) => {
    if (OAUTH_BODY_PATHS.has(req.url.split('?')[0])) return done(null, body);
    const err = Object.assign(new Error('Unsupported Media Type'), { statusCode: 415, code: 'FST_ERR_CTP_INVALID_MEDIA_TYPE' });
    done(err, undefined);
  });
}

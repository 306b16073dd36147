import type { FastifyReply, FastifyRequest } from 'fastify';
import pino, { Logger } from 'pino';
import type { AppConfig } from './config/app-config';

/**
 * Anything shaped like a Gatehouse secret (`<prefix>_<36 base62>`, see auth/token-format.ts),
 * whatever its prefix: one rule that also covers credential kinds added later by other modules.
 */
const SECRET_SHAPED = /\b([a-z]{2,8})_[0-9A-Za-z]{36}\b/g;
/** Query parameters that carry credentials (RFC 6749 §4.1.2 code, RFC 6750 §2.3 access_token). */
const SECRET_PARAMS = /([?&](?:code|access_token|token|refresh_token|client_secret|device_code|subject_token|actor_token)=)[^&#\s"]*/gi;

/**
 * JOSE compact serialisations (RFC 7515 §7.1 JWS: 3 parts, RFC 7516 §7.1 JWE: 5 parts), whose
 * header is base64url JSON and so starts with `eyJ`: JWT access tokens and the sealed cookies.
 */
const JOSE_SHAPED = /\beyJ[A-Za-z0-9_-]+(?:\.[A-Za-z0-9_-]*){2,4}/g;

/** Masks credentials in one string: token-shaped values, JOSE objects and credential-carrying query parameters. */
export function redactSecrets(text: string): string {
  return text.replace(SECRET_SHAPED, '$1_[redacted]').replace(JOSE_SHAPED, '[redacted-jwt]').replace(SECRET_PARAMS, '$1[redacted]');
}

/** Keys whose values are credentials whatever they look like (headers, form fields, cookies). */
const SECRET_KEYS = new Set([
  'authorization',
  'cookie',
  'set-cookie',
  'location',
  'x-csrf-token',
  '_csrf',
  'password',
  'currentpassword',
  'newpassword',
  'client_secret',
  'clientsecret',
  'code_verifier',
  'token',
  'access_token',
  'refresh_token',
  'device_code',
  'subject_token',
  'actor_token',
]);

function redactDeep(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return redactSecrets(value);
  if (depth > 6 || value === null || typeof value !== 'object') return value;
  if (value instanceof Error) return { type: value.name, message: redactSecrets(value.message), stack: redactSecrets(value.stack ?? '') };
  if (Array.isArray(value)) return value.map((v) => redactDeep(v, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value))
    out[k] = SECRET_KEYS.has(k.toLowerCase()) && v != null ? '[redacted]' : redactDeep(v, depth + 1);
  return out;
}

/**
 * Marks a log object whose every value was built from known-safe parts (the access line): the
 * formatter skips its walk. A symbol, so it is never serialised.
 */
const PRE_REDACTED = Symbol('pre-redacted');
const ACCESS_MESSAGE = 'request completed';

/**
 * The process's one pino logger: JSON lines on stdout. Every line, whatever logs it, goes through
 * one redaction rule (token shapes, credential query parameters, and credential-named fields such
 * as headers and form fields), so a secret cannot reach a log even through an error message or a URL.
 */
export function createRootLogger(config: Pick<AppConfig, 'logLevel'>): Logger {
  return pino({
    level: config.logLevel,
    base: { service: 'gatehouse' },
    formatters: { log: (obj) => ((obj as Record<symbol, unknown>)[PRE_REDACTED] ? obj : (redactDeep(obj) as Record<string, unknown>)) },
    hooks: {
      logMethod(args, method) {
        // The message string too (pino's formatters see only the merged object).
        const i = typeof args[0] === 'string' ? 0 : typeof args[1] === 'string' ? 1 : -1;
        if (i >= 0 && args[i] !== ACCESS_MESSAGE) args[i] = redactSecrets(args[i] as string);
        return method.apply(this, args as Parameters<typeof method>);
      },
    },
  });
}

/**
 * A Fastify onResponse hook writing one short access line per request: method, route pattern
 * (never the query string), status, duration in ms, request id and the principal's actor id.
 * It replaces per-request child loggers and AsyncLocalStorage: nothing is allocated before the
 * response is sent, and nothing at all when the level is above `info`.
 */
export function accessLogHook(logger: Logger) {
  return (req: FastifyRequest, reply: FastifyReply, done: () => void): void => {
    if (logger.isLevelEnabled('info')) {
      logger.info(
        {
          // The route pattern is the app's own; a path no route matched may carry anything.
          req: { id: req.id, method: req.method, path: req.routeOptions?.url ?? redactSecrets(req.url.split('?', 1)[0]) },
          res: { statusCode: reply.statusCode },
          responseTime: Math.round(reply.elapsedTime * 10) / 10,
          principal: req.user ? `${req.user.actor.type}:${req.user.actor.id}` : undefined,
          [PRE_REDACTED]: true,
        },
        ACCESS_MESSAGE,
      );
    }
    done();
  };
}

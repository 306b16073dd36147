import type { FastifyRequest } from 'fastify';
import { InvalidRequestError, InvalidScopeError } from '../auth/errors/oauth.errors';

const FORM = 'application/x-www-form-urlencoded';
const JSON_TYPE = 'application/json';
/** RFC 6749 §3.3: scope-token = 1*( %x21 / %x23-5B / %x5D-7E ). */
const SCOPE_TOKEN = /^[\x21\x23-\x5B\x5D-\x7E]+$/;

/**
 * The parameters of an OAuth endpoint request, read the one way every OAuth endpoint reads
 * them: a form body (RFC 6749) or a JSON body (some integrations post JSON; `scope` may then
 * be an array). Any other media type, a repeated parameter or a non-string value is
 * `invalid_request` (RFC 6749 §3.2: parameters MUST NOT be included more than once).
 */
export class OAuthParams {
  private constructor(private readonly values: ReadonlyMap<string, string | string[]>) {}

  static fromRequest(req: FastifyRequest): OAuthParams {
    const mediaType = (req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
    if (mediaType !== FORM && mediaType !== JSON_TYPE) {
      throw new InvalidRequestError(`The request body must be ${FORM} or ${JSON_TYPE}`);
    }
    return OAuthParams.fromBody(req.body, mediaType === JSON_TYPE);
  }

  static fromBody(body: unknown, json: boolean): OAuthParams {
    if (body === null || typeof body !== 'object' || Array.isArray(body)) {
      throw new InvalidRequestError('The request body must contain the parameters');
    }
    const values = new Map<string, string | string[]>();
    for (const [name, value] of Object.entries(body as Record<string, unknown>)) {
      if (typeof value === 'string') values.set(name, value);
      else if (json && name === 'scope' && Array.isArray(value) && value.every((v) => typeof v === 'string')) {
        values.set(name, value as string[]);
      } else if (Array.isArray(value)) throw new InvalidRequestError(`Parameter ${name} is repeated`);
      else if (value !== null && value !== undefined) throw new InvalidRequestError(`Parameter ${name} must be a string`);
    }
    return new OAuthParams(values);
  }

  /** A single-valued parameter; an empty value counts as omitted (RFC 6749 §3.1). */
  get(name: string): string | undefined {
    const v = this.values.get(name);
    if (Array.isArray(v)) throw new InvalidRequestError(`Parameter ${name} must be a string`);
    return v === '' ? undefined : v;
  }

  require(name: string): string {
    const v = this.get(name);
    if (v === undefined) throw new InvalidRequestError(`Missing parameter: ${name}`);
    return v;
  }

  /** The requested scopes, de-duplicated in order; undefined when `scope` was omitted. */
  scopes(): string[] | undefined {
    const raw = this.values.get('scope');
    if (raw === undefined || raw === '') return undefined;
    const tokens = Array.isArray(raw) ? raw : raw.split(' ');
    if (tokens.some((t) => !SCOPE_TOKEN.test(t))) {
      throw new InvalidScopeError('scope must be space-delimited scope tokens (RFC 6749 §3.3)');
    }
    return [...new Set(tokens)];
  }
}

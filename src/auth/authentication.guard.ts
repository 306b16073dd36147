import { CanActivate, ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import { AuthDenialListeners } from './auth-denial-listeners';
import { AuthStrategyRegistry } from './auth-strategy-registry';
import { authorizationHeaderCount } from './authorization-header';
import {
  AuthenticationRequiredError,
  AuthError,
  InsufficientScopeError,
  InvalidAuthRequestError,
  InvalidTokenError,
  LoginRequiredRedirect,
  SchemeNotAcceptedError,
} from './errors/auth.errors';
import { PassportStrategyRunner } from './passport-strategy-runner';
import { AuthScheme, Principal } from './principal';
import { DEFAULT_SCHEMES, ROUTE_AUTH, RouteAuth } from './route-auth';
import { APP_CONFIG, AppConfig } from '../config/app-config';

const SCHEME_LABEL: Record<AuthScheme, string> = { bearer: 'Bearer', cookie: 'cookie', secret: 'Secret' };
const INVALID_SECRET = 'The client secret is invalid or revoked, or its client is disabled';

/** A route's auth declaration as the guard uses it, resolved once per handler. */
interface ResolvedRouteAuth {
  readonly public: boolean;
  readonly schemes: ReadonlySet<AuthScheme>;
  readonly scopes: readonly string[];
  readonly page: boolean;
}

/**
 * The global guard (APP_GUARD): every route is authenticated unless it is @Public().
 * It picks the scheme the request presents, refuses schemes the route does not accept,
 * hands a token to the one Passport strategy that claims its prefix (the cookie to the cookie
 * strategies), then checks scopes.
 *
 * Per request it does only that: the route's declaration is read from the Reflector once per
 * handler, and the strategy runs by Passport's strategy protocol (PassportStrategyRunner) without
 * @nestjs/passport's and passport.authenticate's per-request wrapping (docs/performance.md).
 */
@Injectable()
export class AuthenticationGuard implements CanActivate {
  private readonly runner = new PassportStrategyRunner();
  /** Controller class → handler → its resolved declaration (handlers can be inherited by several classes). */
  private readonly routeAuth = new WeakMap<object, WeakMap<object, ResolvedRouteAuth>>();
  /** The cookie scheme's strategy names, read once: registration ends at start-up. */
  private cookieStrategies?: string[];

  constructor(
    private readonly reflector: Reflector,
    private readonly strategies: AuthStrategyRegistry,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly denials: AuthDenialListeners,
  ) {}

  async canActivate(ctx: ExecutionContext): Promise<boolean> {
    const auth = this.routeAuthFor(ctx);
    if (auth.public) return true;

    const req = ctx.switchToHttp().getRequest<FastifyRequest>();
    try {
      const scheme = presentedScheme(req, this.config.session.cookieName);
      if (!scheme) throw new AuthenticationRequiredError();
      if (!auth.schemes.has(scheme)) throw new SchemeNotAcceptedError(SCHEME_LABEL[scheme]);
      req.user = await this.authenticate(scheme, req);
      for (const scope of auth.scopes) if (!req.user.scopes.has(scope)) throw new InsufficientScopeError(auth.scopes);
      return true;
    } catch (err) {
      if (err instanceof AuthError) await this.denials.notify({ ctx, error: err });
      if (auth.page && err instanceof AuthError && err.status === 401 && !isApiClient(req)) {
        throw new LoginRequiredRedirect(req.url);
      }
      throw err;
    }
  }

  /**
   * The Principal the scheme's strategy proves. A Bearer or Secret token goes to the one strategy
   * that claims its prefix (a map lookup); a token nobody claims is a 401 invalid_token
   * (RFC 6750 §3.1) before any strategy, so before any database lookup. The cookie runs its
   * scheme's strategies in order, the first that succeeds wins.
   */
  private async authenticate(scheme: AuthScheme, req: FastifyRequest): Promise<Principal> {
    if (scheme === 'cookie') {
      const names = this.cookieStrategies ?? (this.cookieStrategies = this.strategies.strategiesFor('cookie').map((c) => c.strategy));
      if (names.length === 0) throw new SchemeNotAcceptedError(SCHEME_LABEL[scheme]);
      for (const name of names) {
        const user = await this.runner.run(name, req);
        if (user) return user as Principal;
      }
      throw new AuthenticationRequiredError('The session is missing, expired or revoked');
    }
    const invalid = () => (scheme === 'secret' ? new InvalidTokenError(INVALID_SECRET) : new InvalidTokenError());
    const token = presentedToken(req.headers.authorization!);
    const claim = this.strategies.claimFor(scheme, token);
    if (!claim) throw invalid();
    // One parse of the header: the strategies' own parsers (passport-http-bearer splits on a
    // single space) read it as the guard did, so `Bearer  <token>` (RFC 6750 §2.1: 1*SP) is
    // the token the guard dispatched, not a refusal by another reading of the same header.
    const canonical = `${SCHEME_LABEL[scheme]} ${token}`;
    if (req.headers.authorization !== canonical) req.headers.authorization = canonical;
    const user = await this.runner.run(claim.strategy, req);
    if (!user) throw invalid();
    return user as Principal;
  }

  /** The handler's @Public()/@Authenticated() declaration (handler over class), read once per route. */
  private routeAuthFor(ctx: ExecutionContext): ResolvedRouteAuth {
    const cls = ctx.getClass();
    const handler = ctx.getHandler();
    let byHandler = this.routeAuth.get(cls);
    if (!byHandler) this.routeAuth.set(cls, (byHandler = new WeakMap()));
    let resolved = byHandler.get(handler);
    if (!resolved) {
      const declared = this.reflector.getAllAndOverride<RouteAuth | undefined>(ROUTE_AUTH, [handler, cls]);
      resolved = Object.freeze({
        public: declared?.public === true,
        schemes: new Set(declared && !declared.public ? declared.schemes : DEFAULT_SCHEMES),
        scopes: Object.freeze([...(declared && !declared.public ? declared.scopes : [])]),
        page: declared !== undefined && !declared.public && declared.page,
      });
      byHandler.set(handler, resolved);
    }
    return resolved;
  }
}

/** Page routes send browsers to sign in; a client presenting a token or asking only for JSON gets the 401. */
function isApiClient(req: FastifyRequest): boolean {
  const accept = req.headers.accept ?? '';
  return req.headers.authorization !== undefined || (accept.includes('application/json') && !accept.includes('text/html'));
}

/** RFC 6750 §2.1: `credentials = "Bearer" 1*SP b64token` (the Secret scheme has the same shape). */
const ONE_TOKEN = /^\S+ +[A-Za-z0-9\-._~+/]+=*$/;

/**
 * Which scheme the request presents. The Authorization header wins over a cookie. A header that
 * is not `<scheme> <one token>`, one of several Authorization headers, or a token also sent as an
 * `access_token` parameter, is a 400
 * (RFC 6750 §3.1 invalid_request): the request is malformed, not its token unknown.
 */
export function presentedScheme(req: FastifyRequest, cookieName: string): AuthScheme | undefined {
  const header = req.headers.authorization;
  if (header !== undefined) {
    if (authorizationHeaderCount(req) > 1)
      throw new InvalidAuthRequestError('The request has more than one Authorization header (RFC 6750 §3.1)');
    const word = header.trim().split(/\s+/, 1)[0]?.toLowerCase();
    if (word !== 'bearer' && word !== 'secret') throw new AuthenticationRequiredError('Unsupported Authorization scheme');
    if (!ONE_TOKEN.test(header.trim()))
      throw new InvalidAuthRequestError(`The Authorization header must be "${SCHEME_LABEL[word]} <token>"`);
    if (accessTokenParameter(req)) throw new InvalidAuthRequestError('The access token was sent in more than one way (RFC 6750 §2)');
    return word;
  }
  return req.cookies?.[cookieName] ? 'cookie' : undefined;
}

/** The token of an `Authorization` header that `presentedScheme` accepted: `<scheme> <token>`. */
export function presentedToken(header: string): string {
  const trimmed = header.trim();
  return trimmed.slice(trimmed.indexOf(' ') + 1).trimStart();
}

/** An `access_token` in the query string or the body (RFC 6750 §2.2, §2.3). */
function accessTokenParameter(req: FastifyRequest): boolean {
  const query = req.query as Record<string, unknown> | undefined;
  const body = req.body as Record<string, unknown> | null | undefined;
  return query?.access_token !== undefined || (typeof body === 'object' && body !== null && 'access_token' in body);
}

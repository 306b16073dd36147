import { Injectable, RequestMethod, type INestApplication, type NestInterceptor } from '@nestjs/common';
import {
  INTERCEPTORS_METADATA,
  METHOD_METADATA,
  RENDER_METADATA,
  RESPONSE_PASSTHROUGH_METADATA,
  ROUTE_ARGS_METADATA,
} from '@nestjs/common/constants';
import { RouteParamtypes } from '@nestjs/common/enums/route-paramtypes.enum';
import { ModulesContainer } from '@nestjs/core';
import { ROUTE_AUTH, type RouteAuth } from './route-auth';

/** What is known of a route before any request: enough to decide which interceptors it needs. */
export interface RouteFacts {
  method: RequestMethod;
  /** GET, HEAD or OPTIONS. */
  safe: boolean;
  /** The route's auth declaration (method over class); undefined = default (authenticated). */
  auth: RouteAuth | undefined;
  /**
   * It renders a page: @Render, it takes the reply itself (`@Res()` without passthrough), or it
   * is a page route (`page: true`) that sets something on the reply (`@Res({ passthrough: true })`).
   * An API route that only sets headers through a passthrough reply renders nothing.
   */
  renders: boolean;
  /** Read metadata of the handler, then its controller. */
  metadata<T>(key: string): T | undefined;
}

type Handler = (...args: unknown[]) => unknown;
interface Binding {
  interceptor: NestInterceptor;
  when: (route: RouteFacts) => boolean;
  order: number;
}

/**
 * Route-scoped interceptors, registered by the modules that own them, attached at start-up only
 * to the routes whose `when` says they need them. A global (APP_INTERCEPTOR) interceptor costs
 * every request an rxjs pipeline and two AsyncResource bindings even when it does nothing for it;
 * bound this way, a GET of the resource API runs no interceptor at all.
 *
 * Register from the interceptor's constructor; `bindTo` runs after NestFactory.create and before
 * the app initialises (listen/init), when Nest reads interceptor metadata to build each route.
 * Apps in one process (tests) share the handlers' metadata: a later `bindTo` replaces an earlier
 * app's instances, so initialise each app before the next one binds.
 */
@Injectable()
export class RouteInterceptorRegistry {
  private readonly bindings: Binding[] = [];

  /** `order`: lower runs outside (first). */
  register(interceptor: NestInterceptor, when: (route: RouteFacts) => boolean, order = 0): void {
    this.bindings.push({ interceptor, when, order });
  }

  bindTo(app: INestApplication): void {
    const bindings = [...this.bindings].sort((a, b) => a.order - b.order);
    for (const module of app.get(ModulesContainer).values()) {
      for (const wrapper of module.controllers.values()) {
        const controller = wrapper.metatype as Controller | null;
        if (!controller) continue;
        for (const [name, handler] of routeHandlers(controller.prototype as object)) {
          const facts = factsOf(controller, name, handler);
          const wanted = bindings.filter((b) => b.when(facts)).map((b) => b.interceptor);
          // Metadata lives on the handler function, which every app in the process shares: start
          // from the @UseInterceptors list, not from what an earlier (maybe closed) app bound.
          if (!declared.has(handler))
            declared.set(handler, (Reflect.getMetadata(INTERCEPTORS_METADATA, handler) as unknown[] | undefined) ?? []);
          const own = declared.get(handler)!;
          if (wanted.length === 0 && Reflect.getMetadata(INTERCEPTORS_METADATA, handler) === undefined) continue;
          Reflect.defineMetadata(INTERCEPTORS_METADATA, [...wanted, ...own], handler);
        }
      }
    }
  }
}

/** Each route handler's own (@UseInterceptors) interceptors, before any app bound its instances. */
const declared = new WeakMap<Handler, unknown[]>();

const SAFE = new Set<RequestMethod>([RequestMethod.GET, RequestMethod.HEAD, RequestMethod.OPTIONS]);

type Controller = new (...args: never[]) => unknown;

function factsOf(controller: Controller, name: string, handler: Handler): RouteFacts {
  const metadata = <T>(key: string) => (Reflect.getMetadata(key, handler) ?? Reflect.getMetadata(key, controller)) as T | undefined;
  const method = Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod;
  const args = (Reflect.getMetadata(ROUTE_ARGS_METADATA, controller, name) ?? {}) as Record<string, unknown>;
  const usesReply = Object.keys(args).some((key) => key.startsWith(`${RouteParamtypes.RESPONSE}:`));
  // `@Res({ passthrough: true })` is recorded on the class by method name, not in the argument's
  // metadata (which has no `data` for @Res): reading it there took every passthrough route for a
  // page, so UserInfo and the token endpoints ran the page-layout interceptor (an rxjs pipeline
  // per request, and a GET carrying a flash cookie consumed the flash).
  const passthrough = Reflect.getMetadata(RESPONSE_PASSTHROUGH_METADATA, controller, name) === true;
  const auth = metadata<RouteAuth>(ROUTE_AUTH);
  return {
    method,
    safe: SAFE.has(method),
    auth,
    renders:
      Reflect.getMetadata(RENDER_METADATA, handler) !== undefined || (usesReply && (!passthrough || (auth?.public === false && auth.page))),
    metadata,
  };
}

/** The route handlers of a controller (inherited ones included), by method name. */
function routeHandlers(proto: object): [string, Handler][] {
  const found = new Map<string, Handler>();
  for (let p: object | null = proto; p && p !== Object.prototype; p = Object.getPrototypeOf(p) as object | null) {
    for (const name of Object.getOwnPropertyNames(p)) {
      const value = Object.getOwnPropertyDescriptor(p, name)?.value as unknown;
      if (
        name !== 'constructor' &&
        !found.has(name) &&
        typeof value === 'function' &&
        Reflect.getMetadata(METHOD_METADATA, value) !== undefined
      ) {
        found.set(name, value as Handler);
      }
    }
  }
  return [...found];
}

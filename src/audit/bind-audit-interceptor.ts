import { RequestMethod, type INestApplication } from '@nestjs/common';
import { INTERCEPTORS_METADATA, METHOD_METADATA } from '@nestjs/common/constants';
import { ModulesContainer } from '@nestjs/core';
import { ROUTE_AUTH, type RouteAuth } from '../auth/route-auth';
import { AUDIT_ACTION } from './audit-action.decorator';
import { AuditRequestInterceptor } from './audit-request.interceptor';

const SAFE = new Set<RequestMethod>([RequestMethod.GET, RequestMethod.HEAD, RequestMethod.OPTIONS]);

/**
 * Attaches the audit interceptor to exactly the handlers it may record: those marked
 * @AuditAction (on the method or its controller) and every non-public handler of an unsafe
 * method, in any module. Other routes (every GET of the resource API) run no interceptor at all, so Nest builds
 * no rxjs pipeline for them. Must run after NestFactory.create and before the app initialises
 * (listen/init), when Nest reads interceptor metadata to build each route's handler.
 */
export function bindAuditInterceptor(app: INestApplication): void {
  const interceptor = app.get(AuditRequestInterceptor, { strict: false });
  for (const module of app.get(ModulesContainer).values()) {
    for (const wrapper of module.controllers.values()) {
      const controller = wrapper.metatype as (new (...args: never[]) => unknown) | null;
      if (!controller) continue;
      const classAudited = Reflect.getMetadata(AUDIT_ACTION, controller) !== undefined;
      for (const handler of routeHandlers(controller.prototype as object)) {
        const method = Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod;
        const explicit = classAudited || Reflect.getMetadata(AUDIT_ACTION, handler) !== undefined;
        // Without @AuditAction it records only requests with a principal: never on public routes.
        const routeAuth = (Reflect.getMetadata(ROUTE_AUTH, handler) ?? Reflect.getMetadata(ROUTE_AUTH, controller)) as RouteAuth | undefined;
        if (!explicit && (SAFE.has(method) || routeAuth?.public)) continue;
        const existing = (Reflect.getMetadata(INTERCEPTORS_METADATA, handler) as unknown[] | undefined) ?? [];
        if (!existing.includes(interceptor)) Reflect.defineMetadata(INTERCEPTORS_METADATA, [interceptor, ...existing], handler);
      }
    }
  }
}

/** The route handlers of a controller, inherited ones included. */
type Handler = (...args: unknown[]) => unknown;

function routeHandlers(proto: object): Handler[] {
  const found = new Set<Handler>();
  for (let p: object | null = proto; p && p !== Object.prototype; p = Object.getPrototypeOf(p) as object | null) {
    for (const name of Object.getOwnPropertyNames(p)) {
      const value = Object.getOwnPropertyDescriptor(p, name)?.value as unknown;
      if (name !== 'constructor' && typeof value === 'function' && Reflect.getMetadata(METHOD_METADATA, value) !== undefined) found.add(value as Handler);
    }
  }
  return [...found];
}

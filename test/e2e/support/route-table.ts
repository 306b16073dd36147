import * as fs from 'node:fs';
import { RequestMethod, Type } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA, ROUTE_ARGS_METADATA } from '@nestjs/common/constants';
import { RouteParamtypes } from '@nestjs/common/enums/route-paramtypes.enum';
import { MetadataScanner, ModulesContainer } from '@nestjs/core';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { RECENT_AUTHENTICATION } from '../../../src/auth/decorators/requires-recent-authentication.decorator';
import { ROUTE_AUTH, RouteAuth } from '../../../src/auth/route-auth';

/** One route a Nest controller serves, with the auth declaration the global guard will read. */
export interface DeclaredRoute {
  method: string;
  path: string;
  controller: string;
  /** The controller class (for reading the handler's parameter metadata). */
  controllerType: Type;
  handler: string;
  /** Undefined when neither the handler nor its controller carries @Public()/@Authenticated(). */
  auth: RouteAuth | undefined;
  /** @RequiresRecentAuthentication() (step-up): a browser session must have authenticated recently. */
  stepUp: boolean;
}

function joinPath(...parts: string[]): string {
  const joined = parts
    .map((p) => p.replace(/^\/+|\/+$/g, ''))
    .filter(Boolean)
    .join('/');
  return `/${joined}`;
}

function asList(value: unknown): string[] {
  if (value === undefined) return [''];
  return [value].flat().map(String);
}

/** Every route of the given controllers, read from Nest's own PATH/METHOD metadata. */
export function routesOf(controllers: Type[]): DeclaredRoute[] {
  const scanner = new MetadataScanner();
  const routes: DeclaredRoute[] = [];
  for (const controller of controllers) {
    const prefixes = asList(Reflect.getMetadata(PATH_METADATA, controller));
    for (const name of scanner.getAllMethodNames(controller.prototype)) {
      const handler = controller.prototype[name] as object;
      const method = Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod | undefined;
      if (method === undefined || Reflect.getMetadata(PATH_METADATA, handler) === undefined) continue;
      // Same precedence as the guard's getAllAndOverride: the handler wins over the controller.
      const auth = (Reflect.getMetadata(ROUTE_AUTH, handler) ?? Reflect.getMetadata(ROUTE_AUTH, controller)) as RouteAuth | undefined;
      for (const prefix of prefixes) {
        for (const path of asList(Reflect.getMetadata(PATH_METADATA, handler))) {
          routes.push({
            method: RequestMethod[method],
            path: joinPath(prefix, path),
            controller: controller.name,
            controllerType: controller,
            handler: name,
            auth,
            stepUp: Reflect.getMetadata(RECENT_AUTHENTICATION, handler) === true,
          });
        }
      }
    }
  }
  return routes;
}

/** The controllers of every module of a running app. */
export function controllersOf(app: NestFastifyApplication): Type[] {
  const found = new Set<Type>();
  for (const module of app.get(ModulesContainer).values()) {
    for (const wrapper of module.controllers.values()) found.add(wrapper.metatype as Type);
  }
  return [...found];
}

/** `GET /devices  schemes=bearer,cookie scopes=read:device`, `POST /auth/login  public`. */
export function describeRoute(r: DeclaredRoute): string {
  const head = `${r.method} ${r.path}`;
  if (!r.auth) return `${head}  UNDECLARED`;
  if (r.auth.public) return `${head}  public`;
  const scopes = r.auth.scopes.length ? r.auth.scopes.join(',') : '-';
  return `${head}  schemes=${r.auth.schemes.join(',')} scopes=${scopes}${r.auth.page ? ' page' : ''}${r.stepUp ? ' step-up' : ''}`;
}

/**
 * Every method+path Fastify serves, parsed from `printRoutes({ commonPrefix: false })`.
 * HEAD is left out (Fastify adds it to every GET).
 */
export function fastifyRoutes(app: NestFastifyApplication): { method: string; path: string }[] {
  return parseRouteTree(app.getHttpAdapter().getInstance().printRoutes({ commonPrefix: false }));
}

/**
 * Parses Fastify's route tree: each line is a path segment indented four characters per level,
 * with its methods in brackets. Sibling routes that name the same parameter differently share one
 * node, which Fastify prints as `/:id|:deviceId`; compare such paths with {@link routeShape}.
 */
export function parseRouteTree(tree: string): { method: string; path: string }[] {
  const stack: string[] = [];
  const out: { method: string; path: string }[] = [];
  for (const line of tree.split('\n')) {
    const m = /^((?:│ {3}| {4})*)(?:├── |└── )(.*?)(?: \(([A-Z, ]+)\))?$/.exec(line);
    if (!m) continue;
    const depth = m[1].length / 4;
    stack.length = depth;
    stack.push(m[2]);
    const path = stack.join('');
    for (const method of (m[3] ?? '').split(', ').filter((x) => x && x !== 'HEAD')) out.push({ method, path });
  }
  return out;
}

/**
 * A path with every parameter name erased: `/devices/:deviceId/alerts` and Fastify's
 * `/devices/:id|:deviceId/alerts` are both `/devices/:/alerts`. Parameter names are Nest's
 * business (audit targets read them), so the route comparison must not depend on them.
 */
export function routeShape(path: string): string {
  return path.replace(/:[^/|]+(?:\|:[^/|]+)*/g, ':');
}

/** What changed between the snapshot's route lines and the app's, one line per route. */
export function routeLineChanges(before: string[], after: string[]): string[] {
  const key = (line: string) => line.split('  ')[0];
  const old = new Map(before.map((l) => [key(l), l]));
  const now = new Map(after.map((l) => [key(l), l]));
  const changes: string[] = [];
  for (const [k, line] of now) {
    const was = old.get(k);
    if (was === undefined) changes.push(`new:     ${line}`);
    else if (was !== line) changes.push(`changed: ${line}   (was: ${was.slice(k.length).trim()})`);
  }
  for (const [k, line] of old) if (!now.has(k)) changes.push(`removed: ${line}`);
  return changes;
}

/** The route lines of a stored Jest snapshot (the `"…",` lines of the named entry), or undefined. */
export function snapshotLines(snapFile: string, name: string): string[] | undefined {
  if (!fs.existsSync(snapFile)) return undefined;
  const entries: Record<string, string> = {};
  // A .snap file is a CommonJS module that assigns template strings to `exports[name]`.
  new Function('exports', fs.readFileSync(snapFile, 'utf8'))(entries);
  const entry = entries[name];
  if (entry === undefined) return undefined;
  return [...entry.matchAll(/^\s*"(.*)",$/gm)].map((m) => JSON.parse(`"${m[1]}"`) as string);
}

/** The DTO classes a route validates: the types of its whole-object @Body() and @Query() parameters. */
export function inputDtosOf(r: DeclaredRoute): { body?: Type; query?: Type } {
  const args = (Reflect.getMetadata(ROUTE_ARGS_METADATA, r.controllerType, r.handler) ?? {}) as Record<
    string,
    { index: number; data?: unknown }
  >;
  const types = (Reflect.getMetadata('design:paramtypes', r.controllerType.prototype, r.handler) ?? []) as Type[];
  const found: { body?: Type; query?: Type } = {};
  for (const [key, arg] of Object.entries(args)) {
    const kind = Number(key.split(':')[0]);
    const type = types[arg.index];
    // A named parameter (@Query('next')) is a single value, not a DTO; Object means "untyped".
    if (arg.data !== undefined || !type || type === Object) continue;
    if (kind === RouteParamtypes.BODY) found.body = type;
    if (kind === RouteParamtypes.QUERY) found.query = type;
  }
  return found;
}

import { RequestMethod, Type } from '@nestjs/common';
// Nest keeps its metadata keys in this subpath; reading them is how the route of a handler is
// known without starting the app. A rename there breaks compilation here, not the document.
import { HTTP_CODE_METADATA, METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { Reflector } from '@nestjs/core';
import { PUBLIC_ROUTE, REQUIRED_SCOPE } from '../api-keys/access.decorator';
import type { ApiKeyScope } from '../api-keys/api-key-scope';
import type { HttpMethod } from './openapi-types';

/** A controller method, named so that renaming it breaks compilation of the operations table. */
export interface HandlerRef {
  readonly controller: Type<unknown>;
  readonly method: string;
}

export function handler<T>(controller: Type<T>, method: keyof T & string): HandlerRef {
  return { controller, method };
}

export type RouteAccess = { readonly kind: 'public' } | { readonly kind: 'scope'; readonly scope: ApiKeyScope } | { readonly kind: 'undeclared' };

/** What Nest will do with a handler, read from the same decorators the router and guards read. */
export interface HandlerRoute {
  readonly method: HttpMethod;
  /** OpenAPI template: `/v1/accounts/{id}`. */
  readonly path: string;
  /** @HttpCode, or Nest's default: 201 for POST, 200 otherwise. */
  readonly successStatus: number;
  readonly access: RouteAccess;
}

const reflector = new Reflector();

export function handlerRoute(ref: HandlerRef): HandlerRoute {
  const fn = (ref.controller.prototype as Record<string, unknown>)[ref.method];
  if (typeof fn !== 'function') throw new Error(`${ref.controller.name}.${ref.method} is not a method`);
  const requestMethod = Reflect.getMetadata(METHOD_METADATA, fn) as RequestMethod | undefined;
  if (requestMethod === undefined) throw new Error(`${ref.controller.name}.${ref.method} has no route decorator`);
  const method = RequestMethod[requestMethod].toLowerCase() as HttpMethod;
  return {
    method,
    path: openApiPath(Reflect.getMetadata(PATH_METADATA, ref.controller), Reflect.getMetadata(PATH_METADATA, fn), `${ref.controller.name}.${ref.method}`),
    successStatus: (Reflect.getMetadata(HTTP_CODE_METADATA, fn) as number | undefined) ?? (requestMethod === RequestMethod.POST ? 201 : 200),
    access: accessOf(fn as (...args: unknown[]) => unknown, ref.controller),
  };
}

/** The guards' own rule (ApiKeyGuard): handler metadata overrides the controller's. */
function accessOf(fn: (...args: unknown[]) => unknown, controller: Type<unknown>): RouteAccess {
  const targets = [fn, controller];
  if (reflector.getAllAndOverride<boolean>(PUBLIC_ROUTE, targets)) return { kind: 'public' };
  const scope = reflector.getAllAndOverride<ApiKeyScope | undefined>(REQUIRED_SCOPE, targets);
  return scope ? { kind: 'scope', scope } : { kind: 'undeclared' };
}

function openApiPath(controllerPath: unknown, methodPath: unknown, where: string): string {
  const segments = [controllerPath, methodPath].flatMap((part) => {
    if (part === undefined) return [];
    if (typeof part !== 'string') throw new Error(`${where}: only single string paths are documented, got ${JSON.stringify(part)}`);
    return part.split('/').filter(Boolean);
  });
  return `/${segments
    .map((segment) => {
      if (/^:[A-Za-z_][A-Za-z0-9_]*$/.test(segment)) return `{${segment.slice(1)}}`;
      // Wildcards and optional segments have no OpenAPI equivalent; refuse rather than mis-document.
      if (/[:*?(){}]/.test(segment)) throw new Error(`${where}: path segment ${segment} cannot be documented`);
      return segment;
    })
    .join('/')}`;
}

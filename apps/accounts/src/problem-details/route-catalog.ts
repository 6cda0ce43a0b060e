/**
 * Which methods the app serves on a path, so a request for a known path with a method it does
 * not serve is answered 405 with an Allow header rather than a misleading 404. Express itself
 * only knows "no route matched"; the catalog is read from its router once routes are registered.
 */
export interface RouteEntry {
  readonly path: string;
  readonly methods: readonly string[];
}

interface CompiledRoute {
  readonly pattern: RegExp;
  readonly methods: readonly string[];
}

export class RouteCatalog {
  private compiled?: CompiledRoute[];

  /** `load` runs on first use, when the router is complete; routes are not known at construction. */
  constructor(private readonly load: () => readonly RouteEntry[]) {}

  /** The methods served on this path, upper-case and sorted; empty when the path is unknown. */
  allowedMethods(path: string): string[] {
    const routes = (this.compiled ??= this.load().flatMap(compile));
    const methods = new Set<string>();
    for (const route of routes) {
      if (route.pattern.test(path)) route.methods.forEach((m) => methods.add(m));
    }
    // Express answers HEAD with the GET handler, so HEAD is allowed wherever GET is.
    if (methods.has('GET')) methods.add('HEAD');
    return [...methods].sort();
  }
}

function compile(route: RouteEntry): CompiledRoute[] {
  // Only literal and `:param` segments are understood; anything fancier is left out rather than guessed at.
  if (/[*?(){}]/.test(route.path)) return [];
  const source = route.path
    .split('/')
    .map((segment) => (segment.startsWith(':') ? '[^/]+' : segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
    .join('/');
  // Express routing is case-insensitive and tolerates one trailing slash by default; so is this.
  return [{ pattern: new RegExp(`^${source}/?$`, 'i'), methods: route.methods.map((m) => m.toUpperCase()) }];
}

interface ExpressLikeApp {
  router?: { stack?: ReadonlyArray<{ route?: { path?: unknown; methods?: Record<string, boolean> } }> };
}

/** The routes registered on an Express application; catch-all (`all`) routes are not method-specific and are skipped. */
export function expressRoutes(app: unknown): RouteEntry[] {
  const stack = (app as ExpressLikeApp).router?.stack ?? [];
  const entries: RouteEntry[] = [];
  for (const layer of stack) {
    const route = layer.route;
    if (!route || typeof route.path !== 'string' || !route.methods) continue;
    const methods = Object.keys(route.methods).filter((m) => route.methods?.[m] && m !== '_all');
    if (methods.length > 0) entries.push({ path: route.path, methods });
  }
  return entries;
}

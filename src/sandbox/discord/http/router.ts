/**
 * A small route table: templates like `/channels/:channel/messages/:message`, matched segment by
 * segment on the decoded path. The template itself is what the request log records as the route.
 */
export interface RouteMatch<T> {
  route: T;
  params: Record<string, string>;
}

export interface RouteLike {
  method: string;
  template: string;
}

export type MatchResult<T> = { kind: 'found'; match: RouteMatch<T> } | { kind: 'wrong-method' } | { kind: 'none' };

export function matchRoute<T extends RouteLike>(routes: readonly T[], method: string, path: string): MatchResult<T> {
  const segments = splitPath(path);
  let pathMatched = false;
  for (const route of routes) {
    const params = matchTemplate(route.template, segments);
    if (!params) continue;
    if (route.method !== method) {
      pathMatched = true;
      continue;
    }
    return { kind: 'found', match: { route, params } };
  }
  return pathMatched ? { kind: 'wrong-method' } : { kind: 'none' };
}

function splitPath(path: string): string[] {
  return path.split('/').filter((segment) => segment !== '');
}

function matchTemplate(template: string, segments: readonly string[]): Record<string, string> | undefined {
  const parts = splitPath(template);
  if (parts.length !== segments.length) return undefined;
  const params: Record<string, string> = {};
  for (const [index, part] of parts.entries()) {
    const segment = segments[index] ?? '';
    if (part.startsWith(':')) params[part.slice(1)] = segment;
    else if (part !== segment) return undefined;
  }
  return params;
}

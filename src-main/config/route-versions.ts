import type { Route } from '../../src-shared/schemas/routing';

/** A route whose content changes gets a new version number, so exports and history can be told apart. */
export function withRouteVersions(previous: readonly Route[], next: readonly Route[]): Route[] {
  return next.map((route) => {
    const before = previous.find((candidate) => candidate.id === route.id);
    const changed = before && JSON.stringify({ ...before, version: 0 }) !== JSON.stringify({ ...route, version: 0 });
    return changed ? { ...route, version: Math.max(route.version, before.version + 1) } : route;
  });
}

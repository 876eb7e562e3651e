import type { Settings } from '../../src-shared/schemas/settings';

/** How many rules, tier entries and route targets point at a connection. */
export function countReferences(settings: Settings, connectionId: string): number {
  const { rules, tiers, routes } = settings.routing;
  return (
    rules.filter((rule) => rule.connectionId === connectionId).length +
    tiers.reduce((sum, tier) => sum + tier.entries.filter((entry) => entry.connectionId === connectionId).length, 0) +
    routes.reduce((sum, route) => sum + route.targets.filter((target) => target.connectionId === connectionId).length, 0)
  );
}

/** Existing, enabled connections that something routes to: Primary, rules, tiers, routes. */
export function connectionsReferencedByRouting(settings: Settings): string[] {
  const ids = new Set<string>();
  if (settings.primaryConnectionId) ids.add(settings.primaryConnectionId);
  for (const rule of settings.routing.rules) ids.add(rule.connectionId);
  for (const tier of settings.routing.tiers) for (const entry of tier.entries) ids.add(entry.connectionId);
  for (const route of settings.routing.routes) for (const target of route.targets) ids.add(target.connectionId);
  const enabled = new Set(settings.connections.filter((connection) => connection.enabled).map((connection) => connection.id));
  return [...ids].filter((id) => enabled.has(id));
}

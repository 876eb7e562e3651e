import type { RoutingConfig } from './routing';

/** One thing wrong with a routing config: where (a path into the config) and what to do about it. */
export interface RoutingProblem {
  path: Array<string | number>;
  message: string;
}

/** What references in the config must point at, when the caller knows (a config file must be whole). */
export interface RoutingReferences {
  connectionIds: readonly string[];
  agentNames: readonly string[];
}

type CheckedConfig = Pick<RoutingConfig, 'tiers' | 'routes'> & {
  rules: ReadonlyArray<Pick<RoutingConfig['rules'][number], 'context' | 'connectionId'> & { id?: string | undefined }>;
};

function duplicates(list: string, ids: ReadonlyArray<string | undefined>, noun: string, problems: RoutingProblem[]): void {
  const seen = new Set<string>();
  ids.forEach((id, index) => {
    if (id === undefined) return;
    if (seen.has(id))
      problems.push({ path: [list, index, 'id'], message: `"${id}" is used by two ${noun}s. Give each ${noun} its own id.` });
    seen.add(id);
  });
}

/**
 * What the zod schema cannot see field by field: ids that must be unique, and (when `references`
 * is given) rules, tiers and routes that name a connection or agent that does not exist. The one
 * check behind the app's routing editor, its save handler and the headless gateway's config file.
 */
export function routingConfigProblems(config: CheckedConfig, references?: RoutingReferences): RoutingProblem[] {
  const problems: RoutingProblem[] = [];
  duplicates(
    'rules',
    config.rules.map((rule) => rule.id),
    'rule',
    problems,
  );
  duplicates(
    'tiers',
    config.tiers.map((tier) => tier.id),
    'tier',
    problems,
  );
  duplicates(
    'routes',
    config.routes.map((route) => route.id),
    'route',
    problems,
  );
  if (!references) return problems;

  const known = new Set(references.connectionIds);
  const choices = references.connectionIds.map((id) => `"${id}"`).join(', ');
  const reference = (path: RoutingProblem['path'], id: string) => {
    if (!known.has(id)) problems.push({ path, message: `there is no connection "${id}". Use one of ${choices}.` });
  };
  const agents = new Set(references.agentNames);
  config.rules.forEach((rule, index) => {
    reference(['rules', index, 'connectionId'], rule.connectionId);
    const agent = rule.context.startsWith('agent:') ? rule.context.slice('agent:'.length) : null;
    if (agent !== null && !agents.has(agent)) {
      problems.push({
        path: ['rules', index, 'context'],
        message: `there is no agent "${agent}". Use one of ${references.agentNames.map((name) => `"agent:${name}"`).join(', ')} or "default".`,
      });
    }
  });
  config.tiers.forEach((tier, tierIndex) =>
    tier.entries.forEach((entry, index) => reference(['tiers', tierIndex, 'entries', index, 'connectionId'], entry.connectionId)),
  );
  config.routes.forEach((route, routeIndex) =>
    route.targets.forEach((target, index) => reference(['routes', routeIndex, 'targets', index, 'connectionId'], target.connectionId)),
  );
  return problems;
}

import { z } from 'zod';
import { appError, AppErrorException } from '../../src-shared/errors/app-error';
import type { InvokeContract } from '../../src-shared/contract/ipc-contract';
import { routeRequestSchema } from '../../src-shared/schemas/route-plan';
import { routingConfigSchema, type RoutingConfig } from '../../src-shared/schemas/routing';
import { allAgents } from '../agents/agent-registry';
import type { RouterService } from '../routing/router-service';
import type { SettingsService } from '../settings/settings-service';
import type { HandlerMap } from './handler-types';

type RoutingChannel = Extract<keyof InvokeContract, `app:routing.${string}` | 'app:agents.list'>;

function firstDuplicate(values: string[]): number {
  const seen = new Set<string>();
  for (const [index, value] of values.entries()) {
    if (seen.has(value)) return index;
    seen.add(value);
  }
  return -1;
}

/** Cross-field checks zod cannot express per field: ids must be unique. */
export function checkRoutingConfig(config: RoutingConfig): void {
  const checks: Array<[string, string[], string]> = [
    ['rules', config.rules.map((rule) => rule.id), 'Two rules share an id'],
    ['tiers', config.tiers.map((tier) => tier.id), 'Two tiers have the same id: give each tier its own id'],
    ['routes', config.routes.map((route) => route.id), 'Two routes have the same id: give each route its own id'],
  ];
  for (const [list, ids, message] of checks) {
    const index = firstDuplicate(ids);
    if (index >= 0)
      throw new AppErrorException(appError('validation_failed', `${message} ("${ids[index]}").`, { field: `${list}.${index}.id` }));
  }
}

export function createRoutingHandlers(deps: { settings: SettingsService; router: RouterService }): HandlerMap<RoutingChannel> {
  return {
    'app:routing.update': {
      payload: routingConfigSchema,
      handle(config) {
        checkRoutingConfig(config);
        const previous = deps.settings.get().routing;
        // A route whose targets or retries change gets a new version, so exports can be told apart.
        const routes = config.routes.map((route) => {
          const before = previous.routes.find((candidate) => candidate.id === route.id);
          const changed = before && JSON.stringify({ ...before, version: 0 }) !== JSON.stringify({ ...route, version: 0 });
          return changed ? { ...route, version: Math.max(route.version, before.version + 1) } : route;
        });
        return deps.settings.update((current) => ({ ...current, routing: { ...config, routes } })).routing;
      },
    },
    'app:routing.preview': { payload: routeRequestSchema, handle: (request) => deps.router.plan(request) },
    'app:agents.list': { payload: z.undefined(), handle: () => allAgents(deps.settings.get()) },
  };
}

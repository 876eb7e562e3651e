import type { Agent } from '../../../src-shared/schemas/agent';
import type { Capability } from '../../../src-shared/schemas/connection';
import type { CandidateRef, RouteRequest } from '../../../src-shared/schemas/route-plan';

/** What routing is asked for a task: the same needs the task runner derives (image -> vision, schema -> structured output). */
export function taskRouteRequest(
  task: { agent: string; target: string; override?: CandidateRef | undefined; localOnly: boolean; hasImages: boolean },
  agent: Agent | undefined,
): RouteRequest {
  const needs = new Set<Capability>((agent?.requiredCapabilities ?? []).filter((capability) => capability !== 'text'));
  if (task.hasImages) needs.add('vision');
  if (agent?.outputSchema) needs.add('structuredOutput');
  const [kind, name] = task.target.split(/:(.*)/s) as [string, string | undefined];
  return {
    kind: 'task',
    agent: task.agent,
    ...(kind === 'tier' && name ? { tier: name } : {}),
    ...(kind === 'route' && name ? { route: name } : {}),
    ...(kind === 'model' && task.override ? { override: task.override } : {}),
    needs: [...needs],
    estimatedInputTokens: 0,
    localOnly: task.localOnly || Boolean(agent?.localOnly),
  };
}

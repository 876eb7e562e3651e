// What will not work as the user expects, found before any call is made: one provider for a whole
// chain, references to connections that are gone or off, rules that can never answer, agents nothing
// can serve, zero budgets, empty tiers. Pure: the app, the headless `--lint` and tests ask the same function.
import { ruleContextWords } from '../../src-shared/schemas/agent';
import type { LintFinding, LintTarget } from '../../src-shared/schemas/config-lint';
import { capabilityWord, type Connection } from '../../src-shared/schemas/connection';
import type { Settings } from '../../src-shared/schemas/settings';
import { allAgents } from '../agents/agent-registry';
import { isLocalConnection } from '../engine/local-connection';

type LintInput = Pick<Settings, 'connections' | 'primaryConnectionId' | 'routing' | 'agents'>;

export function lintConfig(input: LintInput): LintFinding[] {
  const findings: LintFinding[] = [];
  const byId = new Map(input.connections.map((connection) => [connection.id, connection]));
  const name = (id: string) => byId.get(id)?.name ?? id;
  const add = (finding: LintFinding) => findings.push(finding);

  // References to connections that are gone or switched off.
  const reference = (target: LintTarget, where: string, connectionId: string) => {
    const connection = byId.get(connectionId);
    if (!connection) {
      add({
        severity: 'error',
        code: 'missing-connection',
        target,
        title: `${where} points at "${connectionId}", which is not connected`,
        happens: 'It never matches: work falls through to the next candidate, or the Primary.',
        fix: `Choose another provider for it, or add the provider "${connectionId}" again.`,
      });
    } else if (!connection.enabled) {
      add({
        severity: 'warning',
        code: 'disabled-connection',
        target,
        title: `${where} points at ${connection.name}, which is turned off`,
        happens: `It is skipped while ${connection.name} is off: work falls through to the next candidate.`,
        fix: `Turn ${connection.name} on in Settings -> Providers, or choose another provider.`,
      });
    }
  };
  for (const rule of input.routing.rules) {
    reference({ kind: 'rule', id: rule.id }, `Rule “${ruleContextWords(rule.context)}”`, rule.connectionId);
  }
  for (const tier of input.routing.tiers) {
    tier.entries.forEach((entry, index) =>
      reference({ kind: 'tier', id: tier.id, entry: index }, `Tier "${tier.name}" entry ${entry.model}`, entry.connectionId),
    );
  }
  for (const route of input.routing.routes) {
    route.targets.forEach((target, index) =>
      reference({ kind: 'route', id: route.id, entry: index }, `Route "${route.name}" target ${target.model}`, target.connectionId),
    );
  }

  // A rule that an earlier rule of the same context already covers: duplicates collapse, so it never answers.
  const ordered = input.routing.rules
    .map((rule, index) => ({ rule, index }))
    .sort((a, b) => a.rule.priority - b.rule.priority || a.index - b.index);
  const seen = new Map<string, (typeof ordered)[number]['rule']>();
  for (const { rule } of ordered) {
    const model = rule.model ?? byId.get(rule.connectionId)?.defaultModel ?? '';
    const key = `${rule.context}\u0000${rule.connectionId}\u0000${model}`;
    const earlier = seen.get(key);
    if (earlier) {
      add({
        severity: 'warning',
        code: 'shadowed-rule',
        target: { kind: 'rule', id: rule.id },
        title: `Rule “${ruleContextWords(rule.context)}” -> ${name(rule.connectionId)} (priority ${rule.priority}) repeats a rule with priority ${earlier.priority}`,
        happens: 'It can never answer: the earlier rule already puts the same provider in the list, and duplicates collapse.',
        fix: 'Delete it, or point it at another provider so it becomes a real fallback.',
      });
    } else seen.set(key, rule);
  }

  // Chains whose every entry is on one provider: one outage stops them. Not said to a user with one provider.
  const usable = input.connections.filter((connection) => connection.enabled);
  if (new Set(usable.map((connection) => connection.kind)).size >= 2) {
    const kindsOf = (ids: string[]) =>
      new Set(
        ids
          .map((id) => byId.get(id))
          .filter((connection): connection is Connection => Boolean(connection))
          .map((connection) => connection.kind),
      );
    const single = (target: LintTarget, title: string, ids: string[], fix: string) => {
      const kinds = kindsOf(ids);
      if (ids.length === 0 || kinds.size !== 1) return;
      const provider = ids.map((id) => byId.get(id)).find(Boolean)!;
      add({
        severity: 'warning',
        code: 'single-provider-chain',
        target,
        title: `${title}: every entry is on ${provider.kind}`,
        happens: `When ${provider.kind} is down, out of credits or rate-limited, this work waits instead of moving to another provider.`,
        fix,
      });
    };
    const defaults = input.routing.rules.filter((rule) => rule.context === 'default').map((rule) => rule.connectionId);
    const primary = input.primaryConnectionId ? [input.primaryConnectionId] : [];
    for (const agent of allAgents(input)) {
      const own = input.routing.rules.filter((rule) => rule.context === `agent:${agent.name}`);
      if (own.length === 0 || agent.localOnly) continue;
      single(
        { kind: 'agent', id: agent.name },
        `Agent ${agent.name}`,
        [...own.map((rule) => rule.connectionId), ...defaults, ...primary],
        `Add a rule for agent:${agent.name} (or a default rule) on another provider.`,
      );
    }
    for (const tier of input.routing.tiers) {
      single(
        { kind: 'tier', id: tier.id },
        `Tier "${tier.name}"`,
        tier.entries.map((entry) => entry.connectionId),
        'Add an entry on another provider to the tier.',
      );
    }
    for (const route of input.routing.routes) {
      single(
        { kind: 'route', id: route.id },
        `Route "${route.name}"`,
        route.targets.map((target) => target.connectionId),
        'Add a target on another provider to the route.',
      );
    }
  }

  const local = input.connections.filter((connection) => connection.enabled && isLocalConnection(connection));
  for (const agent of allAgents(input)) {
    if (agent.localOnly && local.length === 0) {
      add({
        severity: 'error',
        code: 'local-only-without-local',
        target: { kind: 'agent', id: agent.name },
        title: `Agent ${agent.name} is local-only, and you have no local connection`,
        happens: 'Its tasks never run: local-only work is never sent to a cloud provider, so it waits.',
        fix: 'Add a local connection (Ollama, LM Studio, or a server on your network), or turn local-only off for this agent.',
      });
    }
    for (const capability of agent.requiredCapabilities) {
      if (capability === 'text') continue;
      const able = usable.some((connection) => connection.models.some((model) => model.capabilities[capability] !== false));
      if (!able) {
        add({
          severity: 'error',
          code: 'capability-unavailable',
          target: { kind: 'agent', id: agent.name },
          title: `Agent ${agent.name} needs ${capabilityWord(capability)}, and none of your models has it`,
          happens: 'Its tasks pause: every candidate is skipped for lacking the capability.',
          fix: `Add a model that supports ${capabilityWord(capability)}, or edit the agent's required capabilities.`,
        });
      }
    }
    if (agent.costCeilingUsd === 0) {
      add({
        severity: 'warning',
        code: 'zero-budget',
        target: { kind: 'agent', id: agent.name },
        title: `Agent ${agent.name} has a cost ceiling of $0`,
        happens: 'Every paid candidate is over budget, so its tasks run only on free (local) models or wait.',
        fix: 'Raise the cost ceiling, or clear it for no ceiling.',
      });
    }
  }
  for (const connection of input.connections) {
    if (connection.monthlyBudgetUsd === 0) {
      add({
        severity: 'warning',
        code: 'zero-budget',
        target: { kind: 'connection', id: connection.id },
        title: `${connection.name} has a monthly budget of $0`,
        happens: `Routing skips ${connection.name} as over budget for every paid call.`,
        fix: 'Raise the monthly budget, or clear it for no cap.',
      });
    }
  }

  // A tier an agent could be sent to (its capability, or the escalation ladder above a tier in use) with nothing in it.
  const inUse = input.routing.tiers.filter((tier) => tier.entries.length > 0);
  const lowestInUse = Math.min(...inUse.map((tier) => tier.rank));
  const needed = new Set(allAgents(input).flatMap((agent) => agent.requiredCapabilities));
  for (const tier of input.routing.tiers) {
    if (tier.entries.length > 0) continue;
    const forCapability = tier.preferredFor !== null && needed.has(tier.preferredFor);
    const onLadder = inUse.length > 0 && tier.rank > lowestInUse;
    if (!forCapability && !onLadder) continue;
    add({
      severity: 'warning',
      code: 'empty-tier',
      target: { kind: 'tier', id: tier.id },
      title: `Tier "${tier.name}" has no entries`,
      happens: forCapability
        ? `Work that needs ${capabilityWord(tier.preferredFor!)} is not steered to this tier; any capable connection is used instead.`
        : 'Escalation to this tier finds nothing and goes on to the next candidate.',
      fix: 'Add an entry to the tier, or delete the tier.',
    });
  }
  return findings;
}

/** `error  Route "resilient": ...` lines for the terminal. */
export function formatFindings(findings: readonly LintFinding[]): string {
  if (findings.length === 0) return 'No problems found.';
  return findings
    .map(
      (finding) =>
        `${finding.severity === 'error' ? 'error  ' : 'warning'} ${finding.title}\n          What happens: ${finding.happens}\n          Fix: ${finding.fix}`,
    )
    .join('\n');
}

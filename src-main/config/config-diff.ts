// A readable account of what differs between two configurations: for the import preview and for every
// version in the history ("rule “Builder tasks” -> Claude added; route resilient: OpenAI moved below Claude").
import { ruleContextWords, type Agent } from '../../src-shared/schemas/agent';
import type { ConfigChange } from '../../src-shared/schemas/config-history';
import type { Connection } from '../../src-shared/schemas/connection';
import type { Route, RoutingRule, Tier, TierEntry } from '../../src-shared/schemas/routing';
import type { Settings } from '../../src-shared/schemas/settings';

/** The parts of the settings that make up the configuration. */
export type ConfigState = Pick<Settings, 'connections' | 'primaryConnectionId' | 'routing' | 'agents'>;

const words: Record<string, string> = {
  baseUrl: 'base URL',
  defaultModel: 'default model',
  monthlyBudgetUsd: 'monthly budget',
  rateLimits: 'rate limits',
  maxInputTokens: 'max input tokens',
  maxOutputTokens: 'max output tokens',
  sameProviderRetries: 'same-provider retries',
  preferredFor: 'preferred for',
  requiredCapabilities: 'required capabilities',
  outputSchema: 'output schema',
  latencyBudgetMs: 'latency budget (ms)',
  costCeilingUsd: 'cost ceiling',
  localOnly: 'local only',
  systemPrompt: 'system prompt',
  connectionId: 'provider',
};

function shown(value: unknown): string {
  if (value === null || value === undefined) return 'none';
  if (typeof value === 'string') return value.length > 40 ? `"${value.slice(0, 37)}..."` : `"${value}"`;
  if (typeof value === 'object') return '';
  return String(value);
}

/** `priority 1 -> 2`, `models changed`: one phrase per field that differs. */
function fieldChanges(before: object, after: object, ignore: readonly string[] = []): string[] {
  const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].filter((key) => !ignore.includes(key));
  const phrases: string[] = [];
  for (const key of keys) {
    const from = (before as Record<string, unknown>)[key];
    const to = (after as Record<string, unknown>)[key];
    if (JSON.stringify(from) === JSON.stringify(to)) continue;
    const word = words[key] ?? key;
    const a = shown(from);
    const b = shown(to);
    phrases.push(a && b ? `${word} ${a} -> ${b}` : `${word} changed`);
  }
  return phrases;
}

function byKey<T>(items: readonly T[], key: (item: T) => string): Map<string, T> {
  return new Map(items.map((item) => [key(item), item]));
}

/** Added, removed and changed items of two keyed lists. */
function compareLists<T extends object>(
  before: readonly T[],
  after: readonly T[],
  key: (item: T) => string,
  subject: (item: T) => string,
  details: (from: T, to: T) => string[],
): ConfigChange[] {
  const old = byKey(before, key);
  const next = byKey(after, key);
  const changes: ConfigChange[] = [];
  for (const item of after) if (!old.has(key(item))) changes.push({ kind: 'added', subject: subject(item), detail: '' });
  for (const item of after) {
    const previous = old.get(key(item));
    if (!previous) continue;
    const phrases = details(previous, item);
    if (phrases.length > 0) changes.push({ kind: 'changed', subject: subject(item), detail: phrases.join(', ') });
  }
  for (const item of before) if (!next.has(key(item))) changes.push({ kind: 'removed', subject: subject(item), detail: '' });
  return changes;
}

/** An ordered chain's differences: entries added, removed, moved, and edited. */
function chainChanges<T extends object>(
  before: readonly T[],
  after: readonly T[],
  key: (item: T) => string,
  label: (item: T) => string,
): string[] {
  const phrases: string[] = [];
  const oldKeys = before.map(key);
  const newKeys = after.map(key);
  for (const item of after) if (!oldKeys.includes(key(item))) phrases.push(`${label(item)} added`);
  for (const item of before) if (!newKeys.includes(key(item))) phrases.push(`${label(item)} removed`);
  const common = (keys: string[], other: string[]) => keys.filter((value) => other.includes(value));
  const was = common(oldKeys, newKeys);
  const now = common(newKeys, oldKeys);
  const firstMoved = was.findIndex((value, index) => now[index] !== value);
  if (firstMoved >= 0) {
    const moved = was[firstMoved]!;
    const newIndex = now.indexOf(moved);
    const labelOf = (value: string) => label(after[newKeys.indexOf(value)]!);
    phrases.push(`${labelOf(moved)} moved below ${labelOf(now[newIndex - 1]!)}`);
  }
  for (const item of after) {
    const previous = before[oldKeys.indexOf(key(item))];
    if (!previous) continue;
    const edits = fieldChanges(previous, item, ['connectionId', 'model']);
    if (edits.length > 0) phrases.push(`${label(item)}: ${edits.join(', ')}`);
  }
  return phrases;
}

/** Rules of equal priority answer in list order, so a move is a change of its own. */
function ruleOrderChange(
  before: readonly RoutingRule[],
  after: readonly RoutingRule[],
  subject: (rule: RoutingRule) => string,
): ConfigChange[] {
  const afterIds = new Set(after.map((rule) => rule.id));
  const beforeIds = new Set(before.map((rule) => rule.id));
  const was = before.filter((rule) => afterIds.has(rule.id));
  const now = after.filter((rule) => beforeIds.has(rule.id));
  const first = was.findIndex((rule, index) => now[index]!.id !== rule.id);
  if (first < 0) return [];
  const moved = was[first]!;
  const at = now.findIndex((rule) => rule.id === moved.id);
  const detail = at === 0 ? 'moved to the top' : `moved below ${subject(now[at - 1]!)}`;
  return [{ kind: 'changed', subject: subject(moved), detail }];
}

export function diffConfig(before: ConfigState, after: ConfigState): ConfigChange[] {
  const names = new Map<string, string>();
  for (const connection of [...before.connections, ...after.connections]) names.set(connection.id, connection.name);
  const connectionName = (id: string | null) => (id === null ? 'none' : (names.get(id) ?? id));
  const target = (item: { connectionId: string; model?: string | undefined }) =>
    `${connectionName(item.connectionId)}${item.model ? ` ${item.model}` : ''}`;

  const changes: ConfigChange[] = [
    ...compareLists<Connection>(
      before.connections,
      after.connections,
      (connection) => connection.id,
      (connection) => `connection ${connection.name}`,
      (from, to) => fieldChanges(from, to, ['createdAt']),
    ),
  ];
  if (before.primaryConnectionId !== after.primaryConnectionId) {
    changes.push({
      kind: 'changed',
      subject: 'Primary',
      detail: `${connectionName(before.primaryConnectionId)} -> ${connectionName(after.primaryConnectionId)}`,
    });
  }
  changes.push(
    ...compareLists<RoutingRule>(
      before.routing.rules,
      after.routing.rules,
      (rule) => rule.id,
      (rule) => `rule “${ruleContextWords(rule.context)}” -> ${target(rule)}`,
      (from, to) => fieldChanges(from, to, ['id']),
    ),
    ...ruleOrderChange(before.routing.rules, after.routing.rules, (rule) => `rule “${ruleContextWords(rule.context)}” -> ${target(rule)}`),
    ...compareLists<Tier>(
      before.routing.tiers,
      after.routing.tiers,
      (tier) => tier.id,
      (tier) => `tier ${tier.id}`,
      (from, to) => [
        ...fieldChanges(from, to, ['id', 'entries']),
        ...chainChanges<TierEntry>(from.entries, to.entries, (entry) => `${entry.connectionId}\u0000${entry.model}`, target),
      ],
    ),
    ...compareLists<Route>(
      before.routing.routes,
      after.routing.routes,
      (route) => route.id,
      (route) => `route ${route.id}`,
      (from, to) => [
        ...fieldChanges(from, to, ['id', 'targets', 'version']),
        ...chainChanges(from.targets, to.targets, (item) => `${item.connectionId}\u0000${item.model}`, target),
      ],
    ),
    ...compareLists<Agent>(
      before.agents,
      after.agents,
      (agent) => agent.name,
      (agent) => `agent ${agent.name}`,
      (from, to) => fieldChanges(from, to, ['name']),
    ),
  );
  if (before.routing.defaultSameProviderRetries !== after.routing.defaultSameProviderRetries) {
    changes.push({
      kind: 'changed',
      subject: 'default same-provider retries',
      detail: `${before.routing.defaultSameProviderRetries} -> ${after.routing.defaultSameProviderRetries}`,
    });
  }
  return changes;
}

/** `rule “Builder tasks” -> Claude added; route resilient: OpenAI moved below Claude`. */
export function describeChanges(changes: readonly ConfigChange[]): string {
  if (changes.length === 0) return 'no changes';
  return changes
    .map((change) => (change.kind === 'changed' ? `${change.subject}: ${change.detail}` : `${change.subject} ${change.kind}`))
    .join('; ');
}

import { agentDisplayName } from '../../src-shared/schemas/agent';
import type { Connection, ModelFacts } from '../../src-shared/schemas/connection';
import type { CandidateSource } from '../../src-shared/schemas/route-plan';
import type { Route, RoutingConfig, RoutingRule, Tier, TierEntry } from '../../src-shared/schemas/routing';
import { createTargetIndex, indexFacts, resolveTarget, type ResolvedTarget, type TargetIndex } from './candidate-filter';
import { isLocalConnection } from './local-connection';

/** One entry proposed for a candidate list, before duplicates collapse and filters run. */
export interface Proposal {
  connectionId: string;
  /** Undefined: the connection's default model. */
  model: string | undefined;
  source: CandidateSource;
  /** Human words for "Why this provider?". */
  reason: string;
  sameProviderRetries: number;
  ruleId: string | undefined;
  tierId: string | undefined;
  routeId: string | undefined;
  tierEntry: TierEntry | undefined;
  /** Looked up in advance by a routing prepared with its connections. */
  resolved: ResolvedTarget | undefined;
}

/** Where a proposal came from in the config, beyond its source. */
export interface ProposalOrigin {
  ruleId?: string;
  tierId?: string;
  routeId?: string;
  tierEntry?: TierEntry;
}

/**
 * Builds a proposal. Every proposal gets the same fields in the same order, so the hot loop
 * over hundreds of rules sees one object shape.
 */
export function proposal(
  connectionId: string,
  model: string | undefined,
  source: CandidateSource,
  reason: string,
  sameProviderRetries: number,
  origin?: ProposalOrigin,
  resolved?: ResolvedTarget,
): Proposal {
  return {
    connectionId,
    model,
    source,
    reason,
    sameProviderRetries,
    ruleId: origin?.ruleId,
    tierId: origin?.tierId,
    routeId: origin?.routeId,
    tierEntry: origin?.tierEntry,
    resolved,
  };
}

/** A tier with its entries in priority order (ties keep config order), as ready-made proposals. */
export interface PreparedTier {
  tier: Tier;
  entries: readonly TierEntry[];
  /** One per entry, source 'tier'. */
  proposals: readonly Proposal[];
  /** One per entry, source 'capability' (the reason is supplied per decision). */
  capabilityProposals: readonly Proposal[];
  /** capabilityProposals on local connections only, for local-only work (prepared with connections). */
  localCapabilityProposals?: readonly Proposal[];
}

/** A rule as a ready-made proposal: nothing about it changes between decisions. */
export interface PreparedRule {
  rule: RoutingRule;
  proposal: Proposal;
}

/** Routing config indexed for many decisions; rebuild it whenever the config changes. */
export interface PreparedRouting {
  readonly kind: 'prepared-routing';
  readonly config: RoutingConfig;
  /** Rules for a context ("default", "agent:builder"), by priority, ties in creation order. */
  rulesFor(context: string): readonly PreparedRule[];
  /**
   * Those rules' proposals with each connection and model as written once, the first kept: a
   * later rule to the same target can never add a candidate or a skip, so a decision need not
   * look at it (a context with a hundred rules over ten connections is ten proposals).
   */
  ruleProposalsFor(context: string): readonly Proposal[];
  /** A tier by id, else by name (case-insensitive). */
  tier(key: string): PreparedTier | undefined;
  /** Every tier, weakest first (rank ascending, ties in config order). */
  ladder(): readonly PreparedTier[];
  route(id: string): Route | undefined;
  /** The lowest tier rank a connection+model appears in, for escalation. */
  rankOf(connectionId: string, model: string): { rank: number; tierId: string } | undefined;
  /** The connections indexed with it, if any; used only while the caller passes that same array. */
  readonly connections?: readonly Connection[];
  readonly connectionsById?: ReadonlyMap<string, Connection>;
  /** Ids of those connections that are local (loopback or private address). */
  readonly localConnectionIds?: ReadonlySet<string>;
  /** Their model facts by connection id and model id. */
  readonly factsIndex?: ReadonlyMap<string, ReadonlyMap<string, ModelFacts>>;
  /** Each connection's position (first occurrence of an id). */
  readonly connectionSlots?: ReadonlyMap<string, number>;
  /** Dense numbers of every target resolved so far (grows as contexts are first used). */
  readonly targetIndex?: TargetIndex;
  /** Each connection's default model as a capability proposal, in connection order. */
  readonly defaultProposals?: readonly Proposal[];
  /** defaultProposals of local connections only. */
  readonly localDefaultProposals?: readonly Proposal[];
}

/** The key duplicates collapse on. */
export function targetKey(connectionId: string, model: string): string {
  return `${connectionId}\u0000${model}`;
}

// Array.prototype.sort is stable, so equal priorities keep the order they were created in.
function byPriority<T extends { priority: number }>(items: readonly T[]): T[] {
  return [...items].sort((left, right) => left.priority - right.priority);
}

function ruleReason(rule: RoutingRule): string {
  const when =
    rule.context === 'default'
      ? 'any task'
      : rule.context.startsWith('agent:')
        ? `${agentDisplayName(rule.context.slice(6))} tasks`
        : rule.context;
  return `Rule for ${when} (priority ${rule.priority})`;
}

interface TierIndex {
  byKey: Map<string, PreparedTier>;
  ladder: PreparedTier[];
  rankByTarget: Map<string, { rank: number; tierId: string }>;
}

/** Resolves a proposal's target in advance when the connections are known. */
type Resolver = (connectionId: string, model: string | undefined, tierEntry?: TierEntry) => ResolvedTarget | undefined;

function indexTiers(config: RoutingConfig, resolve: Resolver, keepForLocal: ((option: Proposal) => boolean) | undefined): TierIndex {
  const retries = config.defaultSameProviderRetries;
  const prepared: PreparedTier[] = config.tiers.map((tier) => {
    const entries = byPriority(tier.entries);
    const origin = (entry: TierEntry): ProposalOrigin => ({ tierId: tier.id, tierEntry: entry });
    return {
      tier,
      entries,
      proposals: entries.map((entry) => {
        const reason = `Tier "${tier.name}", priority ${entry.priority}`;
        return proposal(
          entry.connectionId,
          entry.model,
          'tier',
          reason,
          retries,
          origin(entry),
          resolve(entry.connectionId, entry.model, entry),
        );
      }),
      capabilityProposals: entries.map((entry) =>
        proposal(
          entry.connectionId,
          entry.model,
          'capability',
          '',
          retries,
          origin(entry),
          resolve(entry.connectionId, entry.model, entry),
        ),
      ),
    };
  });
  if (keepForLocal) {
    for (const item of prepared) item.localCapabilityProposals = item.capabilityProposals.filter(keepForLocal);
  }
  const byKey = new Map<string, PreparedTier>();
  for (const item of prepared) if (!byKey.has(item.tier.id)) byKey.set(item.tier.id, item);
  // Names come second so an id always wins over another tier's name.
  for (const item of prepared) {
    const name = item.tier.name.toLowerCase();
    if (!byKey.has(name)) byKey.set(name, item);
  }
  const ladder = [...prepared].sort((left, right) => left.tier.rank - right.tier.rank);
  const rankByTarget = new Map<string, { rank: number; tierId: string }>();
  for (const item of ladder) {
    for (const entry of item.entries) {
      const key = targetKey(entry.connectionId, entry.model);
      if (!rankByTarget.has(key)) rankByTarget.set(key, { rank: item.tier.rank, tierId: item.tier.id });
    }
  }
  return { byKey, ladder, rankByTarget };
}

/**
 * Indexes a routing config so each decision is a few map lookups instead of scans over every
 * rule. Rules are grouped by context at once; each context's sorted list, the tiers and the
 * routes are built the first time a decision needs them and kept for the next. Passing the
 * connections array too saves indexing it per call; a decision uses that index only when
 * handed the very same array, so a changed list is never read stale.
 */
export function prepareRouting(config: RoutingConfig, connections?: readonly Connection[]): PreparedRouting {
  const grouped = new Map<string, RoutingRule[]>();
  for (const rule of config.rules) {
    const list = grouped.get(rule.context);
    if (list) list.push(rule);
    else grouped.set(rule.context, [rule]);
  }
  const retries = config.defaultSameProviderRetries;

  let known: Pick<
    PreparedRouting,
    | 'connections'
    | 'connectionsById'
    | 'connectionSlots'
    | 'targetIndex'
    | 'localConnectionIds'
    | 'factsIndex'
    | 'defaultProposals'
    | 'localDefaultProposals'
  > = {};
  let resolve: Resolver = () => undefined;
  let keepForLocal: ((option: Proposal) => boolean) | undefined;
  if (connections) {
    const connectionsById = new Map<string, Connection>();
    const connectionSlots = new Map<string, number>();
    const localConnectionIds = new Set<string>();
    for (const connection of connections) {
      if (connectionsById.has(connection.id)) continue;
      connectionSlots.set(connection.id, connectionsById.size);
      connectionsById.set(connection.id, connection);
      if (isLocalConnection(connection)) localConnectionIds.add(connection.id);
    }
    const factsIndex = indexFacts(connections);
    const targetIndex = createTargetIndex();
    const lookups = { connectionsById, connectionSlots, factsIndex, targetIndex };
    resolve = (connectionId, model, tierEntry) => {
      const target = resolveTarget(lookups, connectionId, model, tierEntry);
      return { ...target, index: targetIndex.intern(target.key) };
    };
    const defaultProposals = connections.map((connection) =>
      proposal(connection.id, undefined, 'capability', '', retries, undefined, resolve(connection.id, undefined)),
    );
    // Entries on connections that no longer exist stay: local-only work still reports them.
    keepForLocal = (option) => localConnectionIds.has(option.connectionId) || !connectionsById.has(option.connectionId);
    const localDefaultProposals = defaultProposals.filter(keepForLocal);
    known = {
      connections,
      connectionsById,
      connectionSlots,
      targetIndex,
      localConnectionIds,
      factsIndex,
      defaultProposals,
      localDefaultProposals,
    };
  }

  const sortedRules = new Map<string, readonly PreparedRule[]>();
  const distinctProposals = new Map<string, readonly Proposal[]>();
  let tiers: TierIndex | undefined;
  let routes: Map<string, Route> | undefined;
  const tierIndex = (): TierIndex => (tiers ??= indexTiers(config, resolve, keepForLocal));
  const rulesFor = (context: string): readonly PreparedRule[] => {
    let list = sortedRules.get(context);
    if (list === undefined) {
      const source: CandidateSource = context === 'default' ? 'default-rule' : 'agent-rule';
      list = byPriority(grouped.get(context) ?? []).map((rule) => ({
        rule,
        proposal: proposal(
          rule.connectionId,
          rule.model,
          source,
          ruleReason(rule),
          retries,
          { ruleId: rule.id },
          resolve(rule.connectionId, rule.model),
        ),
      }));
      sortedRules.set(context, list);
    }
    return list;
  };

  return {
    kind: 'prepared-routing',
    config,
    rulesFor,
    ruleProposalsFor(context) {
      const cached = distinctProposals.get(context);
      if (cached) return cached;
      const seen = new Set<string>();
      const list: Proposal[] = [];
      for (const { proposal: option } of rulesFor(context)) {
        // The model as written: no model (the default) is its own target, whatever it resolves to.
        const written = `${option.connectionId}\u0000${option.model === undefined ? '\u0001' : `=${option.model}`}`;
        if (seen.has(written)) continue;
        seen.add(written);
        list.push(option);
      }
      distinctProposals.set(context, list);
      return list;
    },
    tier(key) {
      const { byKey } = tierIndex();
      return byKey.get(key) ?? byKey.get(key.toLowerCase());
    },
    ladder: () => tierIndex().ladder,
    route(id) {
      if (routes === undefined) {
        routes = new Map();
        for (const route of config.routes) if (!routes.has(route.id)) routes.set(route.id, route);
      }
      return routes.get(id);
    },
    rankOf: (connectionId, model) => tierIndex().rankByTarget.get(targetKey(connectionId, model)),
    ...known,
  };
}

/** Tells a prepared routing from a raw config. */
export function isPreparedRouting(value: RoutingConfig | PreparedRouting): value is PreparedRouting {
  return 'kind' in value && value.kind === 'prepared-routing';
}

/** Accepts either form; a raw config is indexed for this one call. */
export function asPreparedRouting(value: RoutingConfig | PreparedRouting): PreparedRouting {
  return isPreparedRouting(value) ? value : prepareRouting(value);
}

/** Finds a tier by id, else by name (case-insensitive). */
export function findTier(routing: PreparedRouting, key: string): PreparedTier | undefined {
  return routing.tier(key);
}

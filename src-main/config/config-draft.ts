// Unsaved edits to routing (rules, tiers, routes) and agents: the draft. The editors change the draft,
// the Route preview and the lint read it, Save applies it as one settings change (so the history gets
// one version) and Discard drops it. Kept in main and in a file beside the settings, so neither a
// reload of the window nor a restart of the app loses it.
import { existsSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { z } from 'zod';
import { appError, AppErrorException } from '../../src-shared/errors/app-error';
import { agentSchema, builtInAgents, type Agent } from '../../src-shared/schemas/agent';
import type { ConfigDraftEdit, ConfigDraftView } from '../../src-shared/schemas/config-draft';
import type { Notice } from '../../src-shared/schemas/notice';
import { routingConfigSchema, type RoutingConfig } from '../../src-shared/schemas/routing';
import { routingConfigProblems } from '../../src-shared/schemas/routing-check';
import type { Settings } from '../../src-shared/schemas/settings';
import { allAgents } from '../agents/agent-registry';
import { clearEscalation } from '../engine/escalation';
import type { SettingsService } from '../settings/settings-service';
import { diffConfig } from './config-diff';
import { lintConfig } from './config-lint';
import { withRouteVersions } from './route-versions';

/** The parts of the configuration a draft holds. */
export type DraftConfiguration = Pick<Settings, 'routing' | 'agents'>;

export interface ConfigDraftDependencies {
  settings: SettingsService;
  now(): number;
  /** Where the draft is kept between runs; in memory only without it. */
  file?: string;
  /** Told once when a kept draft could not be read and was moved aside. */
  onNotice?(notice: Notice): void;
  /** Told whenever what the editors show changes: an edit, Save, Discard, or the saved configuration moving. */
  onChange?(view: ConfigDraftView): void;
}

export interface ConfigDraft {
  view(): ConfigDraftView;
  /** Replaces the draft's routing and/or agents; refused, changing nothing, when they do not validate. */
  edit(edit: ConfigDraftEdit): ConfigDraftView;
  /** Applies the draft as one settings change (one new version); false when there was nothing to save. */
  save(): boolean;
  /** Drops the draft: the editors show the saved configuration again. */
  discard(): ConfigDraftView;
  /** True while there are unsaved edits. */
  dirty(): boolean;
  /** The routing and agents to preview and lint: the draft's when there is one, else the saved ones. */
  configuration(): DraftConfiguration;
  stop(): void;
}

const keptDraftSchema = z.object({
  formatVersion: z.literal(1),
  routing: routingConfigSchema,
  agents: z.array(agentSchema),
  editedAt: z.number(),
});
type Draft = Omit<z.infer<typeof keptDraftSchema>, 'formatVersion'>;

/** Route version numbers move on at Save, so they do not make a draft differ. */
const routingKey = (routing: RoutingConfig) =>
  JSON.stringify({ ...routing, routes: routing.routes.map((route) => ({ ...route, version: 0 })) });
/** Agents compared as the user sees them: a built-in edited back to how it ships is no edit. */
const agentsKey = (agents: readonly Agent[]) =>
  JSON.stringify(allAgents({ agents: [...agents] }).sort((a, b) => a.name.localeCompare(b.name)));

/** True when the two configurations route alike: nothing to save. */
export function sameConfiguration(left: DraftConfiguration, right: DraftConfiguration): boolean {
  return routingKey(left.routing) === routingKey(right.routing) && agentsKey(left.agents) === agentsKey(right.agents);
}

function refuse(message: string, field: string): never {
  throw new AppErrorException(appError('validation_failed', message, { field }));
}

/** The same checks the settings make, worded for the field they are about. */
function checked(edit: ConfigDraftEdit): ConfigDraftEdit {
  if (edit.routing) {
    const [problem] = routingConfigProblems(edit.routing);
    if (problem) refuse(`${problem.message[0]!.toUpperCase()}${problem.message.slice(1)}`, `routing.${problem.path.join('.')}`);
  }
  if (edit.agents) {
    const names = new Set<string>();
    edit.agents.forEach((agent, index) => {
      if (names.has(agent.name))
        refuse(`There are two agents called "${agent.name}". Give each agent its own name.`, `agents.${index}.name`);
      names.add(agent.name);
    });
  }
  return {
    ...edit,
    // The flag follows the name: an agent is built-in when Switchboard ships one of that name.
    ...(edit.agents
      ? { agents: edit.agents.map((agent) => ({ ...agent, builtIn: builtInAgents.some((known) => known.name === agent.name) })) }
      : {}),
  };
}

export function createConfigDraft(deps: ConfigDraftDependencies): ConfigDraft {
  let draft: Draft | null = null;

  const keep = () => {
    if (!deps.file) return;
    if (!draft) {
      rmSync(deps.file, { force: true });
      return;
    }
    const temporary = `${deps.file}.tmp`;
    writeFileSync(temporary, `${JSON.stringify({ formatVersion: 1, ...draft })}\n`);
    renameSync(temporary, deps.file);
  };

  const readKept = (): Draft | null => {
    if (!deps.file || !existsSync(deps.file)) return null;
    try {
      const { formatVersion: _version, ...kept } = keptDraftSchema.parse(JSON.parse(readFileSync(deps.file, 'utf8')));
      return kept;
    } catch (error) {
      const keptAs = `${deps.file.replace(/\.json$/, '')}.unreadable-${deps.now()}.json`;
      renameSync(deps.file, keptAs);
      deps.onNotice?.({
        id: `config-draft-unreadable-${deps.now()}`,
        level: 'warning',
        title: 'Your unsaved routing changes could not be read',
        detail: `Problem: ${error instanceof Error ? error.message.slice(0, 300) : String(error)}. The file was kept as ${keptAs}; the saved routing is unchanged.`,
        at: deps.now(),
      });
      return null;
    }
  };

  const saved = (): DraftConfiguration => {
    const { routing, agents } = deps.settings.get();
    return { routing, agents };
  };
  const configuration = (): DraftConfiguration => (draft ? { routing: draft.routing, agents: draft.agents } : saved());

  const view = (): ConfigDraftView => {
    const settings = deps.settings.get();
    const shown = { ...settings, ...configuration() };
    return {
      dirty: draft !== null,
      routing: shown.routing,
      agents: shown.agents,
      agentList: allAgents(shown),
      changes: draft ? diffConfig(settings, shown) : [],
      findings: lintConfig(shown),
      editedAt: draft?.editedAt ?? null,
    };
  };

  /** A draft that routes exactly like the saved configuration is no draft. */
  const settle = () => {
    if (draft && sameConfiguration(draft, saved())) draft = null;
    keep();
  };

  draft = readKept();
  if (draft) settle();

  let lastSeen = deps.settings.get();
  const unsubscribe = deps.settings.onChange((settings) => {
    const relevant =
      settings.routing !== lastSeen.routing ||
      settings.agents !== lastSeen.agents ||
      settings.connections !== lastSeen.connections ||
      settings.primaryConnectionId !== lastSeen.primaryConnectionId;
    lastSeen = settings;
    if (!relevant) return;
    settle();
    deps.onChange?.(view());
  });

  return {
    view,
    edit(edit) {
      const next = checked(edit);
      const base = configuration();
      draft = { routing: next.routing ?? base.routing, agents: next.agents ?? base.agents, editedAt: deps.now() };
      settle();
      const shown = view();
      deps.onChange?.(shown);
      return shown;
    },
    save() {
      if (!draft) return false;
      const { routing, agents } = draft;
      deps.settings.update((current) => {
        let escalations = current.escalations;
        // An agent deleted (or a built-in reset) forgets what escalations taught it.
        for (const gone of current.agents.filter((agent) => !agents.some((kept) => kept.name === agent.name))) {
          escalations = clearEscalation(escalations, gone.name);
        }
        return {
          ...current,
          routing: { ...routing, routes: withRouteVersions(current.routing.routes, routing.routes) },
          agents,
          escalations,
        };
      });
      draft = null;
      keep();
      deps.onChange?.(view());
      return true;
    },
    discard() {
      draft = null;
      keep();
      const shown = view();
      deps.onChange?.(shown);
      return shown;
    },
    dirty: () => draft !== null,
    configuration,
    stop: () => unsubscribe(),
  };
}

import { create } from 'zustand';
import type { Agent } from '../../../src-shared/schemas/agent';
import type { RoutePlan, RouteRequest } from '../../../src-shared/schemas/route-plan';
import { routingConfigSchema, type RoutingConfig } from '../../../src-shared/schemas/routing';
import { routingConfigProblems } from '../../../src-shared/schemas/routing-check';
import { api } from '../lib/api-client';
import { useAppStore } from './app-store';

export interface RoutingState {
  agents: Agent[];
  /** The config being edited; saved on every change that validates. */
  draft: RoutingConfig | null;
  /** Field path ("rules.2.priority") -> what is wrong. */
  errors: Record<string, string>;
  saving: boolean;
  preview: RoutePlan | null;
  previewError: string | null;
  load(): Promise<void>;
  /** Applies a change to the draft and saves it; an invalid draft stays, with its error shown. */
  change(update: (config: RoutingConfig) => RoutingConfig): Promise<boolean>;
  runPreview(request: RouteRequest): Promise<void>;
}

export const useRoutingStore = create<RoutingState>()((set, get) => ({
  agents: [],
  draft: null,
  errors: {},
  saving: false,
  preview: null,
  previewError: null,
  async load() {
    const settings = useAppStore.getState().settings;
    const agents = await api.agents.list();
    set({ agents: agents.ok ? agents.value : [], draft: settings?.routing ?? null, errors: {} });
  },
  async change(update) {
    const current = get().draft ?? useAppStore.getState().settings?.routing;
    if (!current) return false;
    const draft = update(current);
    // The same schema main enforces, checked here first so each message lands next to its field.
    const checked = routingConfigSchema.safeParse(draft);
    const issues = checked.success ? routingConfigProblems(checked.data) : checked.error.issues;
    if (issues.length > 0) {
      const errors: Record<string, string> = {};
      for (const issue of issues) errors[issue.path.join('.')] ??= issue.message;
      set({ draft, errors });
      return false;
    }
    set({ draft, saving: true });
    const result = await api.routing.update(draft);
    if (!result.ok) {
      set({ saving: false, errors: { [result.error.field ?? 'routing']: result.error.message } });
      return false;
    }
    // A later edit made while this one was saving stays: only the newest draft takes main's answer.
    if (get().draft === draft) set({ saving: false, errors: {}, draft: result.value });
    else set({ saving: false, errors: {} });
    return true;
  },
  async runPreview(request) {
    const result = await api.routing.preview(request);
    if (result.ok) set({ preview: result.value, previewError: null });
    else set({ preview: null, previewError: result.error.message });
  },
}));

// The draft of routing and agents, as the window sees it. Every editor (rules, tiers, routes, the agent
// dialog) changes it through this store; the unsaved-changes bar, the leave question, the Route preview
// and the lint badges read it. Main keeps the draft itself (config-draft.ts), so a reload loses nothing.
import { create } from 'zustand';
import type { AppError } from '../../../src-shared/errors/app-error';
import type { Agent } from '../../../src-shared/schemas/agent';
import type { ConfigDraftEdit, ConfigDraftView } from '../../../src-shared/schemas/config-draft';
import { routingConfigSchema, type RoutingConfig } from '../../../src-shared/schemas/routing';
import { routingConfigProblems } from '../../../src-shared/schemas/routing-check';
import { api } from '../lib/api-client';

/** The outcome of an agent form: done, or the words to show next to a field. */
export type AgentOutcome = { ok: true } | { ok: false; error: AppError };

/** How the user answered "leave with unsaved changes?". */
export type LeaveAnswer = 'save' | 'discard' | 'stay';

export interface ConfigDraftState {
  /** Main's answer: the draft (or the saved configuration), what Save would change, and the lint of it. */
  view: ConfigDraftView | null;
  /** The routing on screen: main's, or an edit that does not validate yet (kept, with its errors, not sent). */
  routing: RoutingConfig | null;
  /** Field path ("rules.2.priority") -> what is wrong. */
  errors: Record<string, string>;
  /** Bumped when the editors must show another configuration (Discard, an import): their inputs start again. */
  revision: number;
  busy: boolean;
  /** Why Save or Discard failed, in words. */
  error: string | null;
  /** True while the Routing or Agents settings are on screen: leaving them with unsaved edits asks first. */
  inEditor: boolean;
  /** Where the user wanted to go while the leave question is open; null when not asking. */
  leaving: (() => void) | null;
  load(): Promise<void>;
  /** Changes the draft's routing; an edit that does not validate stays on screen with its error. */
  changeRouting(update: (routing: RoutingConfig) => RoutingConfig): Promise<boolean>;
  /** Creates or edits an agent in the draft; `isNew` refuses a name that is taken instead of overwriting it. */
  saveAgent(agent: Agent, options: { isNew: boolean }): Promise<AgentOutcome>;
  /** Deletes a custom agent, or resets a built-in one to its defaults, in the draft. */
  removeAgent(name: string): Promise<AgentOutcome>;
  /** Applies the draft as one new version. */
  save(): Promise<boolean>;
  discard(): Promise<void>;
  setInEditor(inEditor: boolean): void;
  /** Goes (calls `go`) at once, or first asks when the editors are on screen with unsaved edits. */
  leave(go: () => void): void;
  answerLeave(answer: LeaveAnswer): Promise<void>;
}

let subscribed = false;
/** Edits sent to main and not answered yet: main's events are older than what is on screen meanwhile. */
let inFlight = 0;

const refusal = (message: string, field?: string): AppError => ({
  code: 'validation_failed',
  message,
  retryable: false,
  fallbackable: false,
  ...(field ? { field } : {}),
});

export const useConfigDraftStore = create<ConfigDraftState>()((set, get) => {
  /** Takes main's view; the routing on screen follows unless an edit is on its way or does not validate. */
  const adopt = (view: ConfigDraftView) => {
    const { routing, errors } = get();
    if (inFlight > 0 || Object.keys(errors).length > 0) return set({ view });
    const changed = routing !== null && JSON.stringify(routing) !== JSON.stringify(view.routing);
    set({ view, routing: view.routing, ...(changed ? { revision: get().revision + 1 } : {}) });
  };

  const send = async (edit: ConfigDraftEdit): Promise<{ ok: true } | { ok: false; error: AppError }> => {
    inFlight += 1;
    const result = await api.config.editDraft(edit);
    inFlight -= 1;
    if (!result.ok) return result;
    if (inFlight === 0) set({ view: result.value });
    else set({ view: { ...result.value, routing: get().routing ?? result.value.routing } });
    return { ok: true };
  };

  const storedAgents = () => get().view?.agents ?? [];

  return {
    view: null,
    routing: null,
    errors: {},
    revision: 0,
    busy: false,
    error: null,
    inEditor: false,
    leaving: null,
    async load() {
      if (!subscribed) {
        subscribed = true;
        api.on('app:config.draftChanged', adopt);
      }
      const result = await api.config.draft();
      if (!result.ok) return set({ error: result.error.message });
      // A fresh load shows main's draft as it is: a half-typed edit of the last visit is gone.
      set({ errors: {} });
      adopt(result.value);
      if (get().routing === null) set({ routing: result.value.routing });
    },
    async changeRouting(update) {
      const current = get().routing ?? get().view?.routing;
      if (!current) return false;
      const routing = update(current);
      // The same checks main makes, here first so each message lands next to its field.
      const checked = routingConfigSchema.safeParse(routing);
      const issues = checked.success ? routingConfigProblems(checked.data) : checked.error.issues;
      if (issues.length > 0) {
        const errors: Record<string, string> = {};
        for (const issue of issues) errors[issue.path.join('.')] ??= issue.message;
        set({ routing, errors });
        return false;
      }
      set({ routing, errors: {} });
      const sent = await send({ routing: checked.data });
      if (!sent.ok) {
        const field = sent.error.field?.replace(/^routing\./, '') ?? 'routing';
        set({ errors: { [field]: sent.error.message } });
        return false;
      }
      return true;
    },
    async saveAgent(agent, { isNew }) {
      const list = get().view?.agentList ?? [];
      if (isNew && list.some((existing) => existing.name === agent.name)) {
        return { ok: false, error: refusal(`There is already an agent called "${agent.name}". Pick another name.`, 'name') };
      }
      return send({ agents: [...storedAgents().filter((existing) => existing.name !== agent.name), agent] });
    },
    async removeAgent(name) {
      const sent = await send({ agents: storedAgents().filter((agent) => agent.name !== name) });
      if (!sent.ok) set({ error: `"${name}" could not be removed: ${sent.error.message}` });
      return sent;
    },
    async save() {
      if (Object.keys(get().errors).length > 0) {
        set({ error: 'Fix the fields marked in red first: an edit that is not valid cannot be saved.' });
        return false;
      }
      set({ busy: true, error: null });
      const result = await api.config.saveDraft();
      if (!result.ok) {
        set({ busy: false, error: `Nothing was saved: ${result.error.message}` });
        return false;
      }
      set({ busy: false });
      adopt(result.value.view);
      return true;
    },
    async discard() {
      set({ busy: true, error: null });
      const result = await api.config.discardDraft();
      if (!result.ok) return set({ busy: false, error: `The changes could not be discarded: ${result.error.message}` });
      // Discard also drops an edit that never validated, so the fields show the saved values again.
      set({ busy: false, errors: {}, routing: result.value.routing, revision: get().revision + 1, view: result.value });
    },
    setInEditor: (inEditor) => set({ inEditor }),
    leave(go) {
      const { inEditor, view, errors } = get();
      const unsaved = Boolean(view?.dirty) || Object.keys(errors).length > 0;
      if (inEditor && unsaved) set({ leaving: go });
      else go();
    },
    async answerLeave(answer) {
      const go = get().leaving;
      if (answer === 'stay' || !go) return set({ leaving: null });
      const done = answer === 'save' ? await get().save() : (await get().discard(), get().error === null);
      set({ leaving: null });
      if (done) go();
    },
  };
});

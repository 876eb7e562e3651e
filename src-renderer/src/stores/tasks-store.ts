import type { ImageAttachment } from '../lib/image-attachments';
import { create } from 'zustand';
import type { AppError } from '../../../src-shared/errors/app-error';
import type { ContentPart } from '../../../src-shared/schemas/chat-message';
import type { CandidateRef, RoutePlan } from '../../../src-shared/schemas/route-plan';
import type { StoredTask, TaskInput, TaskTraceEvent } from '../../../src-shared/schemas/stored-task';
import { useLinkStore } from './link-store';
import { api } from '../lib/api-client';
import { useAgentsStore } from './agents-store';
import { taskRouteRequest } from './task-route-request';

/** An image waiting in the New task form, already read as base64. */
export type TaskAttachment = ImageAttachment;

export interface TaskDraft {
  agent: string;
  instruction: string;
  attachments: TaskAttachment[];
  /** '' for the agent's routing rules, `tier:<id>`, `route:<id>`, or `model` for the provider and model below. */
  target: string;
  /** With target `model`: the provider and model this one task runs on (request model override). */
  overrideConnectionId: string;
  overrideModel: string;
  localOnly: boolean;
}

/** Form field -> what is wrong with it ("agent", "instruction", "attachments", "target", "form"). */
export type TaskFormErrors = Partial<Record<'agent' | 'instruction' | 'attachments' | 'target' | 'form', string>>;

export interface WhyState {
  plan: RoutePlan | null;
  error: string | null;
  loading: boolean;
}

export interface TasksState {
  tasks: Record<string, StoredTask>;
  loaded: boolean;
  loadError: string | null;
  selectedId: string | null;
  /** The New task form is open in the detail pane. */
  composing: boolean;
  /** Answer text streamed so far for tasks that are running; finished tasks use `task.answer`. */
  liveAnswers: Record<string, string>;
  /** Full traces of the tasks opened (and events that arrived live). */
  traces: Record<string, TaskTraceEvent[]>;
  /** "Why this provider?" for a task: the routing decision as it stands now. */
  why: Record<string, WhyState>;
  draft: TaskDraft;
  formErrors: TaskFormErrors;
  creating: boolean;
  /** "Will run on …" for the draft. */
  draftPlan: RoutePlan | null;
  draftPlanError: string | null;
  /** A failed Cancel / Retry / load, in words, for the detail pane. */
  actionError: string | null;
  init(): Promise<void>;
  select(id: string | null): Promise<void>;
  compose(): void;
  setDraft(patch: Partial<TaskDraft>): void;
  addAttachments(attachments: TaskAttachment[], errors: string[]): void;
  removeAttachment(id: string): void;
  /** Asks routing where the draft would run (debounced); nothing is sent to a provider. */
  previewDraft(): void;
  create(): Promise<boolean>;
  cancel(id: string): Promise<void>;
  retry(id: string): Promise<void>;
  loadWhy(id: string): Promise<void>;
  /** Tells main whether Tasks is on screen, so a task that ends elsewhere is told by an OS notification. */
  setOnTasksPage(open: boolean): void;
  copy(text: string): Promise<boolean>;
  /** Asks before a link from model output opens in the browser (link-store). */
  openLink(url: string): void;
}

export const emptyTaskDraft: TaskDraft = {
  agent: 'builder',
  instruction: '',
  attachments: [],
  target: '',
  overrideConnectionId: '',
  overrideModel: '',
  localOnly: false,
};

/** The provider and model a draft names for itself, when its target is `model` and both are filled in. */
export function draftOverride(draft: Pick<TaskDraft, 'target' | 'overrideConnectionId' | 'overrideModel'>): CandidateRef | undefined {
  if (draft.target !== 'model' || !draft.overrideConnectionId || !draft.overrideModel.trim()) return undefined;
  return { connectionId: draft.overrideConnectionId, model: draft.overrideModel.trim() };
}

/** Statuses in which a task can still be stopped. */
export const cancellableStatuses: readonly StoredTask['status'][] = ['queued', 'running', 'paused', 'escalated'];
/** Statuses from which a task can be run again. */
export const retryableStatuses: readonly StoredTask['status'][] = ['failed', 'cancelled', 'interrupted', 'done'];
const liveStatuses: readonly StoredTask['status'][] = ['running', 'escalated'];

const PREVIEW_DEBOUNCE_MS = 150;

const targetOf = (task: StoredTask) =>
  task.modelOverride ? 'model' : task.route ? `route:${task.route}` : task.tier ? `tier:${task.tier}` : '';

/** Stable identity of a trace event, to merge a fetched trace with events that arrived meanwhile. */
const traceKey = (event: TaskTraceEvent) => JSON.stringify(event);

function mergeTrace(fetched: TaskTraceEvent[], live: TaskTraceEvent[] | undefined): TaskTraceEvent[] {
  if (!live?.length) return fetched;
  const known = new Set(fetched.map(traceKey));
  return [...fetched, ...live.filter((event) => !known.has(traceKey(event)))];
}

/** Which form field a refusal from main is about. */
function formFieldOf(error: AppError): keyof TaskFormErrors {
  const root = error.field?.split('.')[0];
  if (root === 'agent' || root === 'instruction' || root === 'attachments') return root;
  if (root === 'tier' || root === 'route' || root === 'modelOverride') return 'target';
  return 'form';
}

let subscribed = false;
let previewTimer: ReturnType<typeof setTimeout> | null = null;
let previewTicket = 0;

export const useTasksStore = create<TasksState>()((set, get) => {
  const upsert = (task: StoredTask) => {
    const state = get();
    const existing = state.tasks[task.id];
    // Events and replies race: an older copy never replaces a newer one.
    if (existing && existing.updatedAt > task.updatedAt) return;
    const liveAnswers = { ...state.liveAnswers };
    if (!liveStatuses.includes(task.status)) delete liveAnswers[task.id];
    // Lists and events carry no trace; the trace is kept apart in `traces`.
    set({ tasks: { ...state.tasks, [task.id]: { ...task, trace: [] } }, liveAnswers });
  };

  return {
    tasks: {},
    loaded: false,
    loadError: null,
    selectedId: null,
    composing: false,
    liveAnswers: {},
    traces: {},
    why: {},
    draft: emptyTaskDraft,
    formErrors: {},
    creating: false,
    draftPlan: null,
    draftPlanError: null,
    actionError: null,

    async init() {
      if (!subscribed) {
        subscribed = true;
        api.on('app:tasks.updated', upsert);
        api.on('app:tasks.delta', ({ taskId, text, reset }) => {
          const { liveAnswers, tasks } = get();
          const base = reset ? '' : (liveAnswers[taskId] ?? tasks[taskId]?.answer ?? '');
          set({ liveAnswers: { ...liveAnswers, [taskId]: base + text } });
        });
        api.on('app:tasks.trace', ({ taskId, events }) => {
          const traces = get().traces;
          set({ traces: { ...traces, [taskId]: [...(traces[taskId] ?? []), ...events] } });
        });
      }
      const result = await api.tasks.list();
      if (!result.ok) return set({ loaded: true, loadError: result.error.message });
      const tasks: Record<string, StoredTask> = {};
      for (const task of result.value) tasks[task.id] = { ...task, trace: [] };
      // Tasks that arrived by event while the list was loading are kept if fresher.
      for (const task of Object.values(get().tasks))
        if (!tasks[task.id] || tasks[task.id]!.updatedAt < task.updatedAt) tasks[task.id] = task;
      set({ tasks, loaded: true, loadError: null });
    },

    async select(id) {
      set({ selectedId: id, composing: id === null ? get().composing : false, actionError: null });
      if (id === null) return;
      const result = await api.tasks.get({ id });
      if (!result.ok) return set({ actionError: `The task could not be opened: ${result.error.message}` });
      upsert(result.value);
      set({ traces: { ...get().traces, [id]: mergeTrace(result.value.trace, get().traces[id]) } });
      void get().loadWhy(id);
    },

    compose() {
      set({ composing: true, selectedId: null, actionError: null });
      get().previewDraft();
    },

    setDraft(patch) {
      const formErrors = { ...get().formErrors };
      for (const key of Object.keys(patch))
        delete formErrors[key === 'target' || key.startsWith('override') ? 'target' : (key as keyof TaskFormErrors)];
      delete formErrors.form;
      set({ draft: { ...get().draft, ...patch }, formErrors });
    },

    addAttachments(attachments, errors) {
      const { draft, formErrors } = get();
      set({
        draft: { ...draft, attachments: [...draft.attachments, ...attachments] },
        // Reads finish in any order (a paste and a drop at once): a later clean read keeps an earlier refusal on screen.
        formErrors: errors.length > 0 ? { ...formErrors, attachments: errors.join(' ') } : formErrors,
      });
    },

    removeAttachment(id) {
      const { draft, formErrors } = get();
      set({
        draft: { ...draft, attachments: draft.attachments.filter((item) => item.id !== id) },
        formErrors: { ...formErrors, attachments: undefined },
      });
    },

    previewDraft() {
      if (previewTimer) clearTimeout(previewTimer);
      const ticket = ++previewTicket;
      previewTimer = setTimeout(() => {
        const { draft } = get();
        const agent = useAgentsStore.getState().agents.find((candidate) => candidate.name === draft.agent);
        if (!agent) return set({ draftPlan: null, draftPlanError: null });
        const request = taskRouteRequest({ ...draft, override: draftOverride(draft), hasImages: draft.attachments.length > 0 }, agent);
        void api.routing.preview(request).then((result) => {
          if (ticket !== previewTicket) return;
          set(result.ok ? { draftPlan: result.value, draftPlanError: null } : { draftPlan: null, draftPlanError: result.error.message });
        });
      }, PREVIEW_DEBOUNCE_MS);
    },

    async create() {
      const { draft, creating } = get();
      if (creating) return false;
      const agent = useAgentsStore.getState().agents.find((candidate) => candidate.name === draft.agent);
      const instruction = draft.instruction.trim();
      const errors: TaskFormErrors = {};
      if (!agent) errors.agent = 'Choose an agent for this task.';
      if (instruction.length === 0) errors.instruction = 'Write what the agent should do.';
      const override = draftOverride(draft);
      if (draft.target === 'model' && !override)
        errors.target = 'Choose a provider and type or pick its model, or run on the agent’s routing.';
      if (Object.keys(errors).length > 0) {
        set({ formErrors: errors });
        return false;
      }
      const [kind, name] = draft.target.split(/:(.*)/s) as [string, string | undefined];
      const attachments: ContentPart[] = draft.attachments.map((item) => ({ type: 'image', mediaType: item.mediaType, data: item.data }));
      const input: TaskInput = {
        agent: draft.agent,
        instruction,
        attachments,
        ...(kind === 'tier' && name ? { tier: name } : {}),
        ...(kind === 'route' && name ? { route: name } : {}),
        ...(override ? { modelOverride: override } : {}),
        localOnly: draft.localOnly || Boolean(agent?.localOnly),
      };
      set({ creating: true, formErrors: {} });
      const result = await api.tasks.create(input);
      if (!result.ok) {
        set({ creating: false, formErrors: { [formFieldOf(result.error)]: result.error.message } });
        return false;
      }
      upsert(result.value);
      // The agent and where it runs stay chosen: the next task is often for the same agent.
      set({ creating: false, composing: false, draft: { ...draft, instruction: '', attachments: [] } });
      await get().select(result.value.id);
      return true;
    },

    async cancel(id) {
      const result = await api.tasks.cancel({ id });
      set({ actionError: result.ok ? null : `The task could not be cancelled: ${result.error.message}` });
    },

    async retry(id) {
      const result = await api.tasks.retry({ id });
      set({ actionError: result.ok ? null : `The task could not be started again: ${result.error.message}` });
      if (result.ok) void get().loadWhy(id);
    },

    setOnTasksPage(open) {
      void api.tasks.watching({ onTasksPage: open });
    },

    async loadWhy(id) {
      const task = get().tasks[id];
      if (!task) return;
      const agent = useAgentsStore.getState().agents.find((candidate) => candidate.name === task.agent);
      const request = taskRouteRequest(
        {
          agent: task.agent,
          target: targetOf(task),
          override: task.modelOverride ?? undefined,
          localOnly: task.localOnly,
          hasImages: task.attachments.length > 0,
        },
        agent,
      );
      set({ why: { ...get().why, [id]: { plan: get().why[id]?.plan ?? null, error: null, loading: true } } });
      const result = await api.routing.preview(request);
      set({
        why: {
          ...get().why,
          [id]: result.ok
            ? { plan: result.value, error: null, loading: false }
            : { plan: null, error: result.error.message, loading: false },
        },
      });
    },

    async copy(text) {
      const result = await api.clipboard.write({ text });
      if (!result.ok) set({ actionError: `Could not copy: ${result.error.message}` });
      return result.ok;
    },

    openLink(url) {
      useLinkStore.getState().ask(url);
    },
  };
});

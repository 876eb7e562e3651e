import { create } from 'zustand';
import type {
  CallAggregate,
  CallLogDetail,
  CallLogExportFile,
  CallLogExportQuery,
  CallLogFilter,
  CallLogRow,
} from '../../../src-shared/schemas/call-log';
import type { QualityReport } from '../../../src-shared/schemas/quality';
import { api } from '../lib/api-client';

export type Range = 'hour' | 'day' | 'week' | 'month';
export type Grouping = 'provider' | 'model';
/** Calls: the log itself; Insights: charts and quality per agent and model version. */
export type ActivityTab = 'calls' | 'insights';

const rangeMs: Record<Range, number> = { hour: 3_600_000, day: 86_400_000, week: 7 * 86_400_000, month: 30 * 86_400_000 };

export interface ActivityFilters {
  range: Range;
  source: '' | 'chat' | 'task' | 'gateway';
  connectionId: string;
  /** A gateway client (token name); '' for all. */
  client: string;
  outcome: '' | 'success' | 'error' | 'interrupted' | 'cut' | 'escalated';
  text: string;
}

export interface ActivityState {
  tab: ActivityTab;
  filters: ActivityFilters;
  grouping: Grouping;
  rows: CallLogRow[];
  /** Every gateway client name in the log, for the client filter. */
  clients: string[];
  nextCursor: number | null;
  aggregates: CallAggregate[];
  /** Read on the Insights tab only; null until then. */
  quality: QualityReport | null;
  /** The time range the rows were read for, ms since the epoch. */
  span: { from: number; to: number };
  loading: boolean;
  error: string | null;
  selected: CallLogDetail | null;
  setTab(tab: ActivityTab): void;
  setFilters(patch: Partial<ActivityFilters>): void;
  setGrouping(grouping: Grouping): void;
  load(): Promise<void>;
  loadMore(): Promise<void>;
  select(id: number | null): Promise<void>;
  /** Every call matching the current filters as a file to save; null (with `error` set) when it failed. */
  exportFile(format: CallLogExportQuery['format']): Promise<CallLogExportFile | null>;
  subscribe(): () => void;
}

function filterFor(filters: ActivityFilters, now: number): CallLogFilter {
  return {
    from: now - rangeMs[filters.range],
    ...(filters.source ? { sources: [filters.source] } : {}),
    ...(filters.connectionId ? { connectionIds: [filters.connectionId] } : {}),
    ...(filters.client ? { clients: [filters.client] } : {}),
    ...(filters.outcome ? { outcomes: [filters.outcome] } : {}),
    ...(filters.text.trim() ? { text: filters.text.trim() } : {}),
  };
}

export const useActivityStore = create<ActivityState>()((set, get) => {
  /** Each read of the log counts up; an answer to an older read (a search typed past) is dropped. */
  let latestLoad = 0;
  return {
    tab: 'calls',
    filters: { range: 'day', source: '', connectionId: '', client: '', outcome: '', text: '' },
    grouping: 'provider',
    rows: [],
    clients: [],
    nextCursor: null,
    aggregates: [],
    quality: null,
    span: { from: 0, to: 0 },
    loading: false,
    error: null,
    selected: null,
    setTab(tab) {
      set({ tab });
      if (tab === 'insights') void get().load();
    },
    setFilters(patch) {
      set({ filters: { ...get().filters, ...patch } });
      void get().load();
    },
    setGrouping(grouping) {
      set({ grouping });
      void get().load();
    },
    async load() {
      const { filters, grouping, tab } = get();
      const now = Date.now();
      const filter = filterFor(filters, now);
      const load = ++latestLoad;
      set({ loading: true });
      const [page, aggregates, clients, quality] = await Promise.all([
        api.activity.page({ ...filter, limit: 100 }),
        api.activity.aggregate({
          ...filter,
          bucket: filters.range === 'hour' || filters.range === 'day' ? 'hour' : 'day',
          groupBy: grouping === 'provider' ? 'connection' : 'modelVersion',
          utcOffsetMinutes: -new Date().getTimezoneOffset(),
        }),
        api.activity.clients(),
        tab === 'insights' ? api.activity.quality(filter) : null,
      ]);
      if (load !== latestLoad) return;
      if (!page.ok || !aggregates.ok || (quality && !quality.ok)) {
        const failed = [page, aggregates, quality].find((result) => result && !result.ok);
        set({ loading: false, error: failed && !failed.ok ? failed.error.message : 'Could not read the call log.' });
        return;
      }
      set({
        loading: false,
        error: null,
        rows: page.value.rows,
        ...(clients.ok ? { clients: clients.value } : {}),
        nextCursor: page.value.nextCursor,
        aggregates: aggregates.value,
        ...(quality ? { quality: quality.value } : {}),
        span: { from: filter.from ?? now, to: now },
      });
    },
    async loadMore() {
      const { nextCursor, filters, rows } = get();
      if (nextCursor === null) return;
      const page = await api.activity.page({ ...filterFor(filters, Date.now()), beforeId: nextCursor, limit: 100 });
      if (page.ok) set({ rows: [...rows, ...page.value.rows], nextCursor: page.value.nextCursor });
      else set({ error: page.error.message });
    },
    async select(id) {
      if (id === null) return set({ selected: null });
      const detail = await api.activity.get({ id });
      if (detail.ok) set({ selected: detail.value });
      else set({ error: detail.error.message });
    },
    async exportFile(format) {
      const result = await api.activity.export({ ...filterFor(get().filters, Date.now()), format });
      if (result.ok) return result.value;
      set({ error: result.error.message });
      return null;
    },
    subscribe() {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const unsubscribe = api.on('app:activity.logged', () => {
        clearTimeout(timer);
        timer = setTimeout(() => void get().load(), 800);
      });
      return () => {
        clearTimeout(timer);
        unsubscribe();
      };
    },
  };
});

import { Activity } from 'lucide-react';
import { useEffect, useMemo } from 'react';
import { EmptyState } from '../../components/ui/EmptyState';
import { ViewHeader } from '../../components/ui/ViewHeader';
import { useActivityStore, type ActivityFilters, type ActivityTab } from '../../stores/activity-store';
import { useConnectionsStore } from '../../stores/connections-store';
import { spansDays } from '../../lib/date-time';
import { formatSpend, unpricedNote } from '../../lib/money';
import { CallSearch } from './CallSearch';
import { CallsPanel, outcomeWords } from './CallsPanel';
import { InsightsPanel } from './InsightsPanel';

const tabs: { id: ActivityTab; label: string }[] = [
  { id: 'calls', label: 'Calls' },
  { id: 'insights', label: 'Insights' },
];

export function ActivityView() {
  const { tab, filters, rows, clients, aggregates, span, loading, error, setTab, setFilters, load, subscribe } = useActivityStore();
  const connections = useConnectionsStore((state) => state.connections);
  const loadConnections = useConnectionsStore((state) => state.load);
  useEffect(() => {
    void load();
    void loadConnections();
    return subscribe();
  }, [load, loadConnections, subscribe]);
  const names = useMemo(() => {
    const byId = new Map(connections.map((view) => [view.connection.id, view.connection.name]));
    return (key: string) => byId.get(key) ?? (key || 'all');
  }, [connections]);
  const totals = useMemo(() => {
    const calls = aggregates.reduce((sum, row) => sum + row.calls, 0);
    const errors = aggregates.reduce((sum, row) => sum + row.errors, 0);
    const cost = aggregates.reduce((sum, row) => sum + row.costUsd, 0);
    const escalations = aggregates.reduce((sum, row) => sum + row.escalations, 0);
    const unpriced = aggregates.reduce((sum, row) => sum + (row.unpricedCalls ?? 0), 0);
    return { calls, errors, cost, escalations, unpriced };
  }, [aggregates]);
  const withDates = spansDays(span.from, span.to);
  const filtered = filters.source || filters.connectionId || filters.client || filters.outcome || filters.text;
  const set =
    <K extends keyof ActivityFilters>(key: K) =>
    (value: ActivityFilters[K]) =>
      setFilters({ [key]: value } as Partial<ActivityFilters>);

  return (
    <section className="view view-scroll">
      <ViewHeader title="Activity" subtitle="Every call to a provider: who answered, how fast, what it cost." />
      <div className="activity-filters" role="search">
        <select
          aria-label="Time range"
          value={filters.range}
          onChange={(event) => set('range')(event.target.value as ActivityFilters['range'])}
        >
          <option value="hour">Last hour</option>
          <option value="day">Last 24 hours</option>
          <option value="week">Last 7 days</option>
          <option value="month">Last 30 days</option>
        </select>
        <select
          aria-label="Source"
          value={filters.source}
          onChange={(event) => set('source')(event.target.value as ActivityFilters['source'])}
        >
          <option value="">Chat, tasks and gateway</option>
          <option value="chat">Chat</option>
          <option value="task">Tasks</option>
          <option value="gateway">Gateway</option>
        </select>
        <select aria-label="Provider" value={filters.connectionId} onChange={(event) => set('connectionId')(event.target.value)}>
          <option value="">All providers</option>
          {connections.map((view) => (
            <option key={view.connection.id} value={view.connection.id}>
              {view.connection.name}
            </option>
          ))}
        </select>
        {clients.length > 0 || filters.client ? (
          <select aria-label="Gateway client" value={filters.client} onChange={(event) => set('client')(event.target.value)}>
            <option value="">All gateway clients</option>
            {clients.map((client) => (
              <option key={client} value={client}>
                Client: {client}
              </option>
            ))}
          </select>
        ) : null}
        <select
          aria-label="Outcome"
          value={filters.outcome}
          onChange={(event) => set('outcome')(event.target.value as ActivityFilters['outcome'])}
        >
          <option value="">Any outcome</option>
          {Object.entries(outcomeWords).map(([value, label]) => (
            <option key={value} value={value}>
              {label}
            </option>
          ))}
        </select>
        <CallSearch value={filters.text} onSearch={set('text')} />
      </div>
      {error ? (
        <p className="form-error" role="alert">
          {error}
        </p>
      ) : null}
      {!loading && rows.length === 0 && !filtered && totals.calls === 0 ? (
        <EmptyState icon={Activity} title="No calls yet">
          <p>
            When you chat, run a task or use the local gateway, each call appears here with its provider, model, latency, tokens and cost,
            and charts show latency, errors and spend per provider over time.
          </p>
        </EmptyState>
      ) : (
        <>
          <div className="stat-row">
            <div className="stat">
              <span className="stat-value">{totals.calls}</span>
              <span className="stat-label">calls</span>
            </div>
            <div className="stat">
              <span className="stat-value">{totals.calls ? `${Math.round((totals.errors / totals.calls) * 100)}%` : '—'}</span>
              <span className="stat-label">failed</span>
            </div>
            <div className="stat">
              <span className="stat-value">{totals.escalations}</span>
              <span className="stat-label">escalated</span>
            </div>
            <div className="stat">
              <span className="stat-value" data-testid="activity-spent" title={unpricedNote(totals.unpriced)}>
                {formatSpend(totals.cost, totals.unpriced)}
              </span>
              <span className="stat-label">spent</span>
            </div>
          </div>
          <div className="tabs" role="tablist" aria-label="Activity views">
            {tabs.map((item) => (
              <button
                key={item.id}
                type="button"
                role="tab"
                id={`activity-tab-${item.id}`}
                aria-selected={tab === item.id}
                aria-controls={tab === item.id ? `activity-panel-${item.id}` : undefined}
                className={tab === item.id ? 'tab active' : 'tab'}
                onClick={() => setTab(item.id)}
              >
                {item.label}
              </button>
            ))}
          </div>
          <div role="tabpanel" id={`activity-panel-${tab}`} aria-labelledby={`activity-tab-${tab}`}>
            {tab === 'calls' ? <CallsPanel withDates={withDates} /> : <InsightsPanel names={names} />}
          </div>
        </>
      )}
    </section>
  );
}

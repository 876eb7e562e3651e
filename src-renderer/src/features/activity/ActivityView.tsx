import { Activity } from 'lucide-react';
import { useEffect, useMemo, useState } from 'react';
import type { CallLogRow } from '../../../../src-shared/schemas/call-log';
import { Dialog } from '../../components/ui/Dialog';
import { EmptyState } from '../../components/ui/EmptyState';
import { ViewHeader } from '../../components/ui/ViewHeader';
import { useActivityStore, type ActivityFilters } from '../../stores/activity-store';
import { useConnectionsStore } from '../../stores/connections-store';
import { formatFullMoment, formatMoment, spansDays } from '../../lib/date-time';
import { formatDuration } from '../../lib/duration';
import { formatSpend, formatUsd, unpricedNote } from '../../lib/money';
import { downloadText } from '../chat/download';
import { ActivityCharts } from './ActivityCharts';

const outcomeWords: Record<CallLogRow['outcome'], string> = {
  success: 'Answered',
  error: 'Failed',
  interrupted: 'Interrupted',
  cut: 'Cut (max tokens)',
  escalated: 'Escalated',
};

function duration(value: number | null): string {
  return value === null ? '—' : formatDuration(value);
}

export function ActivityView() {
  const {
    filters,
    grouping,
    rows,
    clients,
    nextCursor,
    aggregates,
    span,
    loading,
    error,
    selected,
    setFilters,
    setGrouping,
    load,
    loadMore,
    select,
    exportFile,
    subscribe,
  } = useActivityStore();
  const [exporting, setExporting] = useState<'csv' | 'jsonl' | null>(null);
  const [exported, setExported] = useState<string | null>(null);
  const exportAs = async (format: 'csv' | 'jsonl') => {
    setExporting(format);
    setExported(null);
    const file = await exportFile(format);
    setExporting(null);
    if (!file) return;
    downloadText(file.fileName, file.text, format === 'csv' ? 'text/csv' : 'application/x-ndjson');
    setExported(`Exported ${file.rows} ${file.rows === 1 ? 'call' : 'calls'} to ${file.fileName}`);
  };
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
        <select aria-label="Connection" value={filters.connectionId} onChange={(event) => set('connectionId')(event.target.value)}>
          <option value="">All connections</option>
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
        <input
          type="text"
          aria-label="Search calls"
          placeholder="Search prompts, answers, errors…"
          defaultValue={filters.text}
          onKeyDown={(event) => event.key === 'Enter' && set('text')(event.currentTarget.value)}
          onBlur={(event) => set('text')(event.target.value)}
        />
        <div className="segmented" role="group" aria-label="Group charts by">
          <button type="button" className={grouping === 'provider' ? 'active' : ''} onClick={() => setGrouping('provider')}>
            By connection
          </button>
          <button type="button" className={grouping === 'model' ? 'active' : ''} onClick={() => setGrouping('model')}>
            By model version
          </button>
        </div>
        <div className="activity-export" role="group" aria-label="Export the calls shown">
          <button type="button" className="button-secondary" disabled={exporting !== null} onClick={() => void exportAs('csv')}>
            {exporting === 'csv' ? 'Exporting…' : 'Export CSV'}
          </button>
          <button type="button" className="button-secondary" disabled={exporting !== null} onClick={() => void exportAs('jsonl')}>
            {exporting === 'jsonl' ? 'Exporting…' : 'Export JSONL'}
          </button>
        </div>
      </div>
      {exported ? (
        <p className="muted" role="status">
          {exported}
        </p>
      ) : null}
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
          {aggregates.length > 0 ? (
            <ActivityCharts
              rows={aggregates}
              names={grouping === 'provider' ? names : (key) => key}
              hourly={filters.range === 'hour' || filters.range === 'day'}
            />
          ) : null}
          {rows.length === 0 ? (
            <p className="empty-inline">No calls match these filters.</p>
          ) : (
            <div className="table-scroll">
              <table className="data-table calls-table">
                <thead>
                  <tr>
                    <th>Time</th>
                    <th>From</th>
                    <th>Connection</th>
                    <th>Model</th>
                    <th>Try</th>
                    <th>Outcome</th>
                    <th>Latency</th>
                    <th>First token</th>
                    <th>Tokens</th>
                    <th>Cost</th>
                  </tr>
                </thead>
                <tbody>
                  {rows.map((row) => (
                    <tr
                      key={row.id}
                      className="clickable"
                      tabIndex={0}
                      onClick={() => void select(row.id)}
                      onKeyDown={(event) => event.key === 'Enter' && void select(row.id)}
                    >
                      <td className="nowrap">{formatMoment(row.at, withDates)}</td>
                      <td>
                        {row.source}
                        {row.client ? <span className="call-client"> · {row.client}</span> : null}
                        {row.agent ? ` · ${row.agent}` : ''}
                      </td>
                      <td>{row.connectionName}</td>
                      <td className="mono" title={row.modelVersion ? `requested ${row.requestedModel}` : undefined}>
                        {row.modelVersion ?? row.requestedModel}
                      </td>
                      <td title="Position in the fallback list and attempt on that backend">
                        #{row.fallbackPosition + 1}
                        {row.attempt > 1 ? ` (try ${row.attempt})` : ''}
                      </td>
                      <td>
                        <span className={`outcome outcome-${row.outcome}`}>{outcomeWords[row.outcome]}</span>
                        {row.errorCode ? <span className="muted"> {row.errorCode}</span> : null}
                      </td>
                      <td>{duration(row.latencyMs)}</td>
                      <td>{duration(row.timeToFirstTokenMs)}</td>
                      <td>{row.inputTokens === null ? '—' : `${row.inputTokens} / ${row.outputTokens ?? 0}`}</td>
                      <td title={row.costUsd === null && row.inputTokens ? 'Price unknown for this model' : undefined}>
                        {formatUsd(row.costUsd)}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
          {nextCursor !== null ? (
            <button type="button" className="button-secondary load-more" onClick={() => void loadMore()}>
              Show older calls
            </button>
          ) : null}
        </>
      )}
      {selected ? (
        <Dialog
          title={`${selected.connectionName} · ${selected.modelVersion ?? selected.requestedModel}`}
          wide
          onClose={() => void select(null)}
          footer={
            <button type="button" className="button-primary" onClick={() => void select(null)}>
              Close
            </button>
          }
        >
          <p className="muted">
            {formatFullMoment(selected.at)} · {selected.source}
            {selected.client ? ` · client ${selected.client}` : ''}
            {selected.agent ? ` · agent ${selected.agent}` : ''} · {outcomeWords[selected.outcome]}
            {selected.errorMessage ? `: ${selected.errorMessage}` : ''}
          </p>
          {selected.reasons.length ? (
            <>
              <h3 className="preview-subtitle">Why this provider</h3>
              <ul className="reason-list">
                {selected.reasons.map((reason, index) => (
                  <li key={index}>
                    <span className="badge">{reason.kind === 'note' ? 'plan' : reason.kind}</span> {reason.message}
                  </li>
                ))}
              </ul>
            </>
          ) : null}
          <h3 className="preview-subtitle">Prompt{selected.promptTruncated ? ' (shortened)' : ''}</h3>
          <pre className="log-text">{selected.prompt || '—'}</pre>
          <h3 className="preview-subtitle">Response{selected.responseTruncated ? ' (shortened)' : ''}</h3>
          <pre className="log-text">{selected.response || '—'}</pre>
        </Dialog>
      ) : null}
    </section>
  );
}

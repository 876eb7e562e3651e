import { useEffect, useState } from 'react';
import type { TaskTraceEvent } from '../../../../src-shared/schemas/stored-task';
import { HealthDot } from '../../components/ui/HealthDot';
import type { WhyState } from '../../stores/tasks-store';
import { useConnectionsStore } from '../../stores/connections-store';
import { formatFullMoment, formatTraceTimes } from '../../lib/date-time';
import { describeTrace, sourceWords } from './task-format';

/** The route trace as sentences, oldest first. */
export function TaskTimeline({ trace, live = false }: { trace: readonly TaskTraceEvent[]; live?: boolean }) {
  const connections = useConnectionsStore((state) => state.connections);
  const nameOf = (id: string) => connections.find((view) => view.connection.id === id)?.connection.name;
  const entries = describeTrace(trace, nameOf);
  if (entries.length === 0) return <p className="muted">Nothing has been tried yet.</p>;
  const times = formatTraceTimes(entries);
  return (
    <ol className="task-timeline" data-testid="task-trace">
      {entries.map((entry, index) => (
        <li key={entry.key} className={`timeline-entry timeline-${entry.tone}${entry.startsRun ? ' timeline-new-run' : ''}`}>
          {entry.startsRun ? <div className="timeline-run-divider">Started again</div> : null}
          <span className="timeline-marker" aria-hidden="true" />
          <time className="timeline-time" dateTime={new Date(entry.at).toISOString()} title={formatFullMoment(entry.at)}>
            {times[index]}
          </time>
          <div className="timeline-body">
            <span className="timeline-text">
              {entry.text}
              {entry.loading && live ? <LoadingSeconds since={entry.at} /> : entry.loading ? '…' : null}
            </span>
            {entry.detail && entry.detail !== entry.text ? <span className="timeline-detail">{entry.detail}</span> : null}
          </div>
        </li>
      ))}
    </ol>
  );
}

/** " (12 s)…" after "Loading model …", counting while the load goes on. */
function LoadingSeconds({ since }: { since: number }) {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, []);
  return <> ({Math.max(0, Math.round((now - since) / 1000))} s)…</>;
}

/** "Why this provider?": how routing decides for this task now, with every skip and its reason. */
export function WhyThisProvider({ why, onOpen }: { why: WhyState | undefined; onOpen(): void }) {
  const connections = useConnectionsStore((state) => state.connections);
  const plan = why?.plan;
  return (
    <details
      className="task-why"
      onToggle={(event) => {
        if ((event.currentTarget as HTMLDetailsElement).open) onOpen();
      }}
    >
      <summary>Why this provider?</summary>
      <div className="task-why-body" data-testid="task-why">
        <p className="muted">How routing decides for this task now, with your rules, health and budgets as they are. Nothing is sent.</p>
        {why?.error ? (
          <p className="form-error" role="alert">
            {why.error}
          </p>
        ) : null}
        {!plan && why?.loading ? <p className="muted">Working it out…</p> : null}
        {plan ? (
          <>
            {plan.candidates.length === 0 ? (
              <p className="status-bad">Nothing can run it now: {plan.pausedReason ?? 'no healthy backend is left'}.</p>
            ) : (
              <ol className="preview-list">
                {plan.candidates.map((candidate, index) => {
                  const view = connections.find((item) => item.connection.id === candidate.connectionId);
                  return (
                    <li key={`${candidate.connectionId}/${candidate.model}`} className="preview-candidate">
                      {view ? <HealthDot health={view.health} /> : null}
                      <span>
                        <strong>{index === 0 ? 'First' : `Then #${index + 1}`}:</strong> {candidate.connectionName} ·{' '}
                        <span className="mono">{candidate.model}</span>
                        <span className="badge">{sourceWords[candidate.source] ?? candidate.source}</span>
                        <br />
                        <span className="muted">{candidate.reason}</span>
                        {candidate.notes.map((note) => (
                          <span key={note} className="muted">
                            {' '}
                            · {note}
                          </span>
                        ))}
                      </span>
                    </li>
                  );
                })}
              </ol>
            )}
            {plan.skipped.length > 0 ? (
              <>
                <h4 className="preview-subtitle">Skipped</h4>
                <ul className="preview-list">
                  {plan.skipped.map((skip, index) => (
                    <li key={`${skip.connectionId}/${skip.model}/${index}`}>
                      {skip.connectionName} · <span className="mono">{skip.model}</span>: <span className="status-bad">{skip.message}</span>
                    </li>
                  ))}
                </ul>
              </>
            ) : null}
            {plan.notes.map((note) => (
              <p key={note} className="muted">
                {note}
              </p>
            ))}
          </>
        ) : null}
      </div>
    </details>
  );
}

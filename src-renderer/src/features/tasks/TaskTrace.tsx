import { useEffect, useState } from 'react';
import type { TaskTraceEvent } from '../../../../src-shared/schemas/stored-task';
import type { WhyState } from '../../stores/tasks-store';
import { useConnectionsStore } from '../../stores/connections-store';
import { formatFullMoment, formatTraceTimes } from '../../lib/date-time';
import { CandidateList, SkippedList } from '../routing/CandidateList';
import { describeTrace, type TimelineTone } from './task-format';

/** The route trace as sentences, oldest first. */
export function TaskTimeline({ trace, live = false }: { trace: readonly TaskTraceEvent[]; live?: boolean }) {
  const connections = useConnectionsStore((state) => state.connections);
  const nameOf = (id: string) => connections.find((view) => view.connection.id === id)?.connection.name;
  const entries = describeTrace(trace, nameOf);
  if (entries.length === 0) return <p className="muted">Nothing has been tried yet.</p>;
  const times = formatTraceTimes(entries);
  // An attempt's events sit under the line that started it, so each try reads as one group.
  const firstAttempt = entries.findIndex((entry) => entry.startsAttempt);
  return (
    <>
      <TimelineLegend />
      <ol className="task-timeline" data-testid="task-trace">
        {entries.map((entry, index) => {
          const placement = entry.startsAttempt
            ? ' timeline-attempt'
            : firstAttempt !== -1 && index > firstAttempt
              ? ' timeline-in-attempt'
              : '';
          return (
            <li
              key={entry.key}
              className={`timeline-entry timeline-${entry.tone}${placement}${entry.startsRun ? ' timeline-new-run' : ''}`}
            >
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
          );
        })}
      </ol>
    </>
  );
}

const legend: Array<[TimelineTone, string]> = [
  ['info', 'tried'],
  ['retry', 'trying again or moving on'],
  ['warn', 'a problem'],
  ['error', 'stopped'],
  ['ok', 'answered'],
  ['quiet', 'detail'],
];

/** What each dot colour of the timeline means. */
function TimelineLegend() {
  return (
    <ul className="timeline-legend" aria-label="What the dots mean">
      {legend.map(([tone, words]) => (
        <li key={tone} className={`timeline-${tone}`}>
          <span className="timeline-marker" aria-hidden="true" /> {words}
        </li>
      ))}
    </ul>
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
              <p className="status-bad">Nothing can run it now: {plan.pausedReason ?? 'no healthy provider is left'}.</p>
            ) : (
              <CandidateList plan={plan} connections={connections} />
            )}
            <SkippedList plan={plan} heading="h4" />
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

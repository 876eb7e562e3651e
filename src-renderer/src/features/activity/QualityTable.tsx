import type { QualityRow } from '../../../../src-shared/schemas/quality';
import { formatDuration } from '../../lib/duration';
import { formatSpend, unpricedNote } from '../../lib/money';

const sourceNames: Record<string, string> = { chat: 'Chat', task: 'Tasks (no agent)', gateway: 'Gateway' };

function subjectName(row: QualityRow): string {
  return 'agent' in row.subject ? row.subject.agent : (sourceNames[row.subject.source] ?? row.subject.source);
}

function share(rate: number, count: number): string {
  return count === 0 ? '0' : `${(rate * 100).toFixed(rate < 0.1 ? 1 : 0)}% (${count})`;
}

function duration(value: number | null): string {
  return value === null ? '—' : formatDuration(value);
}

/** Per agent (or source) and model version; a version that replaced another says so, to compare with the row above. */
export function QualityTable(props: { rows: QualityRow[] }) {
  if (props.rows.length === 0) {
    return (
      <p className="empty-inline">
        No calls in this range. Once agents and chats have answered, each model version they used gets a row here.
      </p>
    );
  }
  return (
    <div className="table-scroll">
      <table className="data-table quality-table">
        <thead>
          <tr>
            <th scope="col">Agent</th>
            <th scope="col">Model version</th>
            <th scope="col">Calls</th>
            <th scope="col" title="Answers rejected for a stronger model">
              Escalated
            </th>
            <th scope="col" title="Structured output that did not parse or match its schema">
              Schema failures
            </th>
            <th scope="col">Empty answers</th>
            <th scope="col">Errors</th>
            <th scope="col">Latency p50 / p95</th>
            <th scope="col">Cost</th>
          </tr>
        </thead>
        <tbody>
          {props.rows.map((row) => (
            <tr key={`${subjectName(row)}|${row.modelVersion}`} className={row.previousVersion ? 'quality-new-version' : undefined}>
              <td>{subjectName(row)}</td>
              <td className="mono">
                {row.modelVersion}
                {row.previousVersion ? <span className="badge">new, after {row.previousVersion}</span> : null}
              </td>
              <td>{row.calls}</td>
              <td>{share(row.escalationRate, row.escalations)}</td>
              <td>{share(row.schemaFailureRate, row.schemaFailures)}</td>
              <td>{share(row.emptyAnswerRate, row.emptyAnswers)}</td>
              <td>{share(row.errorRate, row.errors)}</td>
              <td className="nowrap">
                {duration(row.latencyP50Ms)} / {duration(row.latencyP95Ms)}
              </td>
              <td className="nowrap" title={unpricedNote(row.unpricedCalls)}>
                {formatSpend(row.costUsd, row.unpricedCalls)}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

import type { ErrorCode } from '../../../../src-shared/errors/app-error';
import { errorTraits } from '../../../../src-shared/errors/error-traits';
import { useState } from 'react';
import { agentDisplayName } from '../../../../src-shared/schemas/agent';
import type { CallLogRow } from '../../../../src-shared/schemas/call-log';
import { Dialog } from '../../components/ui/Dialog';
import { formatFullMoment, formatMoment } from '../../lib/date-time';
import { formatDuration } from '../../lib/duration';
import { formatUsd } from '../../lib/money';
import { useActivityStore } from '../../stores/activity-store';
import { downloadText } from '../chat/download';
import { choiceWords } from './call-words';

/** A logged error code in the user's words, from the one table of error semantics. */
function errorWords(code: string): string {
  return code in errorTraits ? errorTraits[code as ErrorCode].phrase : code;
}

export const outcomeWords: Record<CallLogRow['outcome'], string> = {
  success: 'Answered',
  error: 'Failed',
  interrupted: 'Interrupted',
  cut: 'Cut (max tokens)',
  escalated: 'Escalated',
};

function duration(value: number | null): string {
  return value === null ? '—' : formatDuration(value);
}

/** Activity -> Calls: the log itself, newest first, with export and each call's details. */
export function CallsPanel(props: { withDates: boolean }) {
  const { rows, nextCursor, selected, loadMore, select, exportFile } = useActivityStore();
  const withDates = props.withDates;
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
  return (
    <>
      <div className="activity-export" role="group" aria-label="Export the calls shown">
        <button type="button" className="button-secondary" disabled={exporting !== null} onClick={() => void exportAs('csv')}>
          {exporting === 'csv' ? 'Exporting…' : 'Export CSV'}
        </button>
        <button type="button" className="button-secondary" disabled={exporting !== null} onClick={() => void exportAs('jsonl')}>
          {exporting === 'jsonl' ? 'Exporting…' : 'Export JSONL'}
        </button>
        {exported ? (
          <span className="muted" role="status">
            {exported}
          </span>
        ) : null}
      </div>
      {rows.length === 0 ? (
        <p className="empty-inline">No calls match these filters.</p>
      ) : (
        <div className="table-scroll">
          <table className="data-table calls-table">
            <thead>
              <tr>
                <th>Time</th>
                <th>From</th>
                <th>Provider</th>
                <th>Model</th>
                <th>Choice</th>
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
                    {row.agent ? ` · ${agentDisplayName(row.agent)}` : ''}
                  </td>
                  <td>{row.connectionName}</td>
                  <td className="mono" title={row.modelVersion ? `requested ${row.requestedModel}` : undefined}>
                    {row.modelVersion ?? row.requestedModel}
                  </td>
                  <td title="Where this provider stood in the call's list of providers, and which attempt on it this was">
                    {choiceWords(row.fallbackPosition, row.attempt)}
                  </td>
                  <td>
                    <span className={`outcome outcome-${row.outcome}`}>{outcomeWords[row.outcome]}</span>
                    {row.errorCode ? <span className="muted error-code"> {errorWords(row.errorCode)}</span> : null}
                  </td>
                  <td className="nowrap">{duration(row.latencyMs)}</td>
                  <td className="nowrap">{duration(row.timeToFirstTokenMs)}</td>
                  <td className="nowrap">{row.inputTokens === null ? '—' : `${row.inputTokens} / ${row.outputTokens ?? 0}`}</td>
                  <td className="nowrap" title={row.costUsd === null && row.inputTokens ? 'Price unknown for this model' : undefined}>
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
            {selected.agent ? ` · ${agentDisplayName(selected.agent)}` : ''} · {outcomeWords[selected.outcome]}
            {selected.errorMessage ? `: ${selected.errorMessage}` : ''}
          </p>
          {selected.reasons.length ? (
            <>
              <h3 className="preview-subtitle">Why this provider</h3>
              <ul className="reason-list">
                {selected.reasons.map((reason, index) => (
                  <li key={index}>
                    <span className="badge">{reason.kind === 'note' ? 'routing note' : reason.kind}</span> {reason.message}
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
    </>
  );
}

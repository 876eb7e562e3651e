import type { RoutePlan } from '../../../../src-shared/schemas/route-plan';
import type { ConnectionView } from '../../../../src-shared/schemas/connection-input';
import { HealthDot } from '../../components/ui/HealthDot';
import { sourceWord } from './source-words';

/** A plan's candidates in the order they are tried ("First", then "Then"), each with its health and why it is there. */
export function CandidateList(props: { plan: RoutePlan; connections: ConnectionView[]; testId?: string }) {
  return (
    <ol className="preview-list">
      {props.plan.candidates.map((candidate, index) => {
        const view = props.connections.find((item) => item.connection.id === candidate.connectionId);
        return (
          <li key={`${candidate.connectionId}/${candidate.model}`} className="preview-candidate" data-testid={props.testId}>
            {view ? <HealthDot health={view.health} /> : null}
            <span>
              <strong>{index === 0 ? 'First' : 'Then'}:</strong> {candidate.connectionName} ·{' '}
              <span className="mono">{candidate.model}</span>
              <span className="badge">{sourceWord(candidate.source)}</span>
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
  );
}

/** The candidates left out, each with the reason in words. */
export function SkippedList(props: { plan: RoutePlan; testId?: string; heading: 'h3' | 'h4' }) {
  if (props.plan.skipped.length === 0) return null;
  const Heading = props.heading;
  return (
    <>
      <Heading className="preview-subtitle">Skipped</Heading>
      <ul className="preview-list">
        {props.plan.skipped.map((skip, index) => (
          <li key={`${skip.connectionId}/${skip.model}/${index}`} data-testid={props.testId}>
            {skip.connectionName} · <span className="mono">{skip.model}</span>: <span className="status-bad">{skip.message}</span>
          </li>
        ))}
      </ul>
    </>
  );
}

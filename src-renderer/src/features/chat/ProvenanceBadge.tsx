import * as Popover from '@radix-ui/react-popover';
import { Cpu } from 'lucide-react';
import type { MessageProvenance } from '../../../../src-shared/schemas/stored-conversation';
import { formatFullMoment, formatTraceTimes } from '../../lib/date-time';
import { formatDuration } from '../../lib/duration';
import { formatUsd } from '../../lib/money';
import { sourceWord } from '../routing/source-words';
import { describeTrace } from '../tasks/task-format';
import { claudeTierName, formatCount } from './format';

/** The facts of an answer, as label and value rows of the popover. */
function provenanceFacts(provenance: MessageProvenance): Array<{ label: string; value: string }> {
  const facts: Array<{ label: string; value: string }> = [];
  const model = provenance.modelVersion ?? provenance.modelRequested;
  facts.push({ label: 'Model', value: model });
  if (provenance.modelVersion && provenance.modelVersion !== provenance.modelRequested)
    facts.push({ label: 'Asked for', value: provenance.modelRequested });
  if (provenance.claudeTier) {
    const tier = claudeTierName(provenance.claudeTier);
    facts.push({ label: 'Claude model', value: provenance.claudeTierReason ? `${tier}: ${provenance.claudeTierReason}` : tier });
  }
  if (provenance.modelLoadMs !== undefined) facts.push({ label: 'Model load', value: formatDuration(provenance.modelLoadMs) });
  if (provenance.timeToFirstTokenMs !== undefined)
    facts.push({ label: 'First token', value: formatDuration(provenance.timeToFirstTokenMs) });
  if (provenance.totalMs !== undefined) facts.push({ label: 'Total', value: formatDuration(provenance.totalMs) });
  if (provenance.inputTokens !== undefined || provenance.outputTokens !== undefined)
    facts.push({
      label: 'Tokens',
      value: `${formatCount(provenance.inputTokens ?? 0)} in / ${formatCount(provenance.outputTokens ?? 0)} out`,
    });
  if (provenance.costUsd !== undefined || provenance.inputTokens !== undefined)
    facts.push({
      label: 'Cost',
      value:
        provenance.costUsd !== undefined ? formatUsd(provenance.costUsd) : '— (price unknown: set it in Settings → Providers → Models)',
    });
  if (provenance.attempts !== undefined && provenance.attempts > 1) facts.push({ label: 'Attempts', value: String(provenance.attempts) });
  return facts;
}

/** "Why this provider?": how routing chose the backend, what it left out, and what happened on the way. */
function WhyThisProvider({ provenance }: { provenance: MessageProvenance }) {
  const route = provenance.route;
  if (!route) {
    return (
      <p className="muted">
        Chat answers from your Primary.{provenance.fallbackNote ? ` ${provenance.fallbackNote}.` : ''} This answer was written before
        Switchboard kept the route of each answer.
      </p>
    );
  }
  const lines = describeTrace(route.trace, () => undefined);
  const times = formatTraceTimes(lines);
  return (
    <>
      <p>
        <strong>{provenance.connectionName}</strong> was on the list as {sourceWord(route.source)}: {route.reason}.
      </p>
      {provenance.fallbackNote ? <p>{provenance.fallbackNote}.</p> : null}
      {route.skipped.length > 0 ? (
        <>
          <h4 className="provenance-subtitle">Left out</h4>
          <ul className="provenance-skipped">
            {route.skipped.map((skip, index) => (
              <li key={`${skip.connectionName}-${skip.model}-${index}`}>
                {skip.connectionName} · {skip.model}: {skip.message}
              </li>
            ))}
          </ul>
        </>
      ) : null}
      {lines.length > 0 ? (
        <>
          <h4 className="provenance-subtitle">What happened</h4>
          <ol className="provenance-trace" data-testid="answer-trace">
            {lines.map((line, index) => (
              <li key={line.key} className={`provenance-trace-${line.tone}`}>
                <time dateTime={new Date(line.at).toISOString()} title={formatFullMoment(line.at)}>
                  {times[index]}
                </time>
                <span>{line.text}</span>
              </li>
            ))}
          </ol>
        </>
      ) : null}
    </>
  );
}

/**
 * Which backend answered, as a compact chip under the answer ("Claude · claude-sonnet-4-6 · $0.0012");
 * the chip opens a popover with the figures and "Why this provider?".
 */
export function ProvenanceBadge({ provenance, answeredAt }: { provenance: MessageProvenance; answeredAt: number }) {
  const model = provenance.modelVersion ?? provenance.modelRequested;
  const cost = provenance.costUsd !== undefined ? formatUsd(provenance.costUsd) : provenance.inputTokens !== undefined ? 'cost —' : null;
  return (
    <Popover.Root>
      <Popover.Trigger asChild>
        <button type="button" className="provenance-chip" data-testid="provenance">
          <Cpu size={13} aria-hidden="true" />
          <span className="visually-hidden">Answered by </span>
          <strong>{provenance.connectionName}</strong>
          <span className="provenance-model">{model}</span>
          {cost ? <span className="provenance-cost">{cost}</span> : null}
          {(provenance.attempts ?? 1) > 1 ? <span className="provenance-retried">{provenance.attempts} attempts</span> : null}
        </button>
      </Popover.Trigger>
      <Popover.Portal>
        <Popover.Content className="provenance-popover" side="top" align="start" sideOffset={6} collisionPadding={12}>
          <h3 className="provenance-title">
            {provenance.connectionName} · {model}
          </h3>
          <p className="muted provenance-when">{formatFullMoment(answeredAt)}</p>
          <dl className="provenance-facts">
            {provenanceFacts(provenance).map((fact) => (
              <div key={fact.label}>
                <dt>{fact.label}</dt>
                <dd>{fact.value}</dd>
              </div>
            ))}
          </dl>
          <h3 className="provenance-title">Why this provider?</h3>
          <div data-testid="answer-why">
            <WhyThisProvider provenance={provenance} />
          </div>
          <Popover.Close className="button-quiet provenance-close">Close</Popover.Close>
        </Popover.Content>
      </Popover.Portal>
    </Popover.Root>
  );
}

import { Cpu } from 'lucide-react';
import type { MessageProvenance } from '../../../../src-shared/schemas/stored-conversation';
import { formatDuration } from '../../lib/duration';
import { formatUsd } from '../../lib/money';
import { claudeTierName, formatCount } from './format';

/** Which backend answered, with what, how fast and for how much: one line under every answer. */
export function ProvenanceBadge({ provenance }: { provenance: MessageProvenance }) {
  const model = provenance.modelVersion ?? provenance.modelRequested;
  const facts: Array<{ key: string; text: string; title?: string }> = [];
  if (provenance.claudeTier) {
    const tier = claudeTierName(provenance.claudeTier);
    facts.push({
      key: 'tier',
      text: provenance.claudeTierReason ? `${tier}: ${provenance.claudeTierReason}` : tier,
      title: 'Claude model chosen for this message',
    });
  }
  if (provenance.modelLoadMs !== undefined)
    facts.push({
      key: 'load',
      text: `model loaded in ${formatDuration(provenance.modelLoadMs)}`,
      title: 'The local server loaded the model before answering; the first token came after that',
    });
  if (provenance.timeToFirstTokenMs !== undefined)
    facts.push({ key: 'ttft', text: `first token ${formatDuration(provenance.timeToFirstTokenMs)}` });
  if (provenance.totalMs !== undefined) facts.push({ key: 'total', text: `${formatDuration(provenance.totalMs)} total` });
  if (provenance.inputTokens !== undefined || provenance.outputTokens !== undefined) {
    facts.push({
      key: 'tokens',
      text: `${formatCount(provenance.inputTokens ?? 0)} in / ${formatCount(provenance.outputTokens ?? 0)} out`,
      title: 'Tokens sent / generated',
    });
  }
  if (provenance.costUsd !== undefined)
    facts.push({
      key: 'cost',
      text: formatUsd(provenance.costUsd),
      title: `Cost in US dollars, from the price list: ${provenance.costUsd}`,
    });
  else if (provenance.inputTokens !== undefined)
    facts.push({ key: 'cost', text: 'cost —', title: 'The price of this model is unknown: set it in Settings → Providers → Models' });
  if (provenance.attempts !== undefined && provenance.attempts > 1)
    facts.push({ key: 'attempts', text: `${provenance.attempts} attempts` });
  const requestedNote =
    provenance.modelVersion && provenance.modelVersion !== provenance.modelRequested ? `Requested ${provenance.modelRequested}` : undefined;
  return (
    <div className="provenance" data-testid="provenance" aria-label={`Answered by ${provenance.connectionName}, ${model}`}>
      <span className="provenance-who">
        <Cpu size={13} aria-hidden="true" />
        <strong>{provenance.connectionName}</strong>
        <span className="provenance-model" title={requestedNote}>
          {model}
        </span>
      </span>
      {facts.map((fact) => (
        <span key={fact.key} className={`provenance-fact provenance-${fact.key}`} title={fact.title}>
          {fact.text}
        </span>
      ))}
    </div>
  );
}

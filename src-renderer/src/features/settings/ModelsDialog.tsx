import { useState } from 'react';
import type { ModelFacts } from '../../../../src-shared/schemas/connection';
import type { ConnectionView } from '../../../../src-shared/schemas/connection-input';
import { Dialog } from '../../components/ui/Dialog';
import { useConnectionsStore } from '../../stores/connections-store';

const capabilityLabels: Array<[keyof ModelFacts['capabilities'], string]> = [
  ['vision', 'Vision'],
  ['tools', 'Tools'],
  ['structuredOutput', 'JSON'],
  ['reasoning', 'Reasoning'],
  ['webSearch', 'Web search'],
];
const numberFields: Array<[keyof ModelFacts, string]> = [
  ['contextWindow', 'Context'],
  ['maxInputTokens', 'Max input'],
  ['maxOutputTokens', 'Max output'],
  ['inputPricePerMillion', '$/M in'],
  ['outputPricePerMillion', '$/M out'],
];

const nextCapability = (value: boolean | null) => (value === null ? true : value ? false : null);
const capabilityText = (value: boolean | null) => (value === null ? 'unknown' : value ? 'yes' : 'no');

/** Facts per model: from the catalog where known, "unknown" where not, editable by the user. */
export function ModelsDialog({ view, onClose }: { view: ConnectionView; onClose(): void }) {
  const setModelFacts = useConnectionsStore((state) => state.setModelFacts);
  const [error, setError] = useState<string | null>(null);
  const models = [...view.connection.models].sort((a, b) => a.id.localeCompare(b.id));
  const save = async (facts: ModelFacts) => {
    const outcome = await setModelFacts(view.connection.id, facts);
    setError(outcome.ok ? null : outcome.error.message);
  };
  return (
    <Dialog
      title={`Models of ${view.connection.name}`}
      onClose={onClose}
      wide
      footer={
        <button type="button" className="button-primary" onClick={onClose}>
          Done
        </button>
      }
    >
      <p className="field-hint">
        Click a capability to cycle yes / no / unknown. Empty numbers are unknown. Routing skips a model only when a fact says it cannot do
        what a request needs. Prices come from the price list unless you type your own (marked “yours”); empty both to use the list again.
      </p>
      {error ? (
        <p className="form-error" role="alert">
          {error}
        </p>
      ) : null}
      {models.length === 0 ? (
        <p>No models known yet. Use Test connection to list them.</p>
      ) : (
        <div className="table-scroll">
          <table className="data-table models-table">
            <thead>
              <tr>
                <th>Model</th>
                {capabilityLabels.map(([, label]) => (
                  <th key={label}>{label}</th>
                ))}
                {numberFields.map(([, label]) => (
                  <th key={label}>{label}</th>
                ))}
              </tr>
            </thead>
            <tbody>
              {models.map((facts) => (
                <tr key={facts.id}>
                  <td className="mono">
                    {facts.id}
                    {facts.pricedByUser ? <span className="muted"> · price yours</span> : null}
                  </td>
                  {capabilityLabels.map(([capability, label]) => (
                    <td key={capability}>
                      <button
                        type="button"
                        className={`fact fact-${capabilityText(facts.capabilities[capability])}`}
                        aria-label={`${label} for ${facts.id}: ${capabilityText(facts.capabilities[capability])}`}
                        onClick={() =>
                          void save({
                            ...facts,
                            capabilities: { ...facts.capabilities, [capability]: nextCapability(facts.capabilities[capability]) },
                          })
                        }
                      >
                        {capabilityText(facts.capabilities[capability])}
                      </button>
                    </td>
                  ))}
                  {numberFields.map(([field, label]) => (
                    <td key={field}>
                      <input
                        type="number"
                        min={0}
                        className="fact-number"
                        aria-label={`${label} for ${facts.id}`}
                        placeholder="unknown"
                        defaultValue={(facts[field] as number | null) ?? ''}
                        onBlur={(event) => {
                          const raw = event.target.value.trim();
                          const value = raw === '' ? null : Number(raw);
                          if (value !== null && (!Number.isFinite(value) || value < 0))
                            return setError(`${label} must be a positive number or empty.`);
                          const price = field === 'inputPricePerMillion' || field === 'outputPricePerMillion';
                          if (value === (facts[field] ?? null)) return;
                          const next = { ...facts, [field]: value === null ? null : price ? value : Math.max(1, Math.round(value)) };
                          // A typed price wins over the price list; emptying both prices goes back to the list.
                          if (price) next.pricedByUser = next.inputPricePerMillion !== null || next.outputPricePerMillion !== null;
                          void save(next);
                        }}
                      />
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Dialog>
  );
}

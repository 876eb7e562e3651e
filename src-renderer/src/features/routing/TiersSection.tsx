import { Trash2 } from 'lucide-react';
import type { Tier, TierEntry } from '../../../../src-shared/schemas/routing';
import { LintBadge } from '../config/LintPanel';
import { useConnectionsStore } from '../../stores/connections-store';
import { useConfigDraftStore } from '../../stores/config-draft-store';
import { ConnectionSelect, notMatchingReason, numberFrom, optionalNumberFrom } from './connection-options';
import { ModelField } from './ModelField';

const preferences: Array<[Tier['preferredFor'], string]> = [
  [null, 'Nothing in particular'],
  ['vision', 'Images (vision)'],
  ['structuredOutput', 'Structured output'],
  ['tools', 'Tools'],
  ['reasoning', 'Reasoning'],
];

function slug(name: string): string {
  return (
    name
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 40) || 'tier'
  );
}

export function TiersSection() {
  const { routing: draft, errors, changeRouting: change } = useConfigDraftStore();
  const connections = useConnectionsStore((state) => state.connections);
  if (!draft) return null;
  const setTier = (index: number, patch: Partial<Tier>) =>
    void change((config) => ({ ...config, tiers: config.tiers.map((tier, at) => (at === index ? { ...tier, ...patch } : tier)) }));
  const setEntry = (tierIndex: number, entryIndex: number, patch: Partial<TierEntry>) =>
    setTier(tierIndex, {
      entries: draft.tiers[tierIndex]!.entries.map((entry, at) => (at === entryIndex ? { ...entry, ...patch } : entry)),
    });
  const addTier = () =>
    void change((config) => {
      let id = 'new-tier';
      for (let n = 2; config.tiers.some((tier) => tier.id === id); n += 1) id = `new-tier-${n}`;
      const rank = Math.max(-1, ...config.tiers.map((tier) => tier.rank)) + 1;
      return { ...config, tiers: [...config.tiers, { id, name: 'New tier', rank, preferredFor: null, entries: [] }] };
    });

  return (
    <section className="settings-section" aria-labelledby="tiers-title">
      <div className="section-header">
        <div>
          <h2 id="tiers-title">Tiers</h2>
          <p className="section-help">
            A tier is a list of models of about the same strength. A task can name a tier. A tier preferred for a capability is used when a
            request needs it and no rule’s provider has it.
          </p>
          <p className="order-note" data-testid="order-note">
            Order: within a tier, the lowest priority number first; a poor answer moves up to the tier with the next higher rank.
          </p>
        </div>
        <button type="button" className="button-secondary" onClick={addTier}>
          Add tier
        </button>
      </div>
      {errors.tiers ? (
        <p className="form-error" role="alert">
          {errors.tiers}
        </p>
      ) : null}
      {draft.tiers.length === 0 ? <p className="empty-inline">No tiers. Add one to group models by strength or purpose.</p> : null}
      <div className="card-list">
        {draft.tiers.map((tier, tierIndex) => (
          <div key={`${tierIndex}-${tier.id}`} className="card" data-tier={tier.id}>
            <div className="card-fields">
              <label className="field compact">
                <span className="field-label">Name</span>
                <input
                  type="text"
                  defaultValue={tier.name}
                  aria-invalid={errors[`tiers.${tierIndex}.name`] ? 'true' : undefined}
                  onBlur={(event) => event.target.value !== tier.name && setTier(tierIndex, { name: event.target.value })}
                />
                {errors[`tiers.${tierIndex}.name`] ? <span className="field-error">{errors[`tiers.${tierIndex}.name`]}</span> : null}
              </label>
              <label className="field compact">
                <span className="field-label">Id</span>
                <input
                  type="text"
                  defaultValue={tier.id}
                  aria-invalid={errors[`tiers.${tierIndex}.id`] ? 'true' : undefined}
                  onBlur={(event) => event.target.value !== tier.id && setTier(tierIndex, { id: slug(event.target.value) })}
                />
                {errors[`tiers.${tierIndex}.id`] ? <span className="field-error">{errors[`tiers.${tierIndex}.id`]}</span> : null}
              </label>
              <label className="field compact narrow">
                <span className="field-label">Rank</span>
                <input
                  type="number"
                  min={0}
                  defaultValue={tier.rank}
                  onChange={(event) => setTier(tierIndex, { rank: numberFrom(event.target.value) })}
                />
                {errors[`tiers.${tierIndex}.rank`] ? <span className="field-error">{errors[`tiers.${tierIndex}.rank`]}</span> : null}
              </label>
              <label className="field compact">
                <span className="field-label">Preferred for</span>
                <select
                  value={tier.preferredFor ?? ''}
                  onChange={(event) => setTier(tierIndex, { preferredFor: (event.target.value || null) as Tier['preferredFor'] })}
                >
                  {preferences.map(([value, label]) => (
                    <option key={label} value={value ?? ''}>
                      {label}
                    </option>
                  ))}
                </select>
              </label>
              <LintBadge target={{ kind: 'tier', id: tier.id }} />
              <button
                type="button"
                className="icon-button danger-text card-delete"
                aria-label={`Delete tier ${tier.name}`}
                onClick={() => void change((config) => ({ ...config, tiers: config.tiers.filter((_, at) => at !== tierIndex) }))}
              >
                <Trash2 size={15} />
              </button>
            </div>
            {tier.entries.length === 0 ? (
              <p className="empty-inline">No models in this tier yet.</p>
            ) : (
              <table className="data-table">
                <thead>
                  <tr>
                    <th>Use</th>
                    <th>Model</th>
                    <th>Priority</th>
                    <th>Max input tokens</th>
                    <th>Max output tokens</th>
                    <th>Status</th>
                    <th aria-label="Actions" />
                  </tr>
                </thead>
                <tbody>
                  {tier.entries.map((entry, entryIndex) => {
                    const path = `tiers.${tierIndex}.entries.${entryIndex}`;
                    const problem = notMatchingReason(entry.connectionId, connections);
                    return (
                      <tr key={`${entryIndex}-${entry.connectionId}-${entry.model}`}>
                        <td>
                          <ConnectionSelect
                            label={`Provider of ${tier.name} entry ${entryIndex + 1}`}
                            value={entry.connectionId}
                            connections={connections}
                            onChange={(connectionId) => setEntry(tierIndex, entryIndex, { connectionId })}
                          />
                        </td>
                        <td>
                          <ModelField
                            label={`Model of ${tier.name} entry ${entryIndex + 1}`}
                            view={connections.find((view) => view.connection.id === entry.connectionId)}
                            value={entry.model}
                            invalid={Boolean(errors[`${path}.model`])}
                            onCommit={(model) => setEntry(tierIndex, entryIndex, { model })}
                          />
                          {errors[`${path}.model`] ? <div className="field-error">{errors[`${path}.model`]}</div> : null}
                        </td>
                        <td>
                          <input
                            type="number"
                            min={0}
                            className="priority-input"
                            defaultValue={entry.priority}
                            onChange={(event) => setEntry(tierIndex, entryIndex, { priority: numberFrom(event.target.value) })}
                          />
                          {errors[`${path}.priority`] ? <div className="field-error">{errors[`${path}.priority`]}</div> : null}
                        </td>
                        {(['maxInputTokens', 'maxOutputTokens'] as const).map((field) => (
                          <td key={field}>
                            <input
                              type="number"
                              min={1}
                              className="tokens-input"
                              placeholder="model limit"
                              defaultValue={entry[field] ?? ''}
                              onChange={(event) => setEntry(tierIndex, entryIndex, { [field]: optionalNumberFrom(event.target.value) })}
                            />
                            {errors[`${path}.${field}`] ? <div className="field-error">{errors[`${path}.${field}`]}</div> : null}
                          </td>
                        ))}
                        <td className={problem ? 'status-bad' : 'status-ok'}>
                          {problem ?? 'Matches'} <LintBadge target={{ kind: 'tier', id: tier.id, entry: entryIndex }} />
                        </td>
                        <td className="row-actions">
                          <button
                            type="button"
                            className="icon-button danger-text"
                            aria-label={`Delete ${tier.name} entry ${entryIndex + 1}`}
                            onClick={() => setTier(tierIndex, { entries: tier.entries.filter((_, at) => at !== entryIndex) })}
                          >
                            <Trash2 size={15} />
                          </button>
                        </td>
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            )}
            <button
              type="button"
              className="button-quiet"
              disabled={connections.length === 0}
              onClick={() => {
                const first = connections[0]?.connection;
                if (!first) return;
                const priority = Math.max(0, ...tier.entries.map((entry) => entry.priority + 1));
                setTier(tierIndex, {
                  entries: [
                    ...tier.entries,
                    { connectionId: first.id, model: first.defaultModel, priority, maxInputTokens: null, maxOutputTokens: null },
                  ],
                });
              }}
            >
              Add model to {tier.name}
            </button>
          </div>
        ))}
      </div>
    </section>
  );
}

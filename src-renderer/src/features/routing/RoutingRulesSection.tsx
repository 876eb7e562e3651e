import type { RoutingRule } from '../../../../src-shared/schemas/routing';
import { LintBadge } from '../config/LintPanel';
import { useConnectionsStore } from '../../stores/connections-store';
import { useConfigDraftStore } from '../../stores/config-draft-store';
import { ruleContextWords } from '../../../../src-shared/schemas/agent';
import { ConnectionSelect, newId, notMatchingReason, numberFrom } from './connection-options';
import { ModelField } from './ModelField';
import { OrderButtons } from './OrderButtons';

export function RoutingRulesSection() {
  const { routing: draft, errors, changeRouting: change } = useConfigDraftStore();
  const agents = useConfigDraftStore((state) => state.view?.agentList ?? []);
  const connections = useConnectionsStore((state) => state.connections);
  if (!draft) return null;
  const rules = draft.rules;
  const setRule = (index: number, patch: Partial<RoutingRule>) =>
    void change((config) => ({ ...config, rules: config.rules.map((rule, at) => (at === index ? { ...rule, ...patch } : rule)) }));
  const move = (index: number, by: -1 | 1) =>
    void change((config) => {
      const next = [...config.rules];
      const [rule] = next.splice(index, 1);
      if (rule) next.splice(index + by, 0, rule);
      return { ...config, rules: next };
    });
  const contexts = ['default', ...agents.map((agent) => `agent:${agent.name}`)];
  const addRule = () =>
    void change((config) => ({
      ...config,
      rules: [...config.rules, { id: newId('rule'), context: 'default', connectionId: connections[0]?.connection.id ?? '', priority: 0 }],
    }));

  return (
    <section className="settings-section" aria-labelledby="rules-title">
      <div className="section-header">
        <div>
          <h2 id="rules-title">Rules</h2>
          <p className="section-help">Send an agent’s tasks to a provider. Chat always uses the Primary.</p>
          <p className="order-note" data-testid="order-note">
            Order: the agent’s own rules, then rules for any task, then your Primary; within each, the lowest priority number first.
          </p>
        </div>
        <button type="button" className="button-secondary" disabled={connections.length === 0} onClick={addRule}>
          Add rule
        </button>
      </div>
      {errors.rules ? (
        <p className="form-error" role="alert">
          {errors.rules}
        </p>
      ) : null}
      {rules.length === 0 ? (
        <p className="empty-inline">
          No rules: every task runs on the Primary.{' '}
          {connections.length === 0 ? 'Add a provider first.' : 'Add a rule to send an agent’s tasks to another provider.'}
        </p>
      ) : (
        <div className="table-scroll">
          <table className="data-table rules-table">
            <thead>
              <tr>
                <th>When</th>
                <th>Use</th>
                <th>Model</th>
                <th>Priority</th>
                <th>Status</th>
                <th aria-label="Actions" />
              </tr>
            </thead>
            <tbody>
              {rules.map((rule, index) => {
                const problem = notMatchingReason(rule.connectionId, connections);
                const defaultModel = connections.find((view) => view.connection.id === rule.connectionId)?.connection.defaultModel;
                const priorityError = errors[`rules.${index}.priority`];
                return (
                  <tr key={rule.id} data-rule={rule.id}>
                    <td>
                      <select
                        aria-label={`When rule ${index + 1} applies`}
                        value={rule.context}
                        onChange={(event) => setRule(index, { context: event.target.value })}
                      >
                        {!contexts.includes(rule.context) ? (
                          <option value={rule.context}>{ruleContextWords(rule.context)} (removed)</option>
                        ) : null}
                        {contexts.map((context) => (
                          <option key={context} value={context}>
                            {ruleContextWords(context)}
                          </option>
                        ))}
                      </select>
                    </td>
                    <td>
                      <ConnectionSelect
                        label={`Provider of rule ${index + 1}`}
                        value={rule.connectionId}
                        connections={connections}
                        invalid={Boolean(errors[`rules.${index}.connectionId`])}
                        onChange={(connectionId) => setRule(index, { connectionId })}
                      />
                    </td>
                    <td>
                      <ModelField
                        label={`Model of rule ${index + 1}`}
                        view={connections.find((view) => view.connection.id === rule.connectionId)}
                        placeholder={defaultModel ? `default (${defaultModel})` : 'default model'}
                        value={rule.model ?? ''}
                        onCommit={(model) => setRule(index, { model: model || undefined })}
                      />
                    </td>
                    <td>
                      <input
                        type="number"
                        min={0}
                        step={1}
                        className="priority-input"
                        aria-label={`Priority of rule ${index + 1}`}
                        aria-invalid={priorityError ? 'true' : undefined}
                        defaultValue={rule.priority}
                        onChange={(event) => setRule(index, { priority: numberFrom(event.target.value) })}
                      />
                      {priorityError ? <div className="field-error">{priorityError}</div> : null}
                    </td>
                    <td className={problem ? 'status-bad' : 'status-ok'}>
                      {problem ?? 'Matches'} <LintBadge target={{ kind: 'rule', id: rule.id }} />
                    </td>
                    <td className="row-actions">
                      <OrderButtons
                        item={`rule ${index + 1}`}
                        index={index}
                        count={rules.length}
                        onMove={(by) => move(index, by)}
                        onDelete={() => void change((config) => ({ ...config, rules: config.rules.filter((_, at) => at !== index) }))}
                      />
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

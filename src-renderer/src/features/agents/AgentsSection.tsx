import { Bot, Pencil, RotateCcw, Trash2 } from 'lucide-react';
import { useEffect, useMemo, useState } from 'react';
import { agentDisplayName, builtInAgents, type Agent } from '../../../../src-shared/schemas/agent';
import type { EscalationPreference } from '../../../../src-shared/schemas/escalation-memory';
import { Dialog } from '../../components/ui/Dialog';
import { EmptyState } from '../../components/ui/EmptyState';
import { formatFullMoment, formatTimeOfDay } from '../../lib/date-time';
import { useAgentsStore, type AgentChain } from '../../stores/agents-store';
import { useAppStore } from '../../stores/app-store';
import { useConfigDraftStore } from '../../stores/config-draft-store';
import { useConnectionsStore } from '../../stores/connections-store';
import { LintBadge } from '../config/LintPanel';
import { ChainLine, chainText } from '../routing/chain-words';
import { AgentDialog, capabilityChoices } from './AgentDialog';
import './agents.css';

type Open = { type: 'new' } | { type: 'edit' | 'remove'; agent: Agent } | null;

const day = (at: number) => new Date(at).toDateString();

/** True when a built-in agent differs from how it ships. */
function isEdited(agent: Agent): boolean {
  const original = builtInAgents.find((candidate) => candidate.name === agent.name);
  return Boolean(original) && JSON.stringify({ ...original, builtIn: true }) !== JSON.stringify({ ...agent, builtIn: true });
}

function EscalationLine(props: { preference: EscalationPreference; nameOf(id: string): string; now: number; onReset(): void }) {
  const { preference, nameOf, now } = props;
  const until = day(preference.expiresAt) === day(now) ? formatTimeOfDay(preference.expiresAt) : formatFullMoment(preference.expiresAt);
  return (
    <div className="agent-escalation" data-testid="agent-escalation">
      <span>
        Prefers <strong>{nameOf(preference.to.connectionId)}</strong> · <span className="mono">{preference.to.model}</span> until {until}{' '}
        after an escalation from {nameOf(preference.from.connectionId)} · <span className="mono">{preference.from.model}</span>
      </span>
      <button type="button" className="button-quiet" onClick={props.onReset}>
        Reset
      </button>
    </div>
  );
}

/** Settings -> Agents: the specialists tasks are given to, their limits, and what escalations taught them. */
export function AgentsSection() {
  const { loadError, error, load, clearEscalation, clearError, chains, loadChains } = useAgentsStore();
  const draftView = useConfigDraftStore((state) => state.view);
  const agents = useMemo(() => draftView?.agentList ?? [], [draftView]);
  const liveConnections = useConnectionsStore((state) => state.connections);
  const loaded = useConfigDraftStore((state) => state.view !== null);
  const removeAgent = useConfigDraftStore((state) => state.removeAgent);
  const escalations = useAppStore((state) => state.settings?.escalations);
  const connections = useAppStore((state) => state.settings?.connections);
  const [open, setOpen] = useState<Open>(null);
  // Read when the section opens; a preference that expires while it is on screen goes at the next visit.
  const [now] = useState(() => Date.now());
  useEffect(() => {
    void load();
  }, [load]);
  // The chain on each card follows the draft (what Save would make true), health and the providers.
  useEffect(() => {
    void loadChains(agents);
  }, [agents, liveConnections, loadChains]);
  const nameOf = (id: string) => connections?.find((connection) => connection.id === id)?.name ?? `${id} (disconnected)`;

  return (
    <section className="settings-section" aria-labelledby="agents-title">
      <div className="section-header">
        <div>
          <h2 id="agents-title">Agents</h2>
          <p className="section-help">
            Each task is given to an agent. An agent can require capabilities (providers without them are skipped), promise structured
            output, and set a latency budget, a cost ceiling or local-only. Each card says where its tasks run now; change that with rules
            on the Routing tab.
          </p>
        </div>
        <button type="button" className="button-primary" onClick={() => setOpen({ type: 'new' })}>
          New agent
        </button>
      </div>
      {loadError ? (
        <p className="form-error" role="alert">
          Could not load the agents: {loadError}
        </p>
      ) : null}
      {error ? (
        <p className="form-error" role="alert">
          {error}{' '}
          <button type="button" className="button-quiet" onClick={clearError}>
            Dismiss
          </button>
        </p>
      ) : null}
      {loaded && agents.length === 0 && !loadError ? (
        <EmptyState icon={Bot} title="No agents">
          <p>Add an agent to give tasks to.</p>
        </EmptyState>
      ) : null}
      <ul className="agent-list">
        {agents.map((agent) => {
          const preference = escalations?.[agent.name];
          const capabilities = agent.requiredCapabilities.filter((capability) => capability !== 'text');
          const limits = [
            agent.latencyBudgetMs !== null ? `first token within ${agent.latencyBudgetMs.toLocaleString()} ms` : null,
            agent.costCeilingUsd !== null ? `at most $${agent.costCeilingUsd} per task` : null,
          ].filter(Boolean);
          const edited = agent.builtIn && isEdited(agent);
          return (
            <li key={agent.name} className="agent-row" data-agent={agent.name}>
              <div className="agent-main">
                <div className="agent-title">
                  <strong className="agent-name">{agentDisplayName(agent.name)}</strong>
                  <span className="mono muted agent-id">{agent.name}</span>
                  {agent.builtIn ? <span className="badge badge-primary">Built-in</span> : <span className="badge">Custom</span>}
                  {edited ? <span className="badge badge-muted">Edited</span> : null}
                  {agent.localOnly ? <span className="badge badge-warning">Local only</span> : null}
                  <LintBadge target={{ kind: 'agent', id: agent.name }} />
                  {agent.outputSchema ? <span className="badge">Structured output</span> : null}
                  {capabilities
                    .filter((capability) => !(capability === 'structuredOutput' && agent.outputSchema))
                    .map((capability) => (
                      <span key={capability} className="badge">
                        Needs {capabilityChoices.find((choice) => choice.value === capability)?.label.toLowerCase() ?? capability}
                      </span>
                    ))}
                </div>
                <p className="agent-description">{agent.description || <span className="muted">No description.</span>}</p>
                <AgentChainLine name={agent.name} chain={chains[agent.name]} />
                {limits.length > 0 ? <p className="muted agent-limits">Limits: {limits.join(' · ')}</p> : null}
                {preference && preference.expiresAt > now ? (
                  <EscalationLine preference={preference} nameOf={nameOf} now={now} onReset={() => void clearEscalation(agent.name)} />
                ) : null}
              </div>
              <div className="agent-actions">
                <button
                  type="button"
                  className="button-secondary"
                  aria-label={`Edit ${agentDisplayName(agent.name)}`}
                  onClick={() => setOpen({ type: 'edit', agent })}
                >
                  <Pencil size={14} aria-hidden="true" /> Edit
                </button>
                {!agent.builtIn ? (
                  <button
                    type="button"
                    className="button-quiet danger-text"
                    aria-label={`Delete ${agentDisplayName(agent.name)}`}
                    onClick={() => setOpen({ type: 'remove', agent })}
                  >
                    <Trash2 size={14} aria-hidden="true" /> Delete
                  </button>
                ) : edited ? (
                  <button
                    type="button"
                    className="button-quiet"
                    aria-label={`Reset ${agentDisplayName(agent.name)} to its defaults`}
                    onClick={() => setOpen({ type: 'remove', agent })}
                  >
                    <RotateCcw size={14} aria-hidden="true" /> Reset
                  </button>
                ) : null}
              </div>
            </li>
          );
        })}
      </ul>
      {open?.type === 'new' ? <AgentDialog agent={null} onClose={() => setOpen(null)} /> : null}
      {open?.type === 'edit' ? <AgentDialog agent={open.agent} onClose={() => setOpen(null)} /> : null}
      {open?.type === 'remove' ? (
        <RemoveAgentDialog
          agent={open.agent}
          onClose={() => setOpen(null)}
          onConfirm={() => void removeAgent(open.agent.name).then(() => setOpen(null))}
        />
      ) : null}
    </section>
  );
}

/** "Builder: Claude claude-sonnet-4-6, then DeepSeek deepseek-chat", decided by main's router as a task would be. */
function AgentChainLine(props: { name: string; chain: AgentChain | undefined }) {
  const { name, chain } = props;
  const label = agentDisplayName(name);
  if (!chain) return <p className="agent-chain muted">Working out where {label} tasks run…</p>;
  if (chain.error !== null)
    return (
      <p className="agent-chain status-bad">
        Could not work out where {label} tasks run: {chain.error}
      </p>
    );
  if (chain.plan.candidates.length === 0)
    return (
      <p className="agent-chain status-bad" data-testid="agent-chain">
        {label}: nothing can run its tasks now ({chain.plan.unroutable ?? chain.plan.pausedReason ?? 'no healthy provider is left'}).
      </p>
    );
  return (
    <p className="agent-chain" data-testid="agent-chain" title={chainText(chain.plan)}>
      <span className="agent-chain-label">{label}:</span> <ChainLine plan={chain.plan} />
    </p>
  );
}

function RemoveAgentDialog(props: { agent: Agent; onClose(): void; onConfirm(): void }) {
  const { agent } = props;
  const label = agentDisplayName(agent.name);
  return (
    <Dialog
      title={agent.builtIn ? `Reset ${label}?` : `Delete ${label}?`}
      onClose={props.onClose}
      footer={
        <>
          <button type="button" className="button-quiet" onClick={props.onClose}>
            Keep it
          </button>
          <button type="button" className={agent.builtIn ? 'button-primary' : 'button-danger'} onClick={props.onConfirm}>
            {agent.builtIn ? 'Reset to defaults' : 'Delete agent'}
          </button>
        </>
      }
    >
      <p>
        {agent.builtIn
          ? `Your changes to ${label} are undone: its description, system prompt, capabilities and limits go back to how Switchboard ships them.`
          : `${label} is deleted. Tasks already run keep their history; routing rules for ${label} tasks stop matching.`}
      </p>
    </Dialog>
  );
}

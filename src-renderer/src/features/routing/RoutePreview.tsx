import { useEffect, useState } from 'react';
import { agentDisplayName } from '../../../../src-shared/schemas/agent';
import type { Capability } from '../../../../src-shared/schemas/connection';
import type { RouteRequest } from '../../../../src-shared/schemas/route-plan';
import { useAppStore } from '../../stores/app-store';
import { useConnectionsStore } from '../../stores/connections-store';
import { useConfigDraftStore } from '../../stores/config-draft-store';
import { useRoutingStore } from '../../stores/routing-store';
import { CandidateList, SkippedList } from './CandidateList';

type Subject = 'chat' | `agent:${string}` | `tier:${string}` | `route:${string}`;

function requestFor(subject: Subject, needs: Capability[], localOnly: boolean, down: string[]): RouteRequest {
  const base = { needs, estimatedInputTokens: 0, localOnly, simulateDown: down };
  if (subject === 'chat') return { kind: 'chat', ...base };
  const [type, name] = subject.split(/:(.*)/s) as [string, string];
  if (type === 'agent') return { kind: 'task', agent: name, ...base };
  if (type === 'tier') return { kind: 'task', tier: name, ...base };
  return { kind: 'task', route: name, ...base };
}

/** "Why this provider?": simulate a decision, marking providers as down. Nothing is sent. */
export function RoutePreview() {
  const { preview, previewError, runPreview } = useRoutingStore();
  // Decided against the draft: what Save would make true, before it is saved.
  const draftView = useConfigDraftStore((state) => state.view);
  const draft = draftView?.routing;
  const agents = draftView?.agentList ?? [];
  const connections = useConnectionsStore((state) => state.connections);
  const settings = useAppStore((state) => state.settings);
  const [subject, setSubject] = useState<Subject>('agent:builder');
  const [down, setDown] = useState<string[]>([]);
  const [vision, setVision] = useState(false);
  const [structured, setStructured] = useState(false);
  const [tools, setTools] = useState(false);
  const [localOnly, setLocalOnly] = useState(false);
  const needs: Capability[] = [
    ...(vision ? (['vision'] as const) : []),
    ...(structured ? (['structuredOutput'] as const) : []),
    ...(tools ? (['tools'] as const) : []),
  ];
  const requestKey = JSON.stringify(requestFor(subject, needs, localOnly, down));
  useEffect(() => {
    void runPreview(JSON.parse(requestKey) as RouteRequest);
  }, [requestKey, runPreview, settings, connections, draftView]);

  return (
    <section className="settings-section" aria-labelledby="preview-title">
      <h2 id="preview-title">Route preview</h2>
      <p className="section-help">See which provider would answer and why each other one was skipped. Nothing is sent to any provider.</p>
      <div className="preview-controls">
        <label className="field compact">
          <span className="field-label">Work</span>
          <select aria-label="Work to route" value={subject} onChange={(event) => setSubject(event.target.value as Subject)}>
            <option value="chat">Chat</option>
            <optgroup label="Task for an agent">
              {agents.map((agent) => (
                <option key={agent.name} value={`agent:${agent.name}`}>
                  {agentDisplayName(agent.name)}
                </option>
              ))}
            </optgroup>
            {draft?.tiers.length ? (
              <optgroup label="Task on a tier">
                {draft.tiers.map((tier) => (
                  <option key={tier.id} value={`tier:${tier.id}`}>
                    {tier.name}
                  </option>
                ))}
              </optgroup>
            ) : null}
            {draft?.routes.length ? (
              <optgroup label="Task on a route">
                {draft.routes.map((route) => (
                  <option key={route.id} value={`route:${route.id}`}>
                    {route.name}
                  </option>
                ))}
              </optgroup>
            ) : null}
          </select>
        </label>
        <fieldset className="checks">
          <legend>The request</legend>
          <label>
            <input type="checkbox" checked={vision} onChange={(event) => setVision(event.target.checked)} /> has an image
          </label>
          <label>
            <input type="checkbox" checked={structured} onChange={(event) => setStructured(event.target.checked)} /> wants structured output
          </label>
          <label>
            <input type="checkbox" checked={tools} onChange={(event) => setTools(event.target.checked)} /> uses tools
          </label>
          <label>
            <input type="checkbox" checked={localOnly} onChange={(event) => setLocalOnly(event.target.checked)} /> must stay on this machine
          </label>
        </fieldset>
        {connections.length ? (
          <fieldset className="checks">
            <legend>Mark as down</legend>
            {connections.map((view) => (
              <label key={view.connection.id}>
                <input
                  type="checkbox"
                  aria-label={`Mark ${view.connection.name} as down`}
                  checked={down.includes(view.connection.id)}
                  onChange={(event) =>
                    setDown(event.target.checked ? [...down, view.connection.id] : down.filter((id) => id !== view.connection.id))
                  }
                />{' '}
                {view.connection.name}
              </label>
            ))}
          </fieldset>
        ) : null}
      </div>
      {previewError ? (
        <p className="form-error" role="alert">
          {previewError}
        </p>
      ) : null}
      {preview ? (
        <div className="preview-result" aria-live="polite">
          {preview.candidates.length > 0 ? (
            <>
              <p className="preview-answer" data-testid="preview-answer">
                Answers: <strong>{preview.candidates[0]!.connectionName}</strong> ·{' '}
                <span className="mono">{preview.candidates[0]!.model}</span>
              </p>
              <CandidateList plan={preview} connections={connections} testId="preview-candidate" />
            </>
          ) : (
            <p className="preview-answer preview-paused" data-testid="preview-answer">
              Nothing can answer: {preview.pausedReason ?? 'no healthy provider is left'}.{' '}
              {subject === 'chat' ? 'Chat shows this error.' : 'A task waits and resumes by itself.'}
            </p>
          )}
          <SkippedList plan={preview} testId="preview-skipped" heading="h3" />
          {preview.notes.map((note) => (
            <p key={note} className="muted">
              {note}
            </p>
          ))}
        </div>
      ) : null}
    </section>
  );
}

import { ImagePlus, Play, X } from 'lucide-react';
import { useEffect, useRef, useState, type ClipboardEvent, type DragEvent } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { agentDisplayName, type Agent } from '../../../../src-shared/schemas/agent';
import { capabilityWord } from '../../../../src-shared/schemas/connection';
import type { RoutePlan } from '../../../../src-shared/schemas/route-plan';
import { Field } from '../../components/ui/Field';
import { useAgentsStore } from '../../stores/agents-store';
import { useAppStore } from '../../stores/app-store';
import { useConnectionsStore } from '../../stores/connections-store';
import { useTasksStore } from '../../stores/tasks-store';
import { acceptedImageTypes, imageSource, readImages } from '../../lib/image-attachments';
import { ConnectionSelect } from '../routing/connection-options';
import { ModelField } from '../routing/ModelField';
import { sourceWord } from '../routing/source-words';
import { formatBytes } from './task-format';

/** "Will run on Claude · claude-sonnet-4-6 (agent rule: …)", or why nothing can run it now. */
export function WillRunOn(props: { plan: RoutePlan | null; error: string | null }) {
  const { plan, error } = props;
  if (error) {
    return (
      <p className="will-run-on will-run-on-bad" role="status" data-testid="will-run-on">
        Could not work out where this would run: {error}
      </p>
    );
  }
  if (!plan)
    return (
      <p className="will-run-on muted" role="status" data-testid="will-run-on">
        Working out where this would run…
      </p>
    );
  const [first, ...rest] = plan.candidates;
  if (!first) {
    return (
      <p className="will-run-on will-run-on-bad" role="status" data-testid="will-run-on">
        Nothing can run this right now: {plan.pausedReason ?? 'no healthy provider is left'}. The task waits and starts by itself when a
        provider recovers.
      </p>
    );
  }
  return (
    <div className="will-run-on" role="status" data-testid="will-run-on">
      <p>
        Will run on <strong>{first.connectionName}</strong> · <span className="mono">{first.model}</span>{' '}
        <span className="badge">{sourceWord(first.source)}</span>
      </p>
      <p className="muted">Why: {first.reason}</p>
      {first.notes.map((note) => (
        <p key={note} className="muted">
          {note}
        </p>
      ))}
      {rest.length > 0 ? (
        <p className="muted">If it fails: {rest.map((candidate) => `${candidate.connectionName} · ${candidate.model}`).join(', then ')}.</p>
      ) : null}
      {plan.skipped.length > 0 ? (
        <p className="muted">Skipped: {plan.skipped.map((skip) => `${skip.connectionName} (${skip.message})`).join('; ')}.</p>
      ) : null}
    </div>
  );
}

/** What the chosen agent adds to the task beyond its description (shown in the list already). */
function agentHint(agent: Agent | undefined): string | undefined {
  if (!agent) return undefined;
  const needs = agent.requiredCapabilities.filter(
    (capability) => capability !== 'text' && !(capability === 'structuredOutput' && agent.outputSchema),
  );
  const parts = [
    needs.length > 0 ? `Needs a provider with ${needs.map((capability) => capabilityWord(capability)).join(', ')}.` : null,
    agent.outputSchema ? 'Answers as structured output (JSON); a malformed answer is retried once on a stronger provider.' : null,
    agent.localOnly ? 'Local only.' : null,
  ].filter(Boolean);
  return parts.length > 0 ? parts.join(' ') : undefined;
}

export function NewTaskForm(props: { onClose?: () => void }) {
  const { draft, formErrors, creating, draftPlan, draftPlanError, setDraft, addAttachments, removeAttachment, previewDraft, create } =
    useTasksStore(
      useShallow((state) => ({
        draft: state.draft,
        formErrors: state.formErrors,
        creating: state.creating,
        draftPlan: state.draftPlan,
        draftPlanError: state.draftPlanError,
        setDraft: state.setDraft,
        addAttachments: state.addAttachments,
        removeAttachment: state.removeAttachment,
        previewDraft: state.previewDraft,
        create: state.create,
      })),
    );
  const agents = useAgentsStore((state) => state.agents);
  const agentsLoaded = useAgentsStore((state) => state.loaded);
  const routing = useAppStore((state) => state.settings?.routing);
  const connections = useConnectionsStore((state) => state.connections);
  const fileInput = useRef<HTMLInputElement>(null);
  const [dragging, setDragging] = useState(false);
  const agent = agents.find((candidate) => candidate.name === draft.agent);
  const tiers = routing?.tiers ?? [];
  const routes = routing?.routes ?? [];

  // Where it would run changes with the agent, the target, images, local-only, and with health and settings.
  const previewKey = JSON.stringify([
    draft.agent,
    draft.target,
    draft.overrideConnectionId,
    draft.overrideModel,
    draft.localOnly,
    draft.attachments.length > 0,
    agent,
  ]);
  useEffect(() => {
    previewDraft();
  }, [previewKey, previewDraft, routing, connections]);

  const attach = async (files: File[]) => {
    if (files.length === 0) return;
    const { attachments, errors } = await readImages(files, draft.attachments.length, 'task');
    addAttachments(attachments, errors);
  };
  const onPaste = (event: ClipboardEvent<HTMLTextAreaElement>) => {
    const files = Array.from(event.clipboardData.files);
    if (files.length === 0) return;
    event.preventDefault();
    void attach(files);
  };
  const onDrop = (event: DragEvent<HTMLFormElement>) => {
    event.preventDefault();
    setDragging(false);
    void attach(Array.from(event.dataTransfer.files));
  };
  const targetKnown =
    draft.target === '' ||
    draft.target === 'model' ||
    tiers.some((tier) => `tier:${tier.id}` === draft.target) ||
    routes.some((route) => `route:${route.id}` === draft.target);
  const forcedLocal = Boolean(agent?.localOnly);

  return (
    <form
      className={dragging ? 'task-form task-form-dragging' : 'task-form'}
      aria-labelledby="new-task-title"
      onSubmit={(event) => {
        event.preventDefault();
        void create();
      }}
      onDragOver={(event) => {
        if (!event.dataTransfer.types.includes('Files')) return;
        event.preventDefault();
        setDragging(true);
      }}
      onDragLeave={(event) => {
        if (event.currentTarget.contains(event.relatedTarget as Node | null)) return;
        setDragging(false);
      }}
      onDrop={onDrop}
    >
      <div className="task-form-header">
        <h2 id="new-task-title">New task</h2>
        {props.onClose ? (
          <button type="button" className="button-quiet" onClick={props.onClose}>
            Close
          </button>
        ) : null}
      </div>
      <Field
        label="Agent"
        error={formErrors.agent ?? (agent || !agentsLoaded ? null : 'This agent no longer exists: pick another one.')}
        hint={agentHint(agent)}
      >
        <select value={draft.agent} onChange={(event) => setDraft({ agent: event.target.value })}>
          {!agent ? (
            <option value={draft.agent}>
              {draft.agent}
              {agentsLoaded ? ' (removed)' : ''}
            </option>
          ) : null}
          {agents.map((candidate) => (
            <option key={candidate.name} value={candidate.name}>
              {agentDisplayName(candidate.name)}
              {candidate.description ? ` — ${candidate.description}` : ''}
            </option>
          ))}
        </select>
      </Field>
      <Field label="Instruction" error={formErrors.instruction} hint="Paste or drop images here too. Ctrl+Enter runs the task.">
        <textarea
          className="task-instruction-input"
          rows={6}
          value={draft.instruction}
          placeholder="What should the agent do?"
          onChange={(event) => setDraft({ instruction: event.target.value })}
          onPaste={onPaste}
          onKeyDown={(event) => {
            if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
              event.preventDefault();
              void create();
            }
          }}
        />
      </Field>
      <div className="task-attachments">
        {draft.attachments.length > 0 ? (
          <ul className="thumbnail-list" aria-label="Attached images">
            {draft.attachments.map((item) => (
              <li key={item.id} className="thumbnail">
                <img src={imageSource(item.mediaType, item.data)} alt={item.name} />
                <span className="thumbnail-name" title={item.name}>
                  {item.name} · {formatBytes(item.size)}
                </span>
                <button
                  type="button"
                  className="thumbnail-remove"
                  aria-label={`Remove ${item.name}`}
                  onClick={() => removeAttachment(item.id)}
                >
                  <X size={13} />
                </button>
              </li>
            ))}
          </ul>
        ) : null}
        <button type="button" className="button-secondary" onClick={() => fileInput.current?.click()}>
          <ImagePlus size={15} aria-hidden="true" /> Add image
        </button>
        <input
          ref={fileInput}
          type="file"
          accept={acceptedImageTypes}
          multiple
          hidden
          aria-label="Choose images to attach"
          onChange={(event) => {
            void attach(Array.from(event.target.files ?? []));
            event.target.value = '';
          }}
        />
        {draft.attachments.length > 0 ? <span className="muted">Images need a provider that can see them (vision).</span> : null}
        {formErrors.attachments ? (
          <p className="field-error" role="alert">
            {formErrors.attachments}
          </p>
        ) : null}
      </div>
      <div className="task-form-row">
        <Field
          label="Run on"
          error={formErrors.target}
          hint={
            draft.target === ''
              ? 'The agent’s routing rules, then the default rules, then your Primary.'
              : draft.target === 'model'
                ? 'Only this provider and model, for this task alone; your rules stay as they are.'
                : 'Only this tier or route is tried.'
          }
        >
          <select
            value={draft.target}
            onChange={(event) => {
              const target = event.target.value;
              const first = connections[0]?.connection;
              // Choosing "a model" starts from the first provider's default model, ready to change.
              if (target === 'model' && !draft.overrideConnectionId && first)
                setDraft({ target, overrideConnectionId: first.id, overrideModel: first.defaultModel });
              else setDraft({ target });
            }}
          >
            <option value="">The agent’s routing</option>
            {connections.length > 0 ? <option value="model">A model I choose</option> : null}
            {!targetKnown ? <option value={draft.target}>{draft.target} (removed)</option> : null}
            {tiers.length > 0 ? (
              <optgroup label="Tier">
                {tiers.map((tier) => (
                  <option key={tier.id} value={`tier:${tier.id}`}>
                    {tier.name}
                  </option>
                ))}
              </optgroup>
            ) : null}
            {routes.length > 0 ? (
              <optgroup label="Route">
                {routes.map((route) => (
                  <option key={route.id} value={`route:${route.id}`}>
                    {route.name}
                  </option>
                ))}
              </optgroup>
            ) : null}
          </select>
        </Field>
        {draft.target === 'model' ? (
          <div className="field task-override">
            <span className="field-label" id="task-override-label">
              Provider and model
            </span>
            <div className="task-override-row" role="group" aria-labelledby="task-override-label">
              <ConnectionSelect
                label="Provider for this task"
                value={draft.overrideConnectionId}
                connections={connections}
                onChange={(connectionId) => {
                  const chosen = connections.find((view) => view.connection.id === connectionId)?.connection;
                  setDraft({ overrideConnectionId: connectionId, overrideModel: chosen?.defaultModel ?? '' });
                }}
              />
              <ModelField
                label="Model for this task"
                view={connections.find((view) => view.connection.id === draft.overrideConnectionId)}
                value={draft.overrideModel}
                onCommit={(overrideModel) => setDraft({ overrideModel })}
              />
            </div>
          </div>
        ) : null}
        <div className="field task-local">
          <label className="check-row">
            <input
              type="checkbox"
              checked={forcedLocal || draft.localOnly}
              disabled={forcedLocal}
              onChange={(event) => setDraft({ localOnly: event.target.checked })}
            />
            <span>
              Local only
              <span className="field-hint task-local-hint">
                {forcedLocal
                  ? `The ${agentDisplayName(draft.agent)} agent is local-only: its tasks never leave this machine.`
                  : 'Only providers on this machine or your network (such as Ollama); cloud providers are skipped.'}
              </span>
            </span>
          </label>
        </div>
      </div>
      <WillRunOn plan={draftPlan} error={draftPlanError} />
      {formErrors.form ? (
        <p className="form-error" role="alert">
          {formErrors.form}
        </p>
      ) : null}
      <div className="task-form-actions">
        <button type="submit" className="button-primary" disabled={creating}>
          <Play size={15} aria-hidden="true" /> {creating ? 'Starting…' : 'Run task'}
        </button>
      </div>
    </form>
  );
}

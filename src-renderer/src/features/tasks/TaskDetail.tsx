import { Check, Copy, RotateCcw, Square } from 'lucide-react';
import { useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { BlockMarkdown } from '../../components/markdown/BlockMarkdown';
import { SourceList } from '../../components/sources/SourceList';
import { agentDisplayName } from '../../../../src-shared/schemas/agent';
import { useConnectionsStore } from '../../stores/connections-store';
import { cancellableStatuses, retryableStatuses, useTasksStore } from '../../stores/tasks-store';
import { StructuredOutput } from './StructuredOutput';
import { TaskTimeline, WhyThisProvider } from './TaskTrace';
import { imageSource } from '../../lib/image-attachments';
import { formatUsd } from '../../lib/money';
import { answerSources, statusSentence, statusWords } from './task-format';
import { formatFullMoment } from '../../lib/date-time';

const emptyTrace: never[] = [];

function CopyButton({ text, onCopy }: { text: string; onCopy(text: string): Promise<boolean> }) {
  const [copied, setCopied] = useState(false);
  return (
    <button
      type="button"
      className="button-quiet"
      onClick={() =>
        void onCopy(text).then((done) => {
          if (!done) return;
          setCopied(true);
          setTimeout(() => setCopied(false), 1_500);
        })
      }
    >
      {copied ? <Check size={14} aria-hidden="true" /> : <Copy size={14} aria-hidden="true" />} {copied ? 'Copied' : 'Copy answer'}
    </button>
  );
}

export function TaskDetail({ id }: { id: string }) {
  const { task, liveAnswer, trace, why, actionError, cancel, retry, loadWhy, copy, openLink } = useTasksStore(
    useShallow((state) => ({
      task: state.tasks[id],
      liveAnswer: state.liveAnswers[id],
      trace: state.traces[id] ?? emptyTrace,
      why: state.why[id],
      actionError: state.actionError,
      cancel: state.cancel,
      retry: state.retry,
      loadWhy: state.loadWhy,
      copy: state.copy,
      openLink: state.openLink,
    })),
  );
  const connections = useConnectionsStore((state) => state.connections);
  const connectionName = (id: string) => connections.find((view) => view.connection.id === id)?.connection.name ?? id;
  if (!task) return <p className="muted">This task no longer exists.</p>;
  const answer = liveAnswer ?? task.answer;
  const live = task.status === 'running' || task.status === 'escalated';
  const images = task.attachments.filter((part) => part.type === 'image');
  const hasOutput = task.output !== null && task.output !== undefined;
  const showError = task.error && (task.status === 'failed' || task.status === 'paused');

  return (
    <article className="task-detail" aria-labelledby="task-detail-title" data-task={task.id} data-status={task.status}>
      <header className="task-detail-header">
        <div className="task-detail-title">
          <h2 id="task-detail-title">{agentDisplayName(task.agent)} task</h2>
          <span className={`badge task-status task-status-${task.status}`} data-testid="task-status">
            {statusWords[task.status]}
          </span>
          {task.localOnly ? <span className="badge">Local only</span> : null}
          {task.tier ? <span className="badge">Tier: {task.tier}</span> : null}
          {task.route ? <span className="badge">Route: {task.route}</span> : null}
          {task.modelOverride ? (
            <span className="badge">
              Model: {connectionName(task.modelOverride.connectionId)} · {task.modelOverride.model}
            </span>
          ) : null}
        </div>
        <div className="task-detail-actions">
          {cancellableStatuses.includes(task.status) ? (
            <button type="button" className="button-secondary" onClick={() => void cancel(task.id)}>
              <Square size={14} aria-hidden="true" /> Cancel
            </button>
          ) : null}
          {retryableStatuses.includes(task.status) ? (
            <button type="button" className="button-secondary" onClick={() => void retry(task.id)}>
              <RotateCcw size={14} aria-hidden="true" /> {task.status === 'failed' ? 'Retry' : 'Run again'}
            </button>
          ) : null}
        </div>
      </header>
      {task.summary && !live && task.status !== 'queued' ? (
        <p className="task-summary" data-testid="task-summary">
          {task.summary}.
        </p>
      ) : null}
      <p className={`task-status-line status-line-${task.status}`} data-testid="task-status-line">
        {statusSentence(task, trace)}
      </p>
      {actionError ? (
        <p className="form-error" role="alert">
          {actionError}
        </p>
      ) : null}
      <p className="task-meta muted">
        Created {formatFullMoment(task.createdAt)} ·{' '}
        {task.inputTokens + task.outputTokens > 0 ? (
          <>
            {task.inputTokens.toLocaleString()} input · {task.outputTokens.toLocaleString()} output tokens ·{' '}
            <span data-testid="task-cost">{formatUsd(task.costUsd)}</span>
          </>
        ) : (
          'no tokens used yet'
        )}
      </p>

      <section className="task-block" aria-label="Instruction">
        <h3>Instruction</h3>
        <div className="task-instruction">{task.instruction}</div>
        {images.length > 0 ? (
          <ul className="thumbnail-list">
            {images.map((part, index) =>
              part.type === 'image' ? (
                <li key={index} className="thumbnail">
                  <img src={imageSource(part.mediaType, part.data)} alt={`Attached image ${index + 1}`} />
                </li>
              ) : null,
            )}
          </ul>
        ) : null}
      </section>

      {showError ? (
        <p className="form-error task-error" role="alert" data-testid="task-error">
          {task.status === 'paused' ? 'Last error: ' : ''}
          {task.error!.message}
        </p>
      ) : null}

      <section className="task-block" aria-label="Answer">
        <div className="task-block-header">
          <h3>{hasOutput ? 'Structured output' : 'Answer'}</h3>
          {answer && !live ? <CopyButton text={answer} onCopy={copy} /> : null}
        </div>
        {hasOutput ? (
          <>
            <StructuredOutput value={task.output} />
            <details className="task-raw">
              <summary>Answer as text</summary>
              <pre className="task-raw-text">{answer}</pre>
            </details>
          </>
        ) : answer ? (
          <div
            className={live ? 'task-answer task-answer-live' : 'task-answer'}
            data-testid="task-answer"
            aria-live={live ? 'polite' : undefined}
          >
            <BlockMarkdown text={answer} onCopy={copy} onOpenLink={openLink} />
          </div>
        ) : (
          <p className="muted" data-testid="task-answer-empty">
            {live ? 'Waiting for the first words…' : task.status === 'queued' || task.status === 'paused' ? 'No answer yet.' : 'No answer.'}
          </p>
        )}
        {live ? null : <SourceList sources={answerSources(trace)} onOpenLink={openLink} />}
      </section>

      <section className="task-block" aria-label="Route trace">
        <h3>Route trace</h3>
        <TaskTimeline trace={trace} live={live} />
        <WhyThisProvider why={why} onOpen={() => void loadWhy(task.id)} />
      </section>
    </article>
  );
}

import { AlertTriangle, Check, Copy, Pencil, PauseCircle, Play, RefreshCw, RotateCw, Scissors, Shuffle } from 'lucide-react';
import { memo, useDeferredValue, useEffect, useRef, useState, type KeyboardEvent } from 'react';
import type { StoredMessage } from '../../../../src-shared/schemas/stored-conversation';
import { BlockMarkdown } from '../../components/markdown/BlockMarkdown';
import { SourceList } from '../../components/sources/SourceList';
import { isStreaming, useChatStore } from '../../stores/chat-store';
import { imageSource } from '../../lib/image-attachments';
import { formatFullMoment } from '../../lib/date-time';
import { ProvenanceBadge } from './ProvenanceBadge';

/** One message of the virtualized list; subscribes to its own message and streamed text only. */
export const MessageRow = memo(function MessageRow(props: { id: number; conversationId: string; primaryName: string }) {
  const message = useChatStore((state) => state.messages[props.id]);
  if (!message) return null;
  return message.role === 'user' ? (
    <UserMessage message={message} conversationId={props.conversationId} />
  ) : (
    <AssistantMessage message={message} conversationId={props.conversationId} primaryName={props.primaryName} />
  );
});

function CopyButton({ text, label }: { text: string; label: string }) {
  const copy = useChatStore((state) => state.copy);
  const [copied, setCopied] = useState(false);
  useEffect(() => {
    if (!copied) return;
    const timer = setTimeout(() => setCopied(false), 1_500);
    return () => clearTimeout(timer);
  }, [copied]);
  return (
    <button
      type="button"
      className="message-action"
      aria-label={copied ? 'Copied' : label}
      title={copied ? 'Copied' : label}
      onClick={() => void copy(text).then((done) => done && setCopied(true))}
    >
      {copied ? <Check size={14} aria-hidden="true" /> : <Copy size={14} aria-hidden="true" />}
    </button>
  );
}

/** "Loading llama3.2 on Ollama (12 s)": a local model loading is progress, not a failure. */
function ModelLoading({ connectionName, model, startedAt }: { connectionName: string; model: string; startedAt: number }) {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, []);
  const seconds = Math.max(0, Math.round((now - startedAt) / 1000));
  return (
    <p className="typing model-loading" role="status">
      <span className="typing-dots" aria-hidden="true">
        <span />
        <span />
        <span />
      </span>
      Loading model {model} on {connectionName} ({seconds} s)…
    </p>
  );
}

/** Why an answer stopped part way, in words: the user stopped it, the app closed, the connection broke, the limit. */
export function stoppedWords(message: Pick<StoredMessage, 'status' | 'error'>): string {
  if (message.status === 'cut') return 'Cut: the answer reached the maximum output tokens.';
  const error = message.error;
  if (!error) return 'Interrupted: Switchboard closed while this answer was being written.';
  if (error.code === 'aborted') return 'Stopped: you stopped this answer.';
  return `Interrupted: the connection was lost part way. ${error.message}`;
}

function AssistantMessage({
  message,
  conversationId,
  primaryName,
}: {
  message: StoredMessage;
  conversationId: string;
  primaryName: string;
}) {
  const streamed = useChatStore((state) => state.streamingText[message.id]);
  const loading = useChatStore((state) => state.loadingModel[message.id]);
  const retryOn = useChatStore((state) => state.retryOn[message.id] ?? null);
  const busy = useChatStore((state) => isStreaming(state, conversationId));
  const copy = useChatStore((state) => state.copy);
  const openLink = useChatStore((state) => state.openLink);
  const regenerate = useChatStore((state) => state.regenerate);
  const retry = useChatStore((state) => state.retry);
  const answerAnyway = useChatStore((state) => state.answerAnyway);
  const continueAnswer = useChatStore((state) => state.continueAnswer);
  // Continue adds to the end of the conversation, so only its last answer offers it.
  const isLast = useChatStore((state) => state.threads[conversationId]?.ids.at(-1) === message.id);
  const [acting, setActing] = useState(false);
  const status = message.status;
  const text = status === 'streaming' ? (streamed ?? message.content) : message.content;
  // Streamed text is rendered in the background, in slices between frames (a transition), so parsing
  // and highlighting it never holds a frame up; newer text arriving meanwhile replaces it. A finished
  // answer shows its whole text at once, together with who answered.
  const deferredText = useDeferredValue(text);
  const shownText = status === 'streaming' ? deferredText : text;
  const provenance = message.provenance;
  const act = (action: () => Promise<void>) => {
    setActing(true);
    void action().finally(() => setActing(false));
  };
  // The same answer asked again of the next healthy provider, offered after a failure or an interruption.
  const retryOnButton = (className: string) =>
    retryOn ? (
      <button
        type="button"
        className={className}
        disabled={busy || acting}
        onClick={() => act(() => retry(conversationId, message.id, retryOn.connectionId))}
      >
        <RotateCw size={14} aria-hidden="true" />
        Retry on {retryOn.connectionName}
      </button>
    ) : null;
  return (
    <article className="message message-assistant" data-status={status} data-message-id={message.id} aria-label="Answer">
      {text.length > 0 ? (
        <div className="answer-text">
          <BlockMarkdown text={shownText} onCopy={copy} onOpenLink={openLink} />
        </div>
      ) : status === 'streaming' && loading ? (
        <ModelLoading connectionName={loading.connectionName} model={loading.model} startedAt={loading.startedAt} />
      ) : status === 'streaming' ? (
        <p className="typing" role="status">
          <span className="typing-dots" aria-hidden="true">
            <span />
            <span />
            <span />
          </span>
          Waiting for {primaryName}…
        </p>
      ) : null}
      {status === 'interrupted' || status === 'cut' ? (
        <div className={`message-status status-${status}`} data-testid="answer-stopped">
          {status === 'cut' ? <Scissors size={15} aria-hidden="true" /> : <PauseCircle size={15} aria-hidden="true" />}
          <div>
            <p>
              <strong>{stoppedWords(message)}</strong>
              {text.length > 0 ? ' The text so far is kept.' : ' No text arrived.'}
            </p>
            <div className="status-actions">
              {text.length > 0 && isLast ? (
                <button
                  type="button"
                  className="button-primary status-action"
                  disabled={busy || acting}
                  onClick={() => act(() => continueAnswer(conversationId, message.id))}
                >
                  <Play size={14} aria-hidden="true" />
                  Continue
                </button>
              ) : null}
              {status === 'interrupted' ? retryOnButton('button-secondary status-action') : null}
            </div>
          </div>
        </div>
      ) : null}
      {status === 'error' ? (
        <div className="message-error" role="alert">
          <AlertTriangle size={16} aria-hidden="true" className="message-error-icon" />
          <div className="message-error-body">
            <p>{message.error?.message ?? 'The answer failed.'}</p>
            <div className="message-error-actions">
              {retryOnButton('button-primary')}
              {message.error?.code === 'budget_exceeded' ? (
                // Over its monthly cap, Primary answers only when the user says so, for this message.
                <button
                  type="button"
                  className="button-secondary"
                  disabled={busy || acting}
                  onClick={() => act(() => answerAnyway(conversationId, message.id))}
                >
                  <RefreshCw size={14} aria-hidden="true" />
                  Answer anyway this once
                </button>
              ) : (
                <button
                  type="button"
                  className="button-secondary"
                  disabled={busy || acting}
                  onClick={() => act(() => regenerate(conversationId, message.id))}
                >
                  <RefreshCw size={14} aria-hidden="true" />
                  Try again on {primaryName}
                </button>
              )}
            </div>
          </div>
        </div>
      ) : null}
      {provenance?.sources ? <SourceList sources={provenance.sources} onOpenLink={openLink} /> : null}
      {provenance?.fallbackNote ? (
        <p className="message-status status-fallback">
          <Shuffle size={15} aria-hidden="true" />
          <span>{provenance.fallbackNote}</span>
        </p>
      ) : null}
      {provenance || (status !== 'streaming' && status !== 'error') ? (
        <div className="answer-footer">
          {provenance ? <ProvenanceBadge provenance={provenance} answeredAt={message.updatedAt} /> : null}
          {status !== 'streaming' && status !== 'error' ? (
            <div className="message-actions message-actions-hover" role="group" aria-label="Answer actions">
              {text.length > 0 ? <CopyButton text={text} label="Copy answer" /> : null}
              <button
                type="button"
                className="message-action"
                aria-label="Regenerate"
                title="Regenerate"
                disabled={busy || acting}
                onClick={() => act(() => regenerate(conversationId, message.id))}
              >
                <RefreshCw size={14} aria-hidden="true" />
              </button>
              <span className="message-time">{formatFullMoment(message.createdAt)}</span>
            </div>
          ) : null}
        </div>
      ) : null}
    </article>
  );
}

function UserMessage({ message, conversationId }: { message: StoredMessage; conversationId: string }) {
  const edit = useChatStore((state) => state.edit);
  const busy = useChatStore((state) => isStreaming(state, conversationId));
  const [editing, setEditing] = useState(false);
  const [text, setText] = useState('');
  const [saving, setSaving] = useState(false);
  const editor = useRef<HTMLTextAreaElement>(null);
  const images = (message.parts ?? []).filter((part) => part.type === 'image');
  useEffect(() => {
    if (!editing || !editor.current) return;
    editor.current.focus();
    editor.current.setSelectionRange(editor.current.value.length, editor.current.value.length);
  }, [editing]);
  useEffect(() => {
    const element = editor.current;
    if (!element) return;
    element.style.height = 'auto';
    element.style.height = `${Math.min(element.scrollHeight, 320)}px`;
  }, [text, editing]);
  const save = () => {
    if (saving || busy || (text.trim().length === 0 && images.length === 0)) return;
    setSaving(true);
    void edit(conversationId, message.id, text).then((done) => {
      setSaving(false);
      if (done) setEditing(false);
    });
  };
  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (event.key === 'Escape') {
      event.stopPropagation();
      setEditing(false);
    } else if (event.key === 'Enter' && !event.shiftKey && !event.nativeEvent.isComposing) {
      event.preventDefault();
      save();
    }
  };
  return (
    <article className="message message-user" data-message-id={message.id} aria-label="Your message">
      <div className={editing ? 'user-bubble editing' : 'user-bubble'}>
        {images.length > 0 ? (
          <div className="message-images">
            {images.map((image, index) => (
              <img
                key={index}
                className="message-image"
                src={imageSource(image.mediaType, image.data)}
                alt={`Attached image ${index + 1}`}
              />
            ))}
          </div>
        ) : null}
        {editing ? (
          <div className="edit-box">
            <textarea
              ref={editor}
              aria-label="Edit your message"
              value={text}
              rows={2}
              onChange={(event) => setText(event.target.value)}
              onKeyDown={onKeyDown}
            />
            <p className="edit-hint">Sending the edit drops the messages after it and asks again.</p>
            <div className="edit-actions">
              <button type="button" className="button-quiet" onClick={() => setEditing(false)}>
                Cancel
              </button>
              <button
                type="button"
                className="button-primary"
                disabled={saving || busy || (text.trim().length === 0 && images.length === 0)}
                onClick={save}
              >
                Send edit
              </button>
            </div>
          </div>
        ) : message.content.length > 0 ? (
          <p className="user-text">{message.content}</p>
        ) : null}
        {!editing ? (
          <div className="message-actions message-actions-user" role="group" aria-label="Question actions">
            <CopyButton text={message.content} label="Copy" />
            <button
              type="button"
              className="message-action"
              aria-label="Edit and resend"
              disabled={busy}
              title={busy ? 'Wait for the answer to finish, or stop it' : 'Edit and resend'}
              onClick={() => {
                setText(message.content);
                setEditing(true);
              }}
            >
              <Pencil size={14} aria-hidden="true" />
            </button>
          </div>
        ) : null}
      </div>
    </article>
  );
}

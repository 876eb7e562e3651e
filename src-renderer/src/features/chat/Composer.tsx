import { AlertTriangle, ArrowUp, ImagePlus, Square, X } from 'lucide-react';
import { useImperativeHandle, useLayoutEffect, useRef, type ClipboardEvent, type KeyboardEvent, type Ref } from 'react';
import { emptyDraft, isStreaming, useChatStore } from '../../stores/chat-store';
import { acceptedImageTypes, imageSource } from '../../lib/image-attachments';
import type { PrimaryInfo } from './use-primary';

export interface ComposerHandle {
  focus(): void;
  /** Dropped or pasted files from anywhere in the pane. */
  attach(files: readonly File[]): void;
}

const MAX_HEIGHT_PX = 260;

/** The message box: grows with its text, keeps a draft per conversation, takes images, sends and stops. */
export function Composer({
  draftKey,
  conversationId,
  primary,
  ref,
}: {
  draftKey: string;
  conversationId: string | null;
  primary: PrimaryInfo | null;
  ref: Ref<ComposerHandle>;
}) {
  const draft = useChatStore((state) => state.drafts[draftKey]) ?? emptyDraft;
  const streaming = useChatStore((state) => isStreaming(state, conversationId));
  const setDraftText = useChatStore((state) => state.setDraftText);
  const attachFiles = useChatStore((state) => state.attachFiles);
  const removeAttachment = useChatStore((state) => state.removeAttachment);
  const send = useChatStore((state) => state.send);
  const runAsVisionTask = useChatStore((state) => state.runAsVisionTask);
  const stop = useChatStore((state) => state.stop);
  const textarea = useRef<HTMLTextAreaElement>(null);
  const picker = useRef<HTMLInputElement>(null);

  const attach = (files: readonly File[]) => void attachFiles(draftKey, files);
  useImperativeHandle(ref, () => ({ focus: () => textarea.current?.focus(), attach }));

  useLayoutEffect(() => {
    const element = textarea.current;
    if (!element) return;
    element.style.height = 'auto';
    element.style.height = `${Math.min(element.scrollHeight, MAX_HEIGHT_PX)}px`;
  }, [draft.text]);

  const hasImages = draft.attachments.length > 0;
  const visionRefused = hasImages && primary?.vision === false;
  const empty = draft.text.trim().length === 0 && !hasImages;
  const canSend = !streaming && !empty && !visionRefused && primary !== null;

  const submit = () => {
    if (!canSend) return;
    void send(draftKey);
    textarea.current?.focus();
  };
  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (event.key === 'Enter' && !event.shiftKey && !event.nativeEvent.isComposing) {
      event.preventDefault();
      submit();
    } else if (event.key === 'Escape' && streaming && conversationId) {
      event.preventDefault();
      event.stopPropagation();
      void stop(conversationId);
    }
  };
  const onPaste = (event: ClipboardEvent<HTMLTextAreaElement>) => {
    const files = Array.from(event.clipboardData.files);
    if (files.length === 0) return;
    // A copied picture arrives as a file; keep any text that came with it.
    if (!event.clipboardData.types.includes('text/plain')) event.preventDefault();
    attach(files);
  };

  const health = primary?.health;
  return (
    <div className="composer-area">
      {health?.color === 'red' ? (
        <p className="primary-warning" role="alert" title={health.reason}>
          <AlertTriangle size={14} aria-hidden="true" />
          <span>
            <strong>{primary?.name} is failing:</strong> {health.reason.replace(/\.$/, '')}. A failed answer offers a retry elsewhere.
          </span>
        </p>
      ) : null}
      <div className="composer">
        {hasImages ? (
          <ul className="composer-attachments" aria-label="Attached images">
            {draft.attachments.map((attachment) => (
              <li key={attachment.id} className="composer-thumb">
                <img src={imageSource(attachment.mediaType, attachment.data)} alt={attachment.name} />
                <button
                  type="button"
                  className="composer-thumb-remove"
                  aria-label={`Remove ${attachment.name}`}
                  onClick={() => removeAttachment(draftKey, attachment.id)}
                >
                  <X size={12} aria-hidden="true" />
                </button>
              </li>
            ))}
          </ul>
        ) : null}
        {visionRefused && primary ? (
          <p className="composer-note composer-note-warning" role="alert">
            <strong>{primary.name} can&apos;t read images</strong> ({primary.defaultModel} has no vision). Remove the image to send this
            message, or run it as a vision task: it goes to a vision-capable provider.{' '}
            <button type="button" className="button-secondary button-small" onClick={() => void runAsVisionTask(draftKey)}>
              Run as a vision task
            </button>
          </p>
        ) : null}
        {draft.attachmentError ? (
          <p className="composer-note composer-note-error" role="alert">
            {draft.attachmentError}
          </p>
        ) : null}
        <div className="composer-row">
          <button
            type="button"
            className="composer-icon"
            aria-label="Attach images"
            title="Attach images (PNG, JPEG, GIF, WebP, up to 5 MB)"
            onClick={() => picker.current?.click()}
          >
            <ImagePlus size={18} aria-hidden="true" />
          </button>
          <input
            ref={picker}
            type="file"
            className="visually-hidden"
            tabIndex={-1}
            aria-label="Choose images to attach"
            accept={acceptedImageTypes}
            multiple
            onChange={(event) => {
              attach(Array.from(event.target.files ?? []));
              event.target.value = '';
            }}
          />
          <textarea
            ref={textarea}
            className="composer-input"
            aria-label="Message"
            placeholder={primary ? `Message ${primary.name}…` : 'Message…'}
            rows={1}
            value={draft.text}
            onChange={(event) => setDraftText(draftKey, event.target.value)}
            onKeyDown={onKeyDown}
            onPaste={onPaste}
          />
          {streaming && conversationId ? (
            <button
              type="button"
              className="composer-send composer-stop"
              aria-label="Stop"
              title="Stop the answer (Esc)"
              onClick={() => void stop(conversationId)}
            >
              <Square size={14} aria-hidden="true" fill="currentColor" />
            </button>
          ) : (
            <button type="button" className="composer-send" aria-label="Send" title="Send (Enter)" disabled={!canSend} onClick={submit}>
              <ArrowUp size={18} aria-hidden="true" />
            </button>
          )}
        </div>
      </div>
      <p className="composer-hint">Enter to send · Shift+Enter for a new line{streaming ? ' · Esc to stop' : ''}</p>
    </div>
  );
}

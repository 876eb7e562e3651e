import { ImagePlus, Lock, MessageCircleQuestion, MessagesSquare, PanelLeft, Plus } from 'lucide-react';
import { useState, type DragEvent, type RefObject } from 'react';
import { EmptyState } from '../../components/ui/EmptyState';
import { HealthDot } from '../../components/ui/HealthDot';
import { NEW_CHAT_DRAFT, useChatStore } from '../../stores/chat-store';
import { Composer, type ComposerHandle } from './Composer';
import { shortcut } from './format';
import { MessageList } from './MessageList';
import { ModelPicker } from './ModelPicker';
import { useAnswerer } from './use-primary';

const hasFiles = (event: DragEvent) => Array.from(event.dataTransfer.types).includes('Files');

/** The open conversation: its header, the messages (or an empty state), and the composer. */
export function ConversationPane({
  composerRef,
  listShown,
  onToggleList,
  onNewChat,
}: {
  composerRef: RefObject<ComposerHandle | null>;
  listShown: boolean;
  onToggleList(): void;
  onNewChat(): void;
}) {
  const activeId = useChatStore((state) => state.activeId);
  const summary = useChatStore((state) => state.conversations.find((item) => item.id === state.activeId));
  const thread = useChatStore((state) => (state.activeId ? state.threads[state.activeId] : undefined));
  const listLoaded = useChatStore((state) => state.listLoaded);
  const error = useChatStore((state) => state.error);
  const clearError = useChatStore((state) => state.clearError);
  const select = useChatStore((state) => state.select);
  const [dragging, setDragging] = useState(false);
  // Who answers here: the model pinned to this conversation, else the Primary (the rule main routes by).
  const primary = useAnswerer(summary);
  const primaryName = primary?.name ?? 'your Primary';
  const answersFrom = primary
    ? primary.source === 'pinned'
      ? `${primary.name} (${primary.defaultModel}), pinned to this conversation`
      : `${primary.name} (${primary.modelLabel})`
    : 'your Primary provider';

  let body;
  if (!listLoaded) body = <div className="loading">Loading…</div>;
  else if (!activeId)
    body = (
      <EmptyState icon={MessagesSquare} title="No conversations yet">
        <p>New chats answer from your Primary, {answersFrom}; pick another model for a conversation from its header.</p>
        <p>Type below to start, or press {shortcut('N')} for a new chat.</p>
      </EmptyState>
    );
  else if (!thread || (thread.loading && thread.ids.length === 0)) body = <div className="loading">Loading messages…</div>;
  else if (thread.error)
    body = (
      <div className="pane-error" role="alert">
        <p>This conversation could not be loaded: {thread.error}</p>
        <button type="button" className="button-secondary" onClick={() => void select(activeId)}>
          Try again
        </button>
      </div>
    );
  else if (thread.ids.length === 0)
    body = (
      <EmptyState icon={MessageCircleQuestion} title="Ask anything">
        <p>Answers come from {answersFrom}.</p>
      </EmptyState>
    );
  else body = <MessageList key={activeId} conversationId={activeId} thread={thread} primaryName={primaryName} />;

  return (
    <section
      className={dragging ? 'conversation-pane dragging' : 'conversation-pane'}
      aria-label="Conversation"
      onDragOver={(event) => {
        if (!hasFiles(event)) return;
        event.preventDefault();
        setDragging(true);
      }}
      onDragLeave={(event) => {
        if (!event.currentTarget.contains(event.relatedTarget as Node | null)) setDragging(false);
      }}
      onDrop={(event) => {
        if (!hasFiles(event)) return;
        event.preventDefault();
        setDragging(false);
        composerRef.current?.attach(Array.from(event.dataTransfer.files));
      }}
    >
      <header className="pane-header">
        <button
          type="button"
          className="icon-button list-toggle"
          aria-label={listShown ? 'Hide conversations' : 'Show conversations'}
          aria-expanded={listShown}
          aria-controls="conversation-list"
          aria-keyshortcuts="Control+B"
          title={`${listShown ? 'Hide' : 'Show'} conversations (${shortcut('B')})`}
          onClick={onToggleList}
        >
          <PanelLeft size={16} aria-hidden="true" />
        </button>
        {listShown ? null : (
          <button
            type="button"
            className="icon-button list-toggle"
            aria-label="New chat"
            title={`New chat (${shortcut('N')})`}
            onClick={onNewChat}
          >
            <Plus size={16} aria-hidden="true" />
          </button>
        )}
        <h2 className="pane-title" title={summary?.title}>
          {summary?.title ?? 'Chat'}
        </h2>
        {summary?.localOnly ? (
          <span className="badge local-badge" title="Local only: never sent to a cloud provider">
            <Lock size={11} aria-hidden="true" />
            Local only
          </span>
        ) : null}
        {primary && summary ? (
          <ModelPicker conversation={summary} answerer={primary} />
        ) : primary ? (
          <span className="pane-primary" title={`New chats answer from your Primary: ${primary.name} (${primary.modelLabel})`}>
            {primary.health ? <HealthDot health={primary.health} /> : null}
            <span className="pane-primary-name">{primary.headerLabel}</span>
          </span>
        ) : null}
      </header>
      {error ? (
        <div className="notice notice-error pane-notice" role="alert">
          <p>{error}</p>
          <button type="button" className="button-quiet" onClick={clearError}>
            Dismiss
          </button>
        </div>
      ) : null}
      <div className="pane-body">{body}</div>
      <Composer ref={composerRef} draftKey={activeId ?? NEW_CHAT_DRAFT} conversationId={activeId} primary={primary} />
      {dragging ? (
        <div className="drop-overlay" aria-hidden="true">
          <ImagePlus size={28} />
          Drop images to attach
        </div>
      ) : null}
    </section>
  );
}

import { Download, Lock, Pencil, Plus, Search, Trash2, X } from 'lucide-react';
import { memo, useEffect, useRef, useState, type KeyboardEvent, type Ref } from 'react';
import type { ConversationSearchHit, ConversationSummary } from '../../../../src-shared/schemas/stored-conversation';
import { useChatStore } from '../../stores/chat-store';
import { downloadText } from './download';
import { formatFullMoment, formatListTime } from '../../lib/date-time';
import { highlightPieces, plainPreview, shortcut } from './format';

/** The left column: New chat, search, and the conversations (rename inline, export, delete with undo). */
/** How the list shows: a column beside the conversation, a drawer over it (narrow windows), or not at all. */
export type ConversationListMode = 'column' | 'drawer' | 'hidden';

export function ConversationList({
  searchRef,
  onNewChat,
  mode = 'column',
}: {
  searchRef: Ref<HTMLInputElement>;
  onNewChat(localOnly: boolean): void;
  mode?: ConversationListMode;
}) {
  const conversations = useChatStore((state) => state.conversations);
  const listLoaded = useChatStore((state) => state.listLoaded);
  const listError = useChatStore((state) => state.listError);
  const search = useChatStore((state) => state.search);
  const searchFor = useChatStore((state) => state.searchFor);
  const searching = search.query.trim().length > 0;
  return (
    <aside id="conversation-list" className="conversation-column" data-mode={mode} aria-label="Conversations" hidden={mode === 'hidden'}>
      <div className="conversation-tools">
        <div className="new-chat-row">
          <button type="button" className="button-primary new-chat" onClick={() => onNewChat(false)} title={`New chat (${shortcut('N')})`}>
            <Plus size={16} aria-hidden="true" />
            New chat
          </button>
          <button
            type="button"
            className="icon-button new-local"
            aria-label="New local-only chat"
            title="New local-only chat: never leaves this machine"
            onClick={() => onNewChat(true)}
          >
            <Lock size={15} aria-hidden="true" />
          </button>
        </div>
        <div className="search-box">
          <Search size={14} aria-hidden="true" className="search-icon" />
          <input
            ref={searchRef}
            type="search"
            aria-label="Search conversations"
            placeholder={`Search (${shortcut('K')})`}
            value={search.query}
            onChange={(event) => searchFor(event.target.value)}
            onKeyDown={(event) => {
              if (event.key === 'Escape' && search.query) {
                event.stopPropagation();
                searchFor('');
              }
            }}
          />
          {search.query ? (
            <button type="button" className="search-clear" aria-label="Clear search" onClick={() => searchFor('')}>
              <X size={13} aria-hidden="true" />
            </button>
          ) : null}
        </div>
      </div>
      {listError ? (
        <p className="conversation-error" role="alert">
          {listError}
        </p>
      ) : null}
      {searching ? (
        <SearchResults hits={search.results} pending={search.searching} error={search.error} query={search.query} />
      ) : (
        <ul className="conversation-list">
          {conversations.map((conversation) => (
            <ConversationRow key={conversation.id} conversation={conversation} />
          ))}
          {listLoaded && conversations.length === 0 && !listError ? <li className="conversation-empty">No conversations yet.</li> : null}
        </ul>
      )}
    </aside>
  );
}

function SearchResults({
  hits,
  pending,
  error,
  query,
}: {
  hits: ConversationSearchHit[];
  pending: boolean;
  error: string | null;
  query: string;
}) {
  const select = useChatStore((state) => state.select);
  const searchFor = useChatStore((state) => state.searchFor);
  if (error)
    return (
      <p className="conversation-error" role="alert">
        {error}
      </p>
    );
  if (hits.length === 0) return <p className="conversation-empty">{pending ? 'Searching…' : `Nothing matches “${query.trim()}”.`}</p>;
  return (
    <ul className="conversation-list" aria-label="Search results">
      {hits.map((hit) => (
        <li key={`${hit.conversationId}-${hit.messageId ?? 'title'}`}>
          <button
            type="button"
            className="conversation-row search-hit"
            onClick={() => {
              void select(hit.conversationId);
              searchFor('');
            }}
          >
            <span className="conversation-title">{hit.title}</span>
            <span className="conversation-preview search-snippet">
              {highlightPieces(hit.snippet, hit.highlights).map((piece, index) =>
                piece.match ? <mark key={index}>{piece.text}</mark> : <span key={index}>{piece.text}</span>,
              )}
            </span>
          </button>
        </li>
      ))}
    </ul>
  );
}

/** A row renders again only when its own conversation changed, not whenever the list is sent anew. */
const ConversationRow = memo(
  function ConversationRow({ conversation }: { conversation: ConversationSummary }) {
    const active = useChatStore((state) => state.activeId === conversation.id);
    const select = useChatStore((state) => state.select);
    const rename = useChatStore((state) => state.rename);
    const remove = useChatStore((state) => state.remove);
    const exportConversation = useChatStore((state) => state.exportConversation);
    const [renaming, setRenaming] = useState(false);
    const [title, setTitle] = useState(conversation.title);
    const [renameError, setRenameError] = useState<string | null>(null);
    const input = useRef<HTMLInputElement>(null);
    useEffect(() => {
      if (renaming) input.current?.select();
    }, [renaming]);

    const commit = () => {
      if (title.trim() === conversation.title) return setRenaming(false);
      void rename(conversation.id, title).then((error) => {
        setRenameError(error);
        if (!error) setRenaming(false);
      });
    };
    const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
      if (event.key === 'Enter') commit();
      if (event.key === 'Escape') {
        event.stopPropagation();
        setRenaming(false);
        setRenameError(null);
      }
    };
    const preview = conversation.preview
      ? `${conversation.previewRole === 'user' ? 'You: ' : ''}${plainPreview(conversation.preview)}`
      : 'No messages yet';

    return (
      <li className={active ? 'conversation-item active' : 'conversation-item'} data-conversation={conversation.id}>
        {renaming ? (
          <div className="conversation-rename">
            <input
              ref={input}
              type="text"
              aria-label="Conversation title"
              aria-invalid={renameError ? 'true' : undefined}
              value={title}
              maxLength={200}
              onChange={(event) => setTitle(event.target.value)}
              onKeyDown={onKeyDown}
              onBlur={commit}
            />
            {renameError ? (
              <span className="field-error" role="alert">
                {renameError}
              </span>
            ) : null}
          </div>
        ) : (
          <button
            type="button"
            className="conversation-row"
            aria-current={active ? 'true' : undefined}
            onClick={() => void select(conversation.id)}
            title={formatFullMoment(conversation.updatedAt)}
          >
            <span className="conversation-line">
              <span className="conversation-title">{conversation.title}</span>
              <span className="conversation-time">{formatListTime(conversation.updatedAt)}</span>
            </span>
            <span className="conversation-line">
              <span className="conversation-preview">{preview}</span>
              {conversation.localOnly ? (
                <span className="local-marker" title="Local only: never sent to a cloud provider">
                  <Lock size={11} aria-hidden="true" />
                  Local
                </span>
              ) : null}
            </span>
          </button>
        )}
        {!renaming ? (
          <span className="conversation-actions">
            <button
              type="button"
              className="icon-button"
              aria-label={`Rename ${conversation.title}`}
              title="Rename"
              onClick={() => {
                setTitle(conversation.title);
                setRenameError(null);
                setRenaming(true);
              }}
            >
              <Pencil size={14} aria-hidden="true" />
            </button>
            <button
              type="button"
              className="icon-button"
              aria-label={`Export ${conversation.title} as Markdown`}
              title="Export as Markdown"
              onClick={() =>
                void exportConversation(conversation.id).then((file) => file && downloadText(file.fileName, file.markdown, 'text/markdown'))
              }
            >
              <Download size={14} aria-hidden="true" />
            </button>
            <button
              type="button"
              className="icon-button danger-hover"
              aria-label={`Delete ${conversation.title}`}
              title="Delete"
              onClick={() => void remove(conversation.id)}
            >
              <Trash2 size={14} aria-hidden="true" />
            </button>
          </span>
        ) : null}
      </li>
    );
  },
  (before, after) => {
    const [left, right] = [before.conversation, after.conversation];
    return (Object.keys(left) as Array<keyof ConversationSummary>).every((key) => left[key] === right[key]);
  },
);

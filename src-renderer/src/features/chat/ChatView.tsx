import { Undo2 } from 'lucide-react';
import { useEffect, useRef, useState } from 'react';
import { NARROW_WINDOW, useMediaQuery } from '../../lib/use-media-query';
import { useAppStore } from '../../stores/app-store';
import { isStreaming, useChatStore } from '../../stores/chat-store';
import { useConnectionsStore } from '../../stores/connections-store';
import type { ComposerHandle } from './Composer';
import { ConversationList, type ConversationListMode } from './ConversationList';
import { ConversationPane } from './ConversationPane';
import { Welcome } from './Welcome';
import './chat.css';

export function ChatView() {
  const hasConnections = useAppStore((state) => (state.settings?.connections.length ?? 0) > 0);
  const settingsLoaded = useAppStore((state) => state.settings !== null);
  // The welcome stays up after the first provider is added, until "Start chatting".
  const [added, setAdded] = useState<string | null>(null);
  const welcome = settingsLoaded && (!hasConnections || added !== null);
  return (
    <section className={welcome ? 'view chat-welcome-view' : 'view chat-view'} aria-labelledby="chat-title">
      <h1 id="chat-title" className="visually-hidden">
        Chat
      </h1>
      {welcome ? <Welcome added={added} onAdded={setAdded} onStart={() => setAdded(null)} /> : hasConnections ? <ChatWorkspace /> : null}
    </section>
  );
}

function ChatWorkspace() {
  const init = useChatStore((state) => state.init);
  const newChat = useChatStore((state) => state.newChat);
  const connectionsLoaded = useConnectionsStore((state) => state.loaded);
  const loadConnections = useConnectionsStore((state) => state.load);
  const searchInput = useRef<HTMLInputElement>(null);
  const composer = useRef<ComposerHandle | null>(null);
  // Ctrl+B shows or hides the conversation list: a column in a wide window, a drawer over the
  // conversation in a narrow one (closed by default there, and again once a conversation is picked).
  const narrow = useMediaQuery(NARROW_WINDOW);
  const [columnHidden, setColumnHidden] = useState(false);
  // The drawer remembers which conversation was open when it opened: picking another one closes it.
  const activeId = useChatStore((state) => state.activeId) ?? null;
  const [drawerOpenedOn, setDrawerOpenedOn] = useState<string | null | undefined>(undefined);
  const drawerOpen = narrow && drawerOpenedOn === activeId;
  const setDrawerOpen = (open: boolean) => setDrawerOpenedOn(open ? activeId : undefined);
  const listMode: ConversationListMode = narrow ? (drawerOpen ? 'drawer' : 'hidden') : columnHidden ? 'hidden' : 'column';
  const toggleList = () => (narrow ? setDrawerOpen(!drawerOpen) : setColumnHidden((hidden) => !hidden));

  useEffect(() => {
    void init();
  }, [init]);
  useEffect(() => {
    // Health and model facts of the Primary come with the connections (and their live updates).
    if (!connectionsLoaded) void loadConnections();
  }, [connectionsLoaded, loadConnections]);

  const toggleListRef = useRef(toggleList);
  const listModeRef = useRef(listMode);
  const drawerOpenRef = useRef(drawerOpen);
  const closeDrawerRef = useRef(() => {});
  useEffect(() => {
    toggleListRef.current = toggleList;
    listModeRef.current = listMode;
    drawerOpenRef.current = drawerOpen;
    closeDrawerRef.current = () => setDrawerOpen(false);
  });

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      const command = event.ctrlKey || event.metaKey;
      const key = event.key.toLowerCase();
      if (command && !event.shiftKey && !event.altKey && key === 'b') {
        event.preventDefault();
        toggleListRef.current();
      } else if (command && !event.shiftKey && !event.altKey && key === 'k') {
        event.preventDefault();
        if (listModeRef.current === 'hidden') toggleListRef.current();
        // The list may only now be on screen: focus once it is.
        requestAnimationFrame(() => {
          searchInput.current?.focus();
          searchInput.current?.select();
        });
      } else if (command && !event.shiftKey && !event.altKey && key === 'n') {
        event.preventDefault();
        void newChat().then((id) => id && composer.current?.focus());
      } else if (event.key === 'Escape' && !event.defaultPrevented && drawerOpenRef.current) {
        closeDrawerRef.current();
      } else if (event.key === 'Escape' && !event.defaultPrevented) {
        // Esc stops the answer in progress, unless it is closing something else first.
        const state = useChatStore.getState();
        const target = event.target as HTMLElement | null;
        const typingElsewhere = target?.matches('input, textarea:not(.composer-input)') ?? false;
        if (!typingElsewhere && state.activeId && isStreaming(state, state.activeId)) void state.stop(state.activeId);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [newChat]);

  const startChat = (localOnly: boolean) => void newChat({ localOnly }).then((id) => id && composer.current?.focus());

  return (
    <>
      <ConversationList searchRef={searchInput} onNewChat={startChat} mode={listMode} />
      {listMode === 'drawer' ? <div className="drawer-backdrop" aria-hidden="true" onClick={() => setDrawerOpen(false)} /> : null}
      <ConversationPane
        composerRef={composer}
        listShown={listMode !== 'hidden'}
        onToggleList={toggleList}
        onNewChat={() => startChat(false)}
      />
      <UndoToast />
    </>
  );
}

function UndoToast() {
  const undo = useChatStore((state) => state.undo);
  const undoRemove = useChatStore((state) => state.undoRemove);
  const dismiss = useChatStore((state) => state.dismissUndo);
  if (!undo) return null;
  return (
    <div className="toast" role="status">
      <span>
        Deleted “<span className="toast-title">{undo.title}</span>”.
      </span>
      <button type="button" className="button-quiet toast-undo" onClick={() => void undoRemove()}>
        <Undo2 size={14} aria-hidden="true" />
        Undo
      </button>
      <button type="button" className="icon-button" aria-label="Dismiss" onClick={dismiss}>
        ×
      </button>
    </div>
  );
}

import { useVirtualizer } from '@tanstack/react-virtual';
import { ArrowDown } from 'lucide-react';
import { useCallback, useEffect, useLayoutEffect, useRef, useState, type UIEvent } from 'react';
import { useChatStore, type Thread } from '../../stores/chat-store';
import { MessageRow } from './MessageRow';

const noIds: number[] = [];
/** Older pages load when the view is this close to the top. */
const LOAD_OLDER_WITHIN_PX = 800;
const AT_END_THRESHOLD_PX = 32;

/**
 * True when the view shows the end of the list. Read from what the virtualizer already knows (its
 * offset, its viewport and the total it wrote), not from the DOM: reading scrollHeight while a row
 * grows forces a layout inside every resize and scroll event.
 */
function isAtEnd(virtualizer: { scrollRect: { height: number } | null; getTotalSize(): number }, offset: number | null): boolean {
  if (offset === null || virtualizer.scrollRect === null) return true;
  return virtualizer.getTotalSize() - offset - virtualizer.scrollRect.height <= AT_END_THRESHOLD_PX;
}

/**
 * The conversation as a virtualized list with measured row heights: only the rows on screen exist, so a
 * 10,000-message conversation opens as fast as a short one. Anchored to the end: it follows a streaming
 * answer while the view is at the bottom, stays put when the user scrolls up, and keeps the rows in view
 * still when older pages are put in above them.
 */
export function MessageList({ conversationId, thread, primaryName }: { conversationId: string; thread: Thread; primaryName: string }) {
  const ids = thread.ids.length > 0 ? thread.ids : noIds;
  const loadOlder = useChatStore((state) => state.loadOlder);
  const lastMessage = useChatStore((state) => {
    const last = ids.at(-1);
    return last === undefined ? undefined : state.messages[last];
  });
  const scrollElement = useRef<HTMLDivElement>(null);
  const [atEnd, setAtEnd] = useState(true);
  const wasAtEnd = useRef(true);
  // The list is not compiled by React Compiler; rows subscribe to the store themselves.
  // eslint-disable-next-line react-hooks/incompatible-library
  const virtualizer = useVirtualizer({
    count: ids.length,
    getScrollElement: () => scrollElement.current,
    estimateSize: () => 140,
    getItemKey: (index) => ids[index] ?? index,
    overscan: 6,
    paddingStart: 20,
    paddingEnd: 28,
    anchorTo: 'end',
    followOnAppend: true,
    scrollEndThreshold: AT_END_THRESHOLD_PX,
    onChange: (instance) => setAtEnd(isAtEnd(instance, instance.scrollOffset)),
    // Sizes and positions are written straight to the DOM; React renders the list again only when
    // the rows in view change. A streaming answer grows its row many times a second, and each
    // growth would otherwise re-render the whole list synchronously inside the resize or scroll.
    directDomUpdates: true,
  });

  // Open at the newest message.
  const opened = useRef(false);
  useLayoutEffect(() => {
    if (opened.current || ids.length === 0) return;
    opened.current = true;
    virtualizer.scrollToIndex(ids.length - 1, { align: 'end' });
  }, [ids.length, virtualizer]);

  // A question just sent goes to the bottom even when the user had scrolled up.
  const lastId = lastMessage?.id;
  const previousLastId = useRef(lastId);
  useEffect(() => {
    if (lastId === previousLastId.current) return;
    previousLastId.current = lastId;
    if (lastMessage?.role === 'assistant' && lastMessage.status === 'streaming') virtualizer.scrollToEnd();
  }, [lastId, lastMessage, virtualizer]);

  const maybeLoadOlder = useCallback(() => {
    const element = scrollElement.current;
    if (!element || !opened.current || !thread.hasOlder || thread.loadingOlder) return;
    if (element.scrollTop < LOAD_OLDER_WITHIN_PX) void loadOlder(conversationId);
  }, [conversationId, loadOlder, thread.hasOlder, thread.loadingOlder]);
  // A first page shorter than the window cannot be scrolled: fetch more until it can (or there is no more).
  useEffect(() => {
    maybeLoadOlder();
  }, [maybeLoadOlder, ids.length]);

  // The window changing size re-wraps every row; a view that was at the newest message stays there.
  useEffect(() => {
    const element = scrollElement.current;
    if (!element) return;
    let width = element.clientWidth;
    let height = element.clientHeight;
    const observer = new ResizeObserver(() => {
      if (element.clientWidth === width && element.clientHeight === height) return;
      width = element.clientWidth;
      height = element.clientHeight;
      if (wasAtEnd.current) virtualizer.scrollToEnd();
    });
    observer.observe(element);
    return () => observer.disconnect();
  }, [virtualizer]);

  const onScroll = (event: UIEvent<HTMLDivElement>) => {
    wasAtEnd.current = isAtEnd(virtualizer, event.currentTarget.scrollTop);
    setAtEnd(wasAtEnd.current);
    maybeLoadOlder();
  };

  return (
    <div className="message-scroller-wrap">
      <div ref={scrollElement} className="message-scroller" onScroll={onScroll} data-testid="message-list" tabIndex={-1}>
        <div className="message-sizer" ref={virtualizer.containerRef}>
          {thread.loadingOlder ? (
            <p className="older-status" role="status">
              Loading older messages…
            </p>
          ) : null}
          {virtualizer.getVirtualItems().map((item) => {
            const id = ids[item.index];
            if (id === undefined) return null;
            return (
              <div key={item.key} data-index={item.index} ref={virtualizer.measureElement} className="message-slot">
                <MessageRow id={id} conversationId={conversationId} primaryName={primaryName} />
              </div>
            );
          })}
        </div>
      </div>
      {!atEnd ? (
        <button type="button" className="jump-latest" onClick={() => virtualizer.scrollToEnd()}>
          <ArrowDown size={14} aria-hidden="true" />
          Latest
        </button>
      ) : null}
    </div>
  );
}

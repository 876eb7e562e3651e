import { useVirtualizer } from '@tanstack/react-virtual';
import { ArrowDown } from 'lucide-react';
import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import { useChatStore, type Thread } from '../../stores/chat-store';
import { MessageRow } from './MessageRow';

const noIds: number[] = [];
/** Older pages load when the view is this close to the top. */
const LOAD_OLDER_WITHIN_PX = 800;
const AT_END_THRESHOLD_PX = 32;

/**
 * Decides whether the view follows the end of the conversation. It follows while the view is at the
 * bottom and stops as soon as the user scrolls up; reaching the bottom again (or jumping there) resumes it.
 * Reads scroll positions only in scroll events (at the start of a frame) and after layout, when layout is
 * clean.
 */
class EndFollower {
  following = true;
  #lastTop = 0;
  /** The furthest the view could scroll as of the last layout that changed a size. */
  #maxTop = 0;

  /** After layout, when something changed size: what "the end" is now. */
  measured(element: HTMLElement): void {
    this.#maxTop = element.scrollHeight - element.clientHeight;
  }

  /** Called on each scroll event; returns whether the view now follows the end. */
  scrolled(element: HTMLElement): boolean {
    const top = element.scrollTop;
    const maxTop = element.scrollHeight - element.clientHeight;
    // At the end as it is now, or as it was when the user scrolled there (a window resized in the same
    // frame re-wraps the text before this event runs).
    const atEnd = maxTop - top <= AT_END_THRESHOLD_PX || this.#maxTop - top <= AT_END_THRESHOLD_PX;
    // Content growing below never moves the view up; only the user (or a shrinking window) does.
    if (atEnd) this.following = true;
    else if (top < this.#lastTop - 1) this.following = false;
    this.#lastTop = top;
    this.#maxTop = maxTop;
    return this.following;
  }

  /** Puts the view at the very end and follows from there. */
  toEnd(element: HTMLElement): void {
    this.following = true;
    element.scrollTop = element.scrollHeight;
    this.#lastTop = element.scrollTop;
    this.#maxTop = this.#lastTop;
  }
}

/**
 * The conversation: every message but the last as a virtualized list with measured row heights (only the
 * rows on screen exist, so a 10,000-message conversation opens as fast as a short one), and the last
 * message in normal flow below it. A streaming answer is always the last message, so its growth never goes
 * through the list's measuring and repositioning: the view follows it with one scroll write per frame in
 * which it grew, while the view is at the bottom, and stays put when the user scrolls up. Older pages put
 * in above keep the rows in view still.
 */
export function MessageList({ conversationId, thread, primaryName }: { conversationId: string; thread: Thread; primaryName: string }) {
  const ids = thread.ids.length > 0 ? thread.ids : noIds;
  const listIds = useMemo(() => ids.slice(0, -1), [ids]);
  const lastId = ids.at(-1);
  const loadOlder = useChatStore((state) => state.loadOlder);
  const lastIsNewAnswer = useChatStore((state) => {
    const last = lastId === undefined ? undefined : state.messages[lastId];
    return last?.role === 'assistant' && last.status === 'streaming';
  });
  const scrollElement = useRef<HTMLDivElement>(null);
  const sizer = useRef<HTMLDivElement>(null);
  const tail = useRef<HTMLDivElement>(null);
  const [follower] = useState(() => new EndFollower());
  const [atEnd, setAtEnd] = useState(true);
  // The list is not compiled by React Compiler; rows subscribe to the store themselves.
  // eslint-disable-next-line react-hooks/incompatible-library
  const virtualizer = useVirtualizer({
    count: listIds.length,
    getScrollElement: () => scrollElement.current,
    estimateSize: () => 140,
    getItemKey: (index) => listIds[index] ?? index,
    overscan: 6,
    paddingStart: 20,
    anchorTo: 'end',
    scrollEndThreshold: AT_END_THRESHOLD_PX,
    // Sizes and positions are written straight to the DOM; React renders the list again only when
    // the rows in view change.
    directDomUpdates: true,
  });

  const sizerRef = useCallback(
    (node: HTMLDivElement | null) => {
      sizer.current = node;
      virtualizer.containerRef(node);
    },
    [virtualizer],
  );

  // Open at the newest message.
  const opened = useRef(false);
  useLayoutEffect(() => {
    const element = scrollElement.current;
    if (opened.current || ids.length === 0 || !element) return;
    opened.current = true;
    follower.toEnd(element);
  }, [ids.length, follower]);

  // A question just sent goes to the bottom even when the user had scrolled up.
  const previousLastId = useRef(lastId);
  useLayoutEffect(() => {
    if (lastId === previousLastId.current) return;
    previousLastId.current = lastId;
    const element = scrollElement.current;
    if (!element) return;
    if (lastIsNewAnswer || follower.following) {
      follower.toEnd(element);
      setAtEnd(true);
    }
  }, [lastId, lastIsNewAnswer, follower]);

  // While following, whatever changes size (the last message growing as it streams, rows measured
  // above it, the window) keeps the view at the end: one scroll write, after layout, per frame.
  useEffect(() => {
    const element = scrollElement.current;
    if (!element) return;
    const observer = new ResizeObserver(() => {
      if (follower.following) follower.toEnd(element);
      else follower.measured(element);
    });
    for (const observed of [element, sizer.current, tail.current]) if (observed) observer.observe(observed);
    return () => observer.disconnect();
  }, [follower]);

  const maybeLoadOlder = useCallback(
    (scrollTop: number) => {
      if (!opened.current || !thread.hasOlder || thread.loadingOlder) return;
      if (scrollTop < LOAD_OLDER_WITHIN_PX) void loadOlder(conversationId);
    },
    [conversationId, loadOlder, thread.hasOlder, thread.loadingOlder],
  );
  // A first page shorter than the window cannot be scrolled: fetch more until it can (or there is no more).
  useEffect(() => {
    const element = scrollElement.current;
    if (element) maybeLoadOlder(element.scrollTop);
  }, [maybeLoadOlder, ids.length]);

  const onScroll = () => {
    const element = scrollElement.current;
    if (!element) return;
    const following = follower.scrolled(element);
    // Most scroll events are the view following the answer: no state changes, nothing renders.
    if (following !== atEnd) setAtEnd(following);
    maybeLoadOlder(element.scrollTop);
  };

  return (
    <div className="message-scroller-wrap">
      <div ref={scrollElement} className="message-scroller" onScroll={onScroll} data-testid="message-list" tabIndex={-1}>
        <div className="message-sizer" ref={sizerRef}>
          {thread.loadingOlder ? (
            <p className="older-status" role="status">
              Loading older messages…
            </p>
          ) : null}
          {virtualizer.getVirtualItems().map((item) => {
            const id = listIds[item.index];
            if (id === undefined) return null;
            return (
              <div key={item.key} data-index={item.index} ref={virtualizer.measureElement} className="message-slot">
                <MessageRow id={id} conversationId={conversationId} primaryName={primaryName} />
              </div>
            );
          })}
        </div>
        {lastId === undefined ? null : (
          <div ref={tail} className="message-tail">
            <MessageRow key={lastId} id={lastId} conversationId={conversationId} primaryName={primaryName} />
          </div>
        )}
      </div>
      {!atEnd ? (
        <button
          type="button"
          className="jump-latest"
          onClick={() => {
            if (scrollElement.current) follower.toEnd(scrollElement.current);
            setAtEnd(true);
          }}
        >
          <ArrowDown size={14} aria-hidden="true" />
          Latest
        </button>
      ) : null}
    </div>
  );
}

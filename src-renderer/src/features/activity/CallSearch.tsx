import { useEffect, useRef, useState } from 'react';

/** How long typing pauses before the search runs: short enough to feel live, long enough to skip each key. */
export const SEARCH_DEBOUNCE_MS = 250;

/**
 * The Activity search box: it filters as the user types, once typing pauses (the query runs in the
 * storage worker, off the window's thread); Enter searches at once.
 */
export function CallSearch(props: { value: string; onSearch(text: string): void }) {
  const [text, setText] = useState(props.value);
  const onSearch = useRef(props.onSearch);
  useEffect(() => {
    onSearch.current = props.onSearch;
  });
  const applied = useRef(props.value);
  useEffect(() => {
    if (text === applied.current) return;
    const timer = setTimeout(() => {
      applied.current = text;
      onSearch.current(text);
    }, SEARCH_DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [text]);
  return (
    <input
      type="search"
      aria-label="Search calls"
      placeholder="Search prompts, answers, errors, clients…"
      value={text}
      onChange={(event) => setText(event.target.value)}
      onKeyDown={(event) => {
        if (event.key !== 'Enter' || text === applied.current) return;
        applied.current = text;
        onSearch.current(text);
      }}
    />
  );
}

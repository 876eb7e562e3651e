// Searching conversations as the user types (debounced; a late answer to an older query is dropped).
import { api } from '../lib/api-client';
import type { GetChat, SearchSlice, SetChat } from './chat-store-types';

const SEARCH_DEBOUNCE_MS = 150;

export function createSearchSlice(set: SetChat, get: GetChat): SearchSlice {
  let searchTimer: ReturnType<typeof setTimeout> | null = null;
  let searchSequence = 0;
  return {
    search: { query: '', results: [], searching: false, error: null },
    searchFor(query) {
      set({ search: { ...get().search, query, searching: query.trim().length > 0, error: null } });
      if (searchTimer) clearTimeout(searchTimer);
      if (query.trim().length === 0) return set({ search: { query, results: [], searching: false, error: null } });
      const ticket = ++searchSequence;
      searchTimer = setTimeout(() => {
        void api.chat.search({ query: query.trim() }).then((result) => {
          if (ticket !== searchSequence) return;
          set({
            search: result.ok
              ? { query, results: result.value, searching: false, error: null }
              : { query, results: [], searching: false, error: `Search failed: ${result.error.message}` },
          });
        });
      }, SEARCH_DEBOUNCE_MS);
    },
  };
}

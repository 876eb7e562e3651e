import { useSyncExternalStore } from 'react';

/** True while the window matches a CSS media query (e.g. a narrow width), updated as it changes. */
export function useMediaQuery(query: string): boolean {
  return useSyncExternalStore(
    (changed) => {
      const list = window.matchMedia(query);
      list.addEventListener('change', changed);
      return () => list.removeEventListener('change', changed);
    },
    () => window.matchMedia(query).matches,
  );
}

/** Below this width the nav shows icons only and chat's conversation list becomes a drawer. */
export const NARROW_WINDOW = '(max-width: 960px)';

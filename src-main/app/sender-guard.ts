import type { SenderEvent } from '../ipc/handler-types';

/**
 * Only the app's own top-level document may call main: same file (or dev server origin) as the
 * renderer we loaded, never a sub-frame and never a page navigated elsewhere.
 */
export function createSenderGuard(rendererUrl: string): (event: SenderEvent) => boolean {
  const expected = new URL(rendererUrl);
  return (event) => {
    const frame = event.senderFrame;
    if (!frame || frame.parent) return false;
    let actual: URL;
    try {
      actual = new URL(frame.url);
    } catch {
      return false;
    }
    if (expected.protocol === 'file:') return actual.protocol === 'file:' && actual.pathname === expected.pathname;
    return actual.origin === expected.origin;
  };
}

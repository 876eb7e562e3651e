import type { SenderEvent } from '../ipc/handler-types';

/**
 * Only the app's own top-level document may call main: same scheme and host as the renderer we
 * loaded (app://switchboard, or the dev server), never a sub-frame and never a page navigated
 * elsewhere. Scheme and host are compared rather than `origin`, which is "null" for every
 * non-web scheme (data:, app: outside Electron) and would match them all.
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
    if (actual.protocol !== expected.protocol || actual.host !== expected.host || !expected.host) return false;
    return true;
  };
}

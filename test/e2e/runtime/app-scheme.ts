// Plain Chromium knows no app:// scheme, so the runtime gives each scheme the app handles with
// protocol.handle a loopback address of its own (app://switchboard/x <-> http://switchboard.app.localhost:<port>/x;
// Chromium resolves *.localhost to loopback and treats it as a secure context, as Electron treats a
// privileged scheme), answers every request to it from the app's own handler, and turns page
// addresses back into app:// ones wherever the app sees them (sender frames, will-navigate). Test-only.

/** The loopback address the browser loads for an address in a handled scheme (others unchanged). */
export function pageUrlFor(url: string, ports: ReadonlyMap<string, number>): string {
  const match = /^([a-z][a-z0-9+.-]*):\/\/([^/?#]*)(.*)$/i.exec(url);
  const port = match ? ports.get(match[1]!.toLowerCase()) : undefined;
  if (!match || port === undefined) return url;
  return `http://${match[2]}.${match[1]!.toLowerCase()}.localhost:${port}${match[3] || '/'}`;
}

/** The app:// address behind a page address, or null when it is an ordinary one. */
export function appUrlFor(pageUrl: string): string | null {
  const match = /^http:\/\/([^/?#.]+)\.([a-z][a-z0-9+-]*)\.localhost:\d+(.*)$/i.exec(pageUrl);
  if (!match) return null;
  return `${match[2]}://${match[1]}${match[3] || '/'}`;
}

// Which links from model output may open in the user's browser. One rule for the prompt in the
// window, the IPC handler and main's call to the OS, so none of them can drift.

/** The WHATWG URL parser every process has (the pure tsconfig has no DOM or Node types to name it). */
interface ParsedUrl {
  protocol: string;
  username: string;
  password: string;
}
const UrlParser = (globalThis as unknown as { URL: new (url: string) => ParsedUrl }).URL;

/** Looks like a web address (http or https): shown as a link; externalLinkProblem decides whether it opens. */
export function isWebAddress(url: string): boolean {
  return /^https?:\/\//i.test(url);
}

/** Why a link cannot be opened in the browser, or null when it can: http(s) only, no user name or password. */
export function externalLinkProblem(url: string): string | null {
  let parsed: ParsedUrl;
  try {
    parsed = new UrlParser(url);
  } catch {
    return 'it is not a full web address';
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') {
    return `only http:// and https:// links open in the browser, and this one is ${parsed.protocol}`;
  }
  if (parsed.username || parsed.password) return 'it carries a user name or password before the host, which can disguise where it goes';
  return null;
}

// Whether an address looks like it stays on the user's machine or network. Shared by main (routing's
// default) and the renderer (the connection dialog's pre-filled answer), so both guess the same way.
// No URL class here (the pure engine has no DOM or Node types), and only the host matters.
const hostPattern = /^[a-z][a-z0-9+.-]*:\/\/(?:[^@/?#]*@)?(\[[^\]]*\]|[^:/?#]*)/i;
const ipv4Pattern = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

/** The host part of a base URL, lowercased, IPv6 brackets removed; null when unparsable. */
export function hostOf(baseUrl: string): string | null {
  const match = hostPattern.exec(baseUrl.trim());
  const host = match?.[1];
  if (!host) return null;
  const lower = host.toLowerCase();
  return lower.startsWith('[') ? lower.slice(1, -1) : lower;
}

function isPrivateIpv4(host: string): boolean {
  const match = ipv4Pattern.exec(host);
  if (!match) return false;
  const octets = match.slice(1).map(Number);
  if (octets.some((octet) => octet > 255)) return false;
  const [first = -1, second = -1] = octets;
  return first === 127 || first === 10 || (first === 172 && second >= 16 && second <= 31) || (first === 192 && second === 168);
}

function isLocalIpv6(host: string): boolean {
  if (host === '::1' || host === '0:0:0:0:0:0:0:1') return true;
  // IPv4-mapped addresses carry a v4 host inside.
  if (host.startsWith('::ffff:')) return isPrivateIpv4(host.slice('::ffff:'.length));
  // fc00::/7 unique local addresses are the IPv6 private range.
  return /^f[cd][0-9a-f]{0,2}:/.test(host);
}

/** True for a host on this machine or the private network: work sent there does not leave it. */
export function isLocalHost(host: string): boolean {
  if (host === 'localhost' || host.endsWith('.localhost')) return true;
  if (host.endsWith('.local')) return true;
  if (host.includes(':')) return isLocalIpv6(host);
  return isPrivateIpv4(host);
}

/** The guess from an address alone: loopback or a private host (Ollama, LM Studio) looks local. */
export function looksLocal(baseUrl: string): boolean {
  const host = hostOf(baseUrl);
  return host !== null && isLocalHost(host);
}

/**
 * THE locality rule every local-only check asks: the user's word when they gave it (a tailnet GPU
 * box is local, a 127.0.0.1 proxy to a cloud is not), else the guess from the address.
 */
export function isLocalConnection(connection: { baseUrl: string; local?: boolean | undefined }): boolean {
  return connection.local ?? looksLocal(connection.baseUrl);
}

/**
 * True when an API key would cross a network unencrypted: plain http:// to a host that is not on
 * this machine or network (the user's word on locality wins over the address).
 */
export function sendsKeyInTheClear(baseUrl: string, local: boolean | null | undefined): boolean {
  if (!/^http:\/\//i.test(baseUrl.trim())) return false;
  return !(local ?? looksLocal(baseUrl));
}

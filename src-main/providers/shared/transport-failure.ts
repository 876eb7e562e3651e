export type TransportFailureKind = 'tls' | 'network' | 'timeout';

export interface TransportFailure {
  kind: TransportFailureKind;
  /** The system or undici code, e.g. ECONNREFUSED, CERT_HAS_EXPIRED. */
  code?: string;
}

const tlsCode =
  /^(CERT_|UNABLE_TO_(GET|VERIFY|DECRYPT)|DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN|ERR_TLS_|ERR_SSL_|HOSTNAME_MISMATCH|INVALID_(CA|PURPOSE)|ERR_OSSL)/;
const timeoutCode = /^(ETIMEDOUT|UND_ERR_CONNECT_TIMEOUT|UND_ERR_HEADERS_TIMEOUT|UND_ERR_BODY_TIMEOUT)$/;
const networkCode =
  /^(ECONNREFUSED|ECONNRESET|ECONNABORTED|ENOTFOUND|EAI_AGAIN|EAI_FAIL|EHOSTUNREACH|EHOSTDOWN|ENETUNREACH|ENETDOWN|EPIPE|EPROTO|UND_ERR_SOCKET|UND_ERR_CLOSED|UND_ERR_ABORTED|ERR_INVALID_URL|ENOENT)$/;

function causes(error: unknown): unknown[] {
  const chain: unknown[] = [];
  let current = error;
  for (let depth = 0; depth < 8 && current != null && !chain.includes(current); depth += 1) {
    chain.push(current);
    if (current instanceof AggregateError) chain.push(...current.errors);
    current = typeof current === 'object' ? (current as { cause?: unknown }).cause : undefined;
  }
  return chain;
}

function codeOf(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const code = (value as { code?: unknown }).code;
  return typeof code === 'string' ? code : undefined;
}

function messageOf(value: unknown): string {
  return value instanceof Error ? value.message : '';
}

/**
 * Reads Node and undici failures (anywhere in the cause chain) the way a user would describe them:
 * a certificate problem, a host that cannot be reached, or a connection that timed out.
 */
export function classifyTransportFailure(error: unknown): TransportFailure | undefined {
  const chain = causes(error);
  for (const item of chain) {
    const code = codeOf(item);
    if (code && tlsCode.test(code)) return { kind: 'tls', code };
  }
  for (const item of chain) {
    const code = codeOf(item);
    if (code && timeoutCode.test(code)) return { kind: 'timeout', code };
    if (code && networkCode.test(code)) return { kind: 'network', code };
  }
  for (const item of chain) {
    const message = messageOf(item);
    if (/certificate|self[- ]signed|\bssl\b|\btls\b/i.test(message)) return { kind: 'tls' };
  }
  for (const item of chain) {
    const message = messageOf(item);
    if (/fetch failed|terminated|other side closed|socket hang up|network|ECONN|ENOTFOUND/i.test(message)) {
      return { kind: 'network' };
    }
  }
  return undefined;
}

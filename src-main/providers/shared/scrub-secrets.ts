const redacted = '[redacted]';

/** Shapes of provider keys and credentials that must never reach a message, whoever's key they are. */
const secretPatterns: ReadonlyArray<{ pattern: RegExp; replace: (match: string, ...groups: string[]) => string }> = [
  // OpenAI, Anthropic (sk-ant-), OpenRouter (sk-or-), DeepSeek; Groq; xAI; Perplexity; Google
  { pattern: /\b(?:sk|pk|rk)-[A-Za-z0-9_-]{8,}/g, replace: () => redacted },
  { pattern: /\b(?:gsk_|xai-|pplx-)[A-Za-z0-9]{8,}/g, replace: () => redacted },
  { pattern: /\bAIza[0-9A-Za-z_-]{20,}/g, replace: () => redacted },
  { pattern: /\b(bearer|basic)\s+[^\s"',;]+/gi, replace: (_match, scheme = '') => `${scheme} ${redacted}` },
  {
    pattern: /\b((?:x-)?api[-_]?key|authorization|access[-_]?token|key)(["']?\s*[:=]\s*["']?)[^\s"',;&]+/gi,
    replace: (_match, name = '', separator = '') => `${name}${separator}${redacted}`,
  },
];

const minimumOverlap = 8;

/** True when the token shares a run of at least eight characters with the secret (keys echoed partly). */
function overlapsSecret(token: string, secret: string): boolean {
  const bare = token.replace(/\*+/g, '');
  for (const part of [bare, ...token.split(/\*+/)]) {
    if (part.length < minimumOverlap) continue;
    for (let start = 0; start + minimumOverlap <= part.length; start += 1) {
      if (secret.includes(part.slice(start, start + minimumOverlap))) return true;
    }
  }
  return false;
}

/** Removes the given secrets, anything sharing a long run with them, and anything shaped like a key. */
export function scrubSecrets(text: string, secrets: ReadonlyArray<string | null | undefined> = []): string {
  let result = text;
  for (const secret of secrets) {
    if (!secret || secret.length < 4) continue;
    result = result.split(secret).join(redacted);
    if (secret.length >= minimumOverlap) {
      result = result.replace(/[A-Za-z0-9_\-.*+/=]{8,}/g, (token) => (overlapsSecret(token, secret) ? redacted : token));
    }
  }
  for (const { pattern, replace } of secretPatterns) result = result.replace(pattern, replace);
  return result;
}

/** Short, single-line, secret-free detail from a provider's own message. */
export function providerDetail(
  text: string | null | undefined,
  secrets: ReadonlyArray<string | null | undefined>,
  maxLength = 200,
): string | undefined {
  if (!text) return undefined;
  const clean = scrubSecrets(text, secrets).replace(/\s+/g, ' ').trim();
  if (!clean) return undefined;
  return clean.length > maxLength ? `${clean.slice(0, maxLength - 1)}…` : clean;
}

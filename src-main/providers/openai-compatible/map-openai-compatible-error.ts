import type { ErrorCode } from '../../../src-shared/errors/app-error';
import { contentPolicyPattern } from '../shared/provider-error';
import type { OpenAIErrorClassifier, OpenAIErrorDetails } from '../openai/map-openai-error';

/**
 * Profile hooks over the OpenAI mapping (openai/map-openai-error.ts): only the shapes where a
 * compatible server says something different from OpenAI for the same failure.
 */

/** Gemini answers a wrong key with 400 INVALID_ARGUMENT "API key not valid". */
export const classifyGeminiError: OpenAIErrorClassifier = (details: OpenAIErrorDetails): ErrorCode | undefined => {
  if (details.status === 400 && /api key not valid|API_KEY_INVALID|api key expired/i.test(details.message)) {
    return 'auth_invalid';
  }
  if (
    details.status === 400 &&
    /FAILED_PRECONDITION|not available in your (country|region)|location is not supported/i.test(`${details.type} ${details.message}`)
  ) {
    return 'permission_denied';
  }
  return undefined;
};

/** OpenRouter refuses flagged input with 403 from its moderation layer. */
export const classifyOpenRouterError: OpenAIErrorClassifier = (details) => {
  if (details.status === 403 && (/moderation/i.test(details.message) || contentPolicyPattern.test(details.message))) {
    return 'content_filtered';
  }
  return undefined;
};

/** DeepSeek says "Insufficient Balance" (402); a 400 with the same words is the same thing. */
export const classifyDeepSeekError: OpenAIErrorClassifier = (details) => {
  if (/insufficient balance/i.test(details.message)) return 'quota_exhausted';
  return undefined;
};

/** Ollama says `model "x" not found, try pulling it first`, sometimes as a 400/500 from /v1. */
export const classifyOllamaError: OpenAIErrorClassifier = (details) => {
  if (details.operation === 'chat' && /model .*not found|try pulling it/i.test(details.message)) return 'model_not_found';
  // Ollama's cloud models answer an exhausted plan with 429 "you have reached your usage limit".
  if (/reached your (usage|weekly|hourly|daily) limit/i.test(details.message)) return 'quota_exhausted';
  return undefined;
};

/**
 * Some servers (Gemini's compatibility layer) send errors as a JSON array `[{"error": {...}}]`,
 * which the OpenAI SDK cannot read. Unwraps it so the status and message survive.
 */
export function withUnwrappedErrorBodies(fetchImplementation: typeof fetch): typeof fetch {
  return async (input, init) => {
    const response = await fetchImplementation(input, init);
    if (response.ok) return response;
    const text = await response.text();
    let body = text;
    try {
      const parsed: unknown = JSON.parse(text);
      if (Array.isArray(parsed) && typeof parsed[0] === 'object' && parsed[0] !== null) body = JSON.stringify(parsed[0]);
    } catch {
      // Not JSON: pass the text through untouched.
    }
    return new Response(body, { status: response.status, statusText: response.statusText, headers: response.headers });
  };
}

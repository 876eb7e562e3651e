// What a typed API key and address may be, in the user's words: the provider dialog, the first-run
// welcome and main's connection service all ask these, so a form never accepts what main refuses.
import { connectionSchema } from './connection';

/**
 * What is wrong with a typed API key, or null. `apiKey` undefined means nothing was typed, which is
 * wrong only when `mustHaveOne` (a new connection) and the provider needs a key.
 */
export function apiKeyProblem(apiKey: string | undefined, rule: { keyRequired: boolean; mustHaveOne: boolean }): string | null {
  if (apiKey === undefined) return rule.mustHaveOne && rule.keyRequired ? 'Paste the API key for this provider.' : null;
  if (apiKey.trim() === '') return rule.keyRequired ? 'The API key is empty. Paste the key from your provider’s console.' : null;
  if (/\s/.test(apiKey.trim())) return 'The API key contains spaces or line breaks. Paste it again, exactly as shown.';
  return null;
}

/** What is wrong with a typed base URL, or null: the same check main applies when it saves one. */
export function baseUrlProblem(baseUrl: string): string | null {
  const checked = connectionSchema.shape.baseUrl.safeParse(baseUrl);
  return checked.success ? null : (checked.error.issues[0]?.message ?? 'Enter a full URL starting with http:// or https://');
}

/** What is wrong with a connection's name, or null: empty, or the name of another connection (case aside). */
export function connectionNameProblem(name: string, otherNames: readonly string[]): string | null {
  const wanted = name.trim();
  if (!wanted) return 'Give the connection a name.';
  const taken = otherNames.some((other) => other.trim().toLowerCase() === wanted.toLowerCase());
  return taken ? `A connection named "${wanted}" already exists. Choose another name.` : null;
}

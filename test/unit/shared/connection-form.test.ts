// The one rule for typed keys, names and addresses, asked by the provider dialog, the first-run
// welcome and main's connection service alike.
import { describe, expect, it } from 'vitest';
import { apiKeyProblem, baseUrlProblem, connectionNameProblem } from '../../../src-shared/schemas/connection-form';

describe('apiKeyProblem', () => {
  const needs = { keyRequired: true, mustHaveOne: true };
  const editing = { keyRequired: true, mustHaveOne: false };
  const keyless = { keyRequired: false, mustHaveOne: true };
  it.each([
    ['nothing typed, new connection that needs a key', undefined, needs, 'Paste the API key for this provider.'],
    ['nothing typed while editing: the saved key stays', undefined, editing, null],
    ['nothing typed, a provider without keys', undefined, keyless, null],
    ['only spaces', '   ', needs, 'The API key is empty. Paste the key from your provider’s console.'],
    ['only spaces, a provider without keys (clears it)', '  ', keyless, null],
    ['a line break inside', 'sk-abc\ndef', needs, 'The API key contains spaces or line breaks. Paste it again, exactly as shown.'],
    ['a space inside', 'sk-abc def', editing, 'The API key contains spaces or line breaks. Paste it again, exactly as shown.'],
    ['spaces around are trimmed', '  sk-abc  ', needs, null],
    ['a plain key', 'sk-ant-api03-xyz', needs, null],
  ] as const)('%s', (_, key, rule, expected) => {
    expect(apiKeyProblem(key, rule)).toBe(expected);
  });
});

describe('connectionNameProblem', () => {
  it.each([
    ['empty', '  ', ['Work'], 'Give the connection a name.'],
    ['taken, case and spaces aside', ' work ', ['Work'], 'A connection named "work" already exists. Choose another name.'],
    ['free', 'Home', ['Work'], null],
  ] as const)('%s', (_, name, others, expected) => {
    expect(connectionNameProblem(name, others)).toBe(expected);
  });
});

describe('baseUrlProblem', () => {
  it.each([
    ['https', 'https://api.openai.com/v1', null],
    ['http to this machine', 'http://127.0.0.1:11434', null],
    ['another scheme', 'ftp://api.anthropic.com', 'The base URL must start with http:// or https://'],
    ['not an address', 'api.openai.com', 'Enter a full URL starting with http:// or https://'],
    ['empty', '', 'Enter a full URL starting with http:// or https://'],
  ] as const)('%s', (_, url, expected) => {
    expect(baseUrlProblem(url)).toBe(expected);
  });
});

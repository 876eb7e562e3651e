import { Ajv, type ValidateFunction } from 'ajv';
import { appError, type AppError } from '../../src-shared/errors/app-error';

const ajv = new Ajv({ allErrors: false, strict: false });
const compiled = new WeakMap<object, ValidateFunction>();

/** The JSON inside an answer: the whole text, or the first fenced ```json block. */
export function extractJson(text: string): unknown {
  const trimmed = text.trim();
  const fenced = /```(?:json)?\s*\n([\s\S]*?)```/i.exec(trimmed);
  return JSON.parse(fenced?.[1] ?? trimmed);
}

/**
 * Checks structured output against the agent's JSON Schema. An answer that is not JSON, or
 * not the promised shape, is a schema_mismatch: the call escalates to a stronger model.
 */
export function validateStructuredAnswer(
  text: string,
  schema: Record<string, unknown>,
  provider: string,
): { error?: AppError; value?: unknown } {
  let value: unknown;
  try {
    value = extractJson(text);
  } catch {
    return { error: appError('schema_mismatch', `${provider} did not answer with valid JSON.`, { provider }) };
  }
  let validate = compiled.get(schema);
  if (!validate) {
    try {
      validate = ajv.compile(schema);
    } catch (error) {
      return { error: appError('validation_failed', `The agent's output schema is not valid JSON Schema: ${(error as Error).message}`) };
    }
    compiled.set(schema, validate);
  }
  if (!validate(value)) {
    const first = validate.errors?.[0];
    const where = first?.instancePath || '(root)';
    return {
      error: appError(
        'schema_mismatch',
        `${provider}'s answer does not match the output schema: ${where} ${first?.message ?? 'is invalid'}.`,
        { provider },
      ),
    };
  }
  return { value };
}

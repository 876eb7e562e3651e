import { Ajv, type ValidateFunction } from 'ajv';
import { appError, type AppError } from '../../src-shared/errors/app-error';
import type { ResponseFormat } from '../../src-shared/schemas/chat-message';
import type { RouteCandidate } from '../../src-shared/schemas/route-plan';
import { linearRegExp } from './request-limits';

export type AnswerCheck = (text: string, candidate: RouteCandidate) => AppError | undefined;

// Clients send the same schema with every call; compiling it each time would cost more than the
// routing decision. A small cache keyed by the schema text is enough for a local gateway.
const cacheLimit = 64;

/**
 * Checks JSON answers (DESIGN.md point 7): an answer that does not parse, or does not match the
 * requested schema, fails as schema_mismatch, so the call escalates once to a stronger model.
 */
export function createAnswerChecker(): (format: ResponseFormat | undefined) => AnswerCheck | undefined {
  // Client patterns run in a linear-time engine: a catastrophic one cannot stall the main process.
  const ajv = new Ajv({ strict: false, allErrors: false, validateFormats: false, code: { regExp: linearRegExp } });
  const compiled = new Map<string, ValidateFunction | null>();

  const validatorFor = (schema: Record<string, unknown>): ValidateFunction | null => {
    const key = JSON.stringify(schema);
    let validate = compiled.get(key);
    if (validate === undefined) {
      try {
        validate = ajv.compile(schema);
      } catch {
        // A schema Ajv cannot compile is the provider's to enforce; parsing is still checked.
        validate = null;
      }
      if (compiled.size >= cacheLimit) compiled.delete(compiled.keys().next().value!);
      compiled.set(key, validate);
    }
    return validate;
  };

  return (format) => {
    if (!format || format.type === 'text') return undefined;
    const validate = format.type === 'json_schema' ? validatorFor(format.schema) : null;
    return (text, candidate) => {
      let value: unknown;
      try {
        value = JSON.parse(text);
      } catch {
        return appError('schema_mismatch', `${candidate.connectionName} (${candidate.model}) did not answer with valid JSON`, {
          provider: candidate.connectionId,
        });
      }
      if (validate && !validate(value)) {
        const first = validate.errors?.[0];
        const where = first?.instancePath ? ` at ${first.instancePath}` : '';
        return appError(
          'schema_mismatch',
          `${candidate.connectionName} (${candidate.model}) answered with JSON that does not match the schema${where}: ${first?.message ?? 'invalid'}`,
          { provider: candidate.connectionId },
        );
      }
      return undefined;
    };
  };
}

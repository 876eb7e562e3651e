import { Ajv, type ValidateFunction } from 'ajv';
import { RE2JS } from 're2js';
import { appError, type AppError } from '../../src-shared/errors/app-error';
import type { ResponseFormat } from '../../src-shared/schemas/chat-message';
import type { RouteCandidate } from '../../src-shared/schemas/route-plan';

/** Who gave the answer, for the words of a failure. */
export type AnswerSource = Pick<RouteCandidate, 'connectionId' | 'connectionName' | 'model'>;

export type AnswerCheck = (text: string, candidate: AnswerSource) => AppError | undefined;

export interface AnswerCheckOptions {
  /**
   * Also take the first fenced ```json block of the answer (an agent's output, read by the app).
   * Off for the gateway: its clients parse the text they get, so that text itself must be JSON.
   */
  fenced?: boolean;
}

// Clients send the same schema with every call; compiling it each time would cost more than the
// routing decision. A small cache keyed by the schema text is enough for a local gateway.
const cacheLimit = 64;

/** The `code.regExp` engine for Ajv: schema patterns matched in linear time, never backtracking. */
export const linearRegExp = Object.assign(
  (pattern: string) => {
    const compiled = RE2JS.compile(pattern);
    return { test: (text: string) => compiled.test(text) };
  },
  { code: 're2js' },
);

/** The JSON value of a structured answer; throws when it is not JSON. */
export function structuredAnswerValue(text: string, options: AnswerCheckOptions = {}): unknown {
  const trimmed = text.trim();
  const fenced = options.fenced ? /```(?:json)?\s*\n([\s\S]*?)```/i.exec(trimmed) : null;
  return JSON.parse(fenced?.[1] ?? trimmed);
}

/**
 * THE check of structured answers (DESIGN.md point 7), for tasks and the gateway, streamed or
 * not: an answer that does not parse, or does not match the requested schema, fails as
 * schema_mismatch naming who answered and what is wrong. The engine then escalates once to a
 * stronger model, or, when the answer already streamed to a caller that cannot take a second
 * one, ends the call with that error.
 */
export function createAnswerChecker(): (format: ResponseFormat | undefined, options?: AnswerCheckOptions) => AnswerCheck | undefined {
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

  return (format, options = {}) => {
    if (!format || format.type === 'text') return undefined;
    const validate = format.type === 'json_schema' ? validatorFor(format.schema) : null;
    return (text, candidate) => {
      let value: unknown;
      try {
        value = structuredAnswerValue(text, options);
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

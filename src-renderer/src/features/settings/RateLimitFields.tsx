import type { LearnedRateLimits, RateLimits } from '../../../../src-shared/schemas/rate-limits';
import { learnedLimitsWords } from '../../../../src-shared/schemas/rate-limits';
import { Field } from '../../components/ui/Field';

/** The three limits as typed; empty = no limit. */
export type RateLimitDraft = Record<keyof RateLimits, string>;

const fields: Array<{ key: keyof RateLimits; label: string; example: string; what: string }> = [
  { key: 'requestsPerMinute', label: 'Requests per minute', example: '60', what: 'requests per minute' },
  { key: 'tokensPerMinute', label: 'Tokens per minute', example: '90000', what: 'tokens per minute' },
  { key: 'concurrentCalls', label: 'Calls at once', example: '4', what: 'calls at once' },
];

export function rateLimitDraft(limits: RateLimits | undefined): RateLimitDraft {
  const shown = (value: number | null | undefined) => (value == null ? '' : String(value));
  return {
    requestsPerMinute: shown(limits?.requestsPerMinute),
    tokensPerMinute: shown(limits?.tokensPerMinute),
    concurrentCalls: shown(limits?.concurrentCalls),
  };
}

/** A typed limit as a number, null for none, or undefined when it is not a whole number of at least 1. */
function parseLimit(text: string): number | null | undefined {
  const trimmed = text.trim().replace(/[,_\s]/g, '');
  if (trimmed === '') return null;
  if (!/^\d+$/.test(trimmed)) return undefined;
  const value = Number(trimmed);
  return value >= 1 && value <= 100_000_000 ? value : undefined;
}

/** What is wrong with each typed limit, keyed like the server's field names (rateLimits.requestsPerMinute). */
export function rateLimitErrors(draft: RateLimitDraft): Record<string, string> {
  const errors: Record<string, string> = {};
  for (const field of fields) {
    if (parseLimit(draft[field.key]) === undefined) {
      errors[`rateLimits.${field.key}`] =
        `Enter the ${field.what} as a whole number of at least 1 (for example ${field.example}), or leave it empty for no limit.`;
    }
  }
  return errors;
}

/** The limits to save (only called once rateLimitErrors found nothing). */
export function rateLimitsFromDraft(draft: RateLimitDraft): RateLimits {
  return {
    requestsPerMinute: parseLimit(draft.requestsPerMinute) ?? null,
    tokensPerMinute: parseLimit(draft.tokensPerMinute) ?? null,
    concurrentCalls: parseLimit(draft.concurrentCalls) ?? null,
  };
}

/**
 * Requests and tokens per minute and calls at once, kept before the provider's: at one of them this
 * connection is skipped like one that asked to wait. Beside them, what the provider last reported.
 */
export function RateLimitFields(props: {
  draft: RateLimitDraft;
  errors: Record<string, string>;
  learned: LearnedRateLimits | null | undefined;
  /** Editing a saved connection (the provider may have reported its limits). */
  saved: boolean;
  onChange(draft: RateLimitDraft): void;
}) {
  const said = learnedLimitsWords(props.learned);
  return (
    <fieldset className="rate-limits">
      <legend>Rate limits</legend>
      <p className="field-hint">
        Kept before the provider’s own: at a limit, work goes to the next backend, or waits for a free slot when there is none. Empty: no
        limit.
      </p>
      <div className="rate-limit-row">
        {fields.map((field) => (
          <Field key={field.key} label={field.label} error={props.errors[`rateLimits.${field.key}`]}>
            <input
              type="text"
              inputMode="numeric"
              placeholder="No limit"
              value={props.draft[field.key]}
              onChange={(event) => props.onChange({ ...props.draft, [field.key]: event.target.value })}
            />
          </Field>
        ))}
      </div>
      {props.saved ? (
        <p className="field-hint rate-limit-learned" role="status">
          {said ?? 'The provider has not reported its limits yet; they show here after its next answer.'}
        </p>
      ) : null}
    </fieldset>
  );
}

// The provider dialog's form as typed, and what is wrong with it before anything is sent.
import type { ProviderKind } from '../../../../src-shared/schemas/connection';
import { apiKeyProblem, baseUrlProblem, connectionNameProblem } from '../../../../src-shared/schemas/connection-form';
import { rateLimitErrors, type RateLimitDraft } from './RateLimitFields';

export type Errors = Record<string, string>;

export interface Draft {
  kind: ProviderKind | '';
  name: string;
  apiKey: string;
  baseUrl: string;
  defaultModel: string;
  azureApiVersion: string;
  deployments: Array<{ alias: string; deployment: string }>;
  /** Monthly cap in USD as typed; empty = no cap. */
  monthlyBudget: string;
  /** "Stays on my machine or network"; null follows the guess from the address. */
  local: boolean | null;
  rateLimits: RateLimitDraft;
}

/** The typed cap as dollars, null for none, or undefined when it is not a number. */
export function parseCap(text: string): number | null | undefined {
  const trimmed = text.trim().replace(/^\$/, '');
  if (trimmed === '') return null;
  const value = Number(trimmed);
  return Number.isFinite(value) && value >= 0 ? value : undefined;
}

/** What the form shows under each field before anything is sent; main checks the same again. */
export function validate(draft: Draft, keyRequired: boolean, editing: boolean, otherNames: string[]): Errors {
  const errors: Errors = {};
  const problems: Array<[string, string | null]> = [
    ['kind', draft.kind ? null : 'Choose a provider type from the list.'],
    ['name', connectionNameProblem(draft.name, otherNames)],
    ['apiKey', apiKeyProblem(draft.apiKey === '' ? undefined : draft.apiKey, { keyRequired, mustHaveOne: !editing })],
    ['baseUrl', baseUrlProblem(draft.baseUrl)],
    ['defaultModel', draft.defaultModel.trim() ? null : 'Choose or type a default model.'],
    [
      'monthlyBudgetUsd',
      parseCap(draft.monthlyBudget) === undefined
        ? 'Enter the monthly cap in US dollars (for example 50), or leave it empty for no cap.'
        : null,
    ],
  ];
  for (const [field, problem] of problems) if (problem) errors[field] = problem;
  Object.assign(errors, rateLimitErrors(draft.rateLimits));
  if (draft.kind === 'azure-openai') {
    if (!draft.azureApiVersion.trim()) errors['azure.apiVersion'] = 'Enter the API version, e.g. 2024-10-21.';
    if (!draft.deployments.some((row) => row.alias.trim() && row.deployment.trim()))
      errors['azure.deployments'] = 'Add at least one deployment.';
  }
  return errors;
}

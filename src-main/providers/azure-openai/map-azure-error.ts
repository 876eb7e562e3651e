import type { OpenAIErrorClassifier } from '../openai/map-openai-error';

/**
 * Azure speaks OpenAI's error format with its own codes; everything else falls through to
 * openai/map-openai-error.ts.
 */
export const classifyAzureError: OpenAIErrorClassifier = (details) => {
  if (details.code === 'DeploymentNotFound') return details.operation === 'chat' ? 'model_not_found' : 'not_found';
  if (details.code === 'content_filter' || details.code === 'ResponsibleAIPolicyViolation') return 'content_filtered';
  if (details.status === 401 && /invalid subscription key|wrong API endpoint/i.test(details.message)) return 'auth_invalid';
  return undefined;
};

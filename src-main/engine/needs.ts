import { messageHasImage, type ChatMessage, type ResponseFormat } from '../../src-shared/schemas/chat-message';
import type { Agent } from '../../src-shared/schemas/agent';
import type { Capability } from '../../src-shared/schemas/connection';

/** What a call asks of a model, as far as capabilities go. */
export interface NeedsSource {
  messages: readonly ChatMessage[];
  responseFormat?: ResponseFormat;
  /** The call offers tools to the model. */
  usesTools?: boolean;
  /** Capabilities the agent requires on top (Agent.requiredCapabilities). */
  required?: readonly Capability[];
}

/** Capabilities a call needs: an image needs vision, a JSON answer needs structured output. */
export function requiredCapabilities(source: NeedsSource): Capability[] {
  const needs = new Set<Capability>(source.required ?? []);
  if (source.messages.some(messageHasImage)) needs.add('vision');
  if (source.responseFormat && source.responseFormat.type !== 'text') needs.add('structuredOutput');
  if (source.usesTools) needs.add('tools');
  return [...needs];
}

/** What an agent adds to every request made on its behalf. */
export type AgentNeeds = Pick<Agent, 'requiredCapabilities' | 'localOnly'>;

/**
 * A request's needs with its agent's merged in, done once here (the routing decision's filter
 * context asks it): the agent's required capabilities, and its local-only promise.
 */
export function withAgentNeeds(
  request: { needs: readonly Capability[]; localOnly: boolean },
  agent: AgentNeeds | undefined,
): { needs: readonly Capability[]; localOnly: boolean } {
  if (!agent) return request;
  const needs =
    agent.requiredCapabilities.length > 0 ? [...new Set<Capability>([...request.needs, ...agent.requiredCapabilities])] : request.needs;
  return { needs, localOnly: request.localOnly || agent.localOnly };
}

import type { Connection } from '../../src-shared/schemas/connection';
import { formatCount, isLocalIn, missingCapability, promptTooLarge, resolveTarget, type FilterContext } from './candidate-filter';
import { needsWords } from './route-explanation';

/**
 * Why no connection could ever take this work as things are set up, whatever their health,
 * budgets or on/off state (DESIGN.md point 4: such work fails at once with this reason instead of
 * pausing; pausing is for "nothing healthy right now"). Null when some connection could, and
 * when there are no connections at all (the work waits for the first one to be added).
 */
export function neverRunnableReason(context: FilterContext, connections: readonly Connection[]): string | null {
  if (connections.length === 0) return null;
  let anyLocal = false;
  let anyCapable = false;
  let largestInput = 0;
  for (const connection of connections) {
    if (context.localOnly && !isLocalIn(context, connection)) continue;
    anyLocal = true;
    const models = new Set([connection.defaultModel, ...connection.models.map((facts) => facts.id)]);
    for (const model of models) {
      const target = resolveTarget(context, connection.id, model);
      if (missingCapability(context, target.facts) !== undefined) continue;
      anyCapable = true;
      if (!promptTooLarge(context, target)) return null;
      largestInput = Math.max(largestInput, target.maxInput ?? 0);
    }
  }
  if (!anyLocal) {
    return 'This work is local-only and there is no local connection: add one (such as Ollama), or let this agent use cloud providers';
  }
  if (!anyCapable) {
    const where = context.localOnly ? 'local connection' : 'connection';
    return `No ${where} has a model that can handle ${needsWords(context.needs)}: add or enable a model that can, or remove what needs it`;
  }
  return `The prompt (about ${formatCount(context.estimatedInputTokens)} tokens) is larger than every model allows (the largest takes ${formatCount(largestInput)}): shorten it or add a model with a larger window`;
}

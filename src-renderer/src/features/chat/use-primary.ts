import { useMemo } from 'react';
import type { ConnectionHealth } from '../../../../src-shared/schemas/health';
import { useAppStore } from '../../stores/app-store';
import { useConnectionsStore } from '../../stores/connections-store';
import { claudeTierName } from './format';

/** What chat needs to know about the Primary: who answers, with what, and whether it is healthy. */
export interface PrimaryInfo {
  id: string;
  name: string;
  /** The model as a person reads it: an id, or the Claude choice in words. */
  modelLabel: string;
  health: ConnectionHealth | null;
  /** From the default model's facts; null when unknown. */
  vision: boolean | null;
  defaultModel: string;
}

export function usePrimary(): PrimaryInfo | null {
  const settings = useAppStore((state) => state.settings);
  const views = useConnectionsStore((state) => state.connections);
  return useMemo(() => {
    if (!settings?.primaryConnectionId) return null;
    const view = views.find((item) => item.connection.id === settings.primaryConnectionId);
    const connection = view?.connection ?? settings.connections.find((item) => item.id === settings.primaryConnectionId);
    if (!connection) return null;
    let modelLabel = connection.defaultModel;
    if (connection.kind === 'anthropic') {
      const claude = settings.chat.claude;
      if (claude.mode === 'force' && claude.forcedTier) modelLabel = claude.models[claude.forcedTier];
      else {
        const tiers = [claude.haikuForShortReplies ? 'haiku' : null, 'sonnet', claude.opusOnlyForTasks ? null : 'opus'].filter(
          (tier): tier is 'haiku' | 'sonnet' | 'opus' => tier !== null,
        );
        modelLabel = `${tiers.map(claudeTierName).join(tiers.length > 2 ? ', ' : ' or ')}, picked per message`;
      }
    }
    const facts = connection.models.find((model) => model.id === connection.defaultModel);
    return {
      id: connection.id,
      name: connection.name,
      modelLabel,
      health: view?.health ?? null,
      vision: facts?.capabilities.vision ?? null,
      defaultModel: connection.defaultModel,
    };
  }, [settings, views]);
}

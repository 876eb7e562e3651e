import { useMemo } from 'react';
import { conversationAnswerer } from '../../../../src-shared/schemas/conversation-answerer';
import { isLocalConnection } from '../../../../src-shared/schemas/locality';
import type { ConnectionHealth } from '../../../../src-shared/schemas/health';
import type { Settings } from '../../../../src-shared/schemas/settings';
import type { ConversationPin } from '../../../../src-shared/schemas/stored-conversation';
import { useAppStore } from '../../stores/app-store';
import { useConnectionsStore } from '../../stores/connections-store';
import { claudeTierName } from './format';

/** What chat needs to know about who answers a conversation: who, with what, and whether it is healthy. */
export interface PrimaryInfo {
  id: string;
  name: string;
  /** The model as a person reads it: an id, or the Claude choice in words. */
  modelLabel: string;
  health: ConnectionHealth | null;
  /** From the answering model's facts; null when unknown. */
  vision: boolean | null;
  /** The model that answers (the pinned one, or the Primary's default). */
  defaultModel: string;
  /** Pinned to this conversation in the model picker, or the Primary. */
  source: 'pinned' | 'primary';
  /** Stays on this machine or network (local-only conversations need it). */
  isLocal: boolean;
  /** The conversation's pinned connection was removed, so the Primary answers. */
  pinGone: boolean;
  /** What the chat header says: "Primary: Claude automatic", "Primary: OpenAI · gpt-4o-mini", "Groq · llama-3.3-70b". */
  headerLabel: string;
}

/** The Claude selection in words: short for the header, long for its tooltip. */
function claudeWords(claude: Settings['chat']['claude']): { short: string; long: string } {
  if (claude.mode === 'force' && claude.forcedTier) {
    const model = claude.models[claude.forcedTier];
    return { short: model, long: model };
  }
  const tiers = [claude.haikuForShortReplies ? 'haiku' : null, 'sonnet', claude.opusOnlyForTasks ? null : 'opus'].filter(
    (tier): tier is 'haiku' | 'sonnet' | 'opus' => tier !== null,
  );
  return { short: 'automatic', long: `${tiers.map(claudeTierName).join(tiers.length > 2 ? ', ' : ' or ')}, picked per message` };
}

/**
 * Who answers this conversation, as the chat service decides it (conversationAnswerer, the same rule
 * main routes by); with no conversation, who answers a new one (the Primary).
 */
export function useAnswerer(conversation: { pinned: ConversationPin | null } | null | undefined): PrimaryInfo | null {
  const settings = useAppStore((state) => state.settings);
  const views = useConnectionsStore((state) => state.connections);
  const pinned = conversation?.pinned ?? null;
  return useMemo(() => {
    if (!settings) return null;
    const answerer = conversationAnswerer(settings, { pinned });
    if (answerer.source === 'none') return null;
    const view = views.find((item) => item.connection.id === answerer.connection.id);
    const connection = view?.connection ?? settings.connections.find((item) => item.id === answerer.connection.id);
    if (!connection) return null;
    const facts = connection.models.find((model) => model.id === answerer.model);
    let modelLabel = answerer.model;
    let headerLabel = `${connection.name} · ${answerer.model}`;
    if (answerer.source === 'primary') {
      if (answerer.claudeSelection) {
        const words = claudeWords(settings.chat.claude);
        modelLabel = words.long;
        headerLabel =
          words.short === 'automatic' ? `Primary: ${connection.name} automatic` : `Primary: ${connection.name} · ${words.short}`;
      } else headerLabel = `Primary: ${headerLabel}`;
    }
    return {
      id: connection.id,
      name: connection.name,
      modelLabel,
      health: view?.health ?? null,
      vision: facts?.capabilities.vision ?? null,
      defaultModel: answerer.model,
      source: answerer.source,
      isLocal: view?.isLocal ?? isLocalConnection(connection),
      pinGone: answerer.source === 'primary' && answerer.pinGone,
      headerLabel,
    };
  }, [settings, views, pinned]);
}

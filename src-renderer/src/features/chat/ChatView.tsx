import { MessagesSquare, PlugZap } from 'lucide-react';
import { EmptyState } from '../../components/ui/EmptyState';
import { useAppStore } from '../../stores/app-store';

export function ChatView() {
  const hasConnections = useAppStore((state) => (state.settings?.connections.length ?? 0) > 0);
  const show = useAppStore((state) => state.show);
  return (
    <section className="view" aria-labelledby="chat-title">
      <h1 id="chat-title" className="visually-hidden">
        Chat
      </h1>
      {hasConnections ? (
        <EmptyState icon={MessagesSquare} title="No conversations yet">
          <p>Chat always answers from your Primary provider. Start a new chat to begin.</p>
        </EmptyState>
      ) : (
        <EmptyState
          icon={PlugZap}
          title="Add a provider to start chatting"
          action={
            <button type="button" className="button-primary" onClick={() => show('settings')}>
              Add a provider
            </button>
          }
        >
          <p>
            Switchboard connects to the AI providers you already use: Anthropic, OpenAI, Gemini, DeepSeek, Azure
            OpenAI, a local Ollama, or any OpenAI-compatible endpoint. Add one with its API key and it becomes your
            Primary: chat always answers from it.
          </p>
        </EmptyState>
      )}
    </section>
  );
}

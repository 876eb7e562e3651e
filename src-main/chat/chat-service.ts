import { appError, AppErrorException, toAppError } from '../../src-shared/errors/app-error';
import { type ChatMessage, type ContentPart } from '../../src-shared/schemas/chat-message';
import type { ChatDeltaEvent, ChatMessageView, ChatSendResult, RetryOption } from '../../src-shared/schemas/chat-ipc';
import type { RoutePlan, RouteRequest } from '../../src-shared/schemas/route-plan';
import { conversationAnswerer } from '../../src-shared/schemas/conversation-answerer';
import type { ConversationPin, ConversationSummary, StoredMessage } from '../../src-shared/schemas/stored-conversation';
import type { CallRunner } from '../calls/call-runner';
import { chooseChatClaudeModel } from '../engine/complexity';
import { estimateInputTokens } from '../engine/limits';
import { isLocalConnection } from '../engine/local-connection';
import { requiredCapabilities } from '../engine/needs';
import type { TokenCounter } from '../engine/ports';
import type { RouterService } from '../routing/router-service';
import type { SettingsService } from '../settings/settings-service';
import type { ConversationsRepository } from '../storage/conversations-repository';
import type { MessagesRepository } from '../storage/messages-repository';
import { retryOption, streamAnswer } from './chat-answer';
import { generateTitle, quickTitle } from './chat-title';

export interface ChatServiceDependencies {
  conversations: ConversationsRepository;
  messages: MessagesRepository;
  runner: CallRunner;
  router: RouterService;
  settings: SettingsService;
  now(): number;
  setTimer(callback: () => void, ms: number): { cancel(): void };
  emitDelta(event: ChatDeltaEvent): void;
  emitMessage(view: ChatMessageView): void;
  emitConversations(list: ConversationSummary[]): void;
  /** Exact token counts where a tokenizer exists for the model family. */
  tokenCounter?: TokenCounter;
}

/** How many earlier messages go with each question. */
const HISTORY_LIMIT = 200;
const DEFAULT_TITLE = 'New conversation';

function toChatMessage(message: StoredMessage): ChatMessage {
  return { role: message.role, content: message.parts && message.parts.length > 0 ? message.parts : message.content };
}

/** Sent after a partial answer for Continue; never stored or shown. */
export const CONTINUE_INSTRUCTION =
  'Your previous answer was cut off. Continue it from exactly where it stopped, without repeating anything or adding a preamble.';

export function createChatService(deps: ChatServiceDependencies) {
  const running = new Map<number, AbortController>();

  const publishConversations = async () => deps.emitConversations(await deps.conversations.list());

  const conversation = async (id: string) => {
    const found = await deps.conversations.get(id);
    if (!found || found.deletedAt !== null) throw new AppErrorException(appError('not_found', 'This conversation no longer exists.'));
    return found;
  };

  const history = async (conversationId: string): Promise<ChatMessage[]> => {
    const page = await deps.messages.listPage({ conversationId, limit: HISTORY_LIMIT });
    // Failed answers and empty placeholders are not part of what the model should see.
    return page.messages
      .filter(
        (message) =>
          message.role === 'user' || (message.status !== 'error' && message.status !== 'streaming' && message.content.length > 0),
      )
      .map(toChatMessage);
  };

  /**
   * DESIGN.md point 1: chat answers from the model pinned to the conversation, else from the Primary
   * (with the Claude model selection when it is Anthropic). Who that is comes from conversationAnswerer,
   * the rule the chat header shows too; routing rules never change it.
   */
  const chatRoute = (summary: ConversationSummary, messages: ChatMessage[]) => {
    const settings = deps.settings.get();
    const answerer = conversationAnswerer(settings, summary);
    if (answerer.source === 'none') throw new AppErrorException(appError('no_candidates', answerer.reason));
    const choice =
      answerer.source === 'primary' && answerer.claudeSelection
        ? chooseChatClaudeModel({ primaryKind: answerer.connection.kind, selection: settings.chat.claude, messages })
        : null;
    const claude = choice ? { tier: choice.tier, reason: choice.reason } : undefined;
    const model = answerer.source === 'pinned' ? answerer.model : (choice?.model ?? answerer.model);
    const route: RouteRequest = {
      kind: 'chat',
      needs: requiredCapabilities({ messages }),
      estimatedInputTokens: estimateInputTokens({ messages, model }, deps.tokenCounter),
      localOnly: summary.localOnly,
      ...(answerer.source === 'pinned' ? { override: { connectionId: answerer.connection.id, model } } : {}),
      ...(choice ? { primaryModel: { model: choice.model, reason: choice.reason } } : {}),
    };
    return { route, claude, answerer };
  };

  /** The conversation's answerer as a route with no question yet: for "Retry on X" and the title. */
  const baseRoute = (summary: ConversationSummary): RouteRequest => {
    const answerer = conversationAnswerer(deps.settings.get(), summary);
    return {
      kind: 'chat',
      needs: [],
      estimatedInputTokens: 0,
      localOnly: summary.localOnly,
      ...(answerer.source === 'pinned' ? { override: { connectionId: answerer.connection.id, model: answerer.model } } : {}),
    };
  };

  /** How one answer is to be sent: on a backend the user picked, or on Primary over its cap this once. */
  type AnswerChoice = { retryOn: RetryOption } | { overCapOnce: true };

  const planFor = async (route: RouteRequest, forced?: RetryOption): Promise<RoutePlan> => {
    if (forced) {
      const connection = deps.settings.get().connections.find((item) => item.id === forced.connectionId);
      if (!connection) throw new AppErrorException(appError('not_found', 'That connection was disconnected.'));
      // The user picked this backend for this one answer: an explicit override, still filtered.
      return deps.router.plan({ ...route, kind: 'task', override: { connectionId: connection.id, model: connection.defaultModel } });
    }
    return deps.router.plan(route);
  };

  /** A failure before anything was sent still shows as the answer, with its words and a retry. */
  const failedAnswer = async (summary: ConversationSummary, error: unknown): Promise<StoredMessage> => {
    const assistant = await deps.messages.startAssistantMessage(summary.id);
    const finished = await deps.messages.finishAssistantMessage(assistant.id, {
      status: 'error',
      error: toAppError(error),
      provenance: null,
    });
    deps.emitMessage({ message: finished, retryOn: await retryOption(deps.router, baseRoute(summary)).catch(() => null) });
    return finished;
  };

  const answer = async (summary: ConversationSummary, choice?: AnswerChoice, continuing?: StoredMessage): Promise<StoredMessage> => {
    const messages = await history(summary.id);
    // Continue: the partial answer (streaming again, so not in the history) goes last, then the ask to go on.
    if (continuing) messages.push(toChatMessage(continuing), { role: 'user', content: CONTINUE_INSTRUCTION });
    let route: RouteRequest;
    let claude: { tier: 'haiku' | 'sonnet' | 'opus'; reason: string } | undefined;
    let plan: RoutePlan;
    try {
      ({ route, claude } = chatRoute(summary, messages));
      // "Answer anyway this once" lifts the monthly cap for this one answer only, never for the next.
      if (choice && 'overCapOnce' in choice) route = { ...route, overCapOnce: true };
      plan = await planFor(route, choice && 'retryOn' in choice ? choice.retryOn : undefined);
    } catch (error) {
      if (continuing) {
        // Nothing was sent: the partial answer stays as it was, saying why it could not go on.
        const kept = await deps.messages.finishAssistantMessage(continuing.id, {
          status: 'interrupted',
          provenance: continuing.provenance,
          error: toAppError(error),
        });
        deps.emitMessage({ message: kept, retryOn: null });
        return kept;
      }
      return failedAnswer(summary, error);
    }
    const assistant = continuing ?? (await deps.messages.startAssistantMessage(summary.id));
    const controller = new AbortController();
    running.set(assistant.id, controller);
    void streamAnswer(
      {
        conversationId: summary.id,
        assistant,
        history: messages,
        route,
        plan,
        claude,
        signal: controller.signal,
        autoFallback: deps.settings.get().chat.autoFallback,
        ...(continuing ? { continuing: continuing.content } : {}),
      },
      {
        messages: deps.messages,
        runner: deps.runner,
        router: deps.router,
        settings: deps.settings,
        now: deps.now,
        setTimer: deps.setTimer,
        onDelta: (messageId, text) => deps.emitDelta({ conversationId: summary.id, messageId, text }),
        onLoading: (messageId, loading) => deps.emitDelta({ conversationId: summary.id, messageId, text: '', loading }),
        onFinished: (message, retryOn) => {
          running.delete(message.id);
          deps.emitMessage({ message, retryOn });
          void publishConversations();
          if (message.status !== 'error') void maybeTitle(summary.id);
        },
      },
    ).catch((error: unknown) => {
      running.delete(assistant.id);
      console.error('[chat] answer failed', error);
    });
    return assistant;
  };

  /** Names a new conversation from its first question, then asks whoever answers it for a better title. */
  const maybeTitle = async (conversationId: string) => {
    const summary = await deps.conversations.get(conversationId);
    if (!summary || summary.title !== DEFAULT_TITLE) return;
    const page = await deps.messages.listPage({ conversationId, limit: 4 });
    const question = page.messages.find((message) => message.role === 'user');
    if (!question) return;
    await deps.conversations.rename(conversationId, quickTitle(question.content));
    await publishConversations();
    const answerer = conversationAnswerer(deps.settings.get(), summary);
    // A local-only conversation is never titled by a cloud provider.
    if (answerer.source === 'none' || (summary.localOnly && !isLocalConnection(answerer.connection))) return;
    const title = await generateTitle(deps.runner, question.content, baseRoute(summary), conversationId);
    if (title) {
      await deps.conversations.rename(conversationId, title);
      await publishConversations();
    }
  };

  const precedingUserMessage = async (conversationId: string, assistantId: number) => {
    const target = await deps.messages.get(assistantId);
    if (!target || target.conversationId !== conversationId || target.role !== 'assistant') {
      throw new AppErrorException(appError('not_found', 'That answer no longer exists.'));
    }
    const before = await deps.messages.listPage({ conversationId, beforeSequence: target.sequence, limit: 1 });
    const user = before.messages[0];
    if (!user || user.role !== 'user') throw new AppErrorException(appError('not_found', 'The question for that answer no longer exists.'));
    return user;
  };

  /** Answers again from the question before `assistantId`, dropping that answer and what followed. */
  const reanswer = async (conversationId: string, assistantId: number, choice?: AnswerChoice): Promise<ChatSendResult> => {
    const summary = await conversation(conversationId);
    const user = await precedingUserMessage(conversationId, assistantId);
    running.get(assistantId)?.abort();
    const { message } = await deps.messages.editUserMessage(user.id, user.parts && user.parts.length > 0 ? user.parts : user.content);
    const assistantMessage = await answer(summary, choice);
    return { userMessage: message, assistantMessage };
  };

  return {
    list: () => deps.conversations.list(),
    search: (query: string) => deps.conversations.search(query),
    async create(localOnly = false) {
      const created = await deps.conversations.create({ title: DEFAULT_TITLE, localOnly });
      await publishConversations();
      return created;
    },
    /**
     * Pins a connection and model to one conversation (null: back to the Primary). Only this
     * conversation changes: the Primary, rules, tasks and the gateway stay as they are.
     */
    async pin(id: string, pinned: ConversationPin | null): Promise<ConversationSummary> {
      const summary = await conversation(id);
      if (pinned) {
        const connection = deps.settings.get().connections.find((item) => item.id === pinned.connectionId);
        if (!connection) throw new AppErrorException(appError('not_found', 'That connection was disconnected. Pick another model.'));
        if (summary.localOnly && !isLocalConnection(connection)) {
          throw new AppErrorException(
            appError('validation_failed', `${connection.name} is not local, and this conversation is local only. Pick a local model.`),
          );
        }
      }
      await deps.conversations.setPinned(id, pinned);
      await publishConversations();
      return conversation(id);
    },
    async rename(id: string, title: string) {
      await deps.conversations.rename(id, title);
      await publishConversations();
    },
    async remove(id: string) {
      await deps.conversations.softDelete(id);
      await publishConversations();
    },
    async restore(id: string) {
      await deps.conversations.restore(id);
      await publishConversations();
    },
    async exportMarkdown(id: string) {
      const summary = await conversation(id);
      const safe =
        summary.title
          .replace(/[^\w\- ]+/g, '')
          .trim()
          .replace(/\s+/g, '-')
          .slice(0, 60) || 'conversation';
      return { fileName: `${safe}.md`, markdown: await deps.conversations.exportMarkdown(id) };
    },
    /** A page of messages; failed answers come with the backend they can be retried on. */
    async messages(query: Parameters<MessagesRepository['listPage']>[0]) {
      const page = await deps.messages.listPage(query);
      const retryOn: Record<number, RetryOption | null> = {};
      const failed = page.messages.filter(
        (message) =>
          message.role === 'assistant' &&
          (message.status === 'error' || (message.status === 'interrupted' && message.error?.code !== 'aborted')),
      );
      if (failed.length > 0) {
        const summary = await deps.conversations.get(query.conversationId);
        const route: RouteRequest = summary ? baseRoute(summary) : { kind: 'chat', needs: [], estimatedInputTokens: 0, localOnly: false };
        for (const message of failed) retryOn[message.id] = await retryOption(deps.router, route, message.provenance?.connectionId);
      }
      return { ...page, retryOn };
    },

    /** The user's message is on disk before anything is sent (a crash or failure never loses it). */
    async send(conversationId: string, content: string | ContentPart[]): Promise<ChatSendResult> {
      const summary = await conversation(conversationId);
      const userMessage = await deps.messages.appendUserMessage({ conversationId, content });
      try {
        const assistantMessage = await answer(summary);
        return { userMessage, assistantMessage };
      } finally {
        void publishConversations();
      }
    },
    async edit(conversationId: string, messageId: number, content: string | ContentPart[]): Promise<ChatSendResult> {
      const summary = await conversation(conversationId);
      const existing = await deps.messages.get(messageId);
      if (!existing || existing.conversationId !== conversationId || existing.role !== 'user') {
        throw new AppErrorException(appError('not_found', 'That message no longer exists.'));
      }
      const { message } = await deps.messages.editUserMessage(messageId, content);
      const assistantMessage = await answer(summary);
      return { userMessage: message, assistantMessage };
    },
    regenerate: (conversationId: string, messageId: number) => reanswer(conversationId, messageId),
    retry: (conversationId: string, messageId: number, connectionId: string) => {
      const connection = deps.settings.get().connections.find((item) => item.id === connectionId);
      if (!connection) throw new AppErrorException(appError('not_found', 'That connection was disconnected.'));
      return reanswer(conversationId, messageId, { retryOn: { connectionId, connectionName: connection.name } });
    },
    /**
     * Continue an answer that stopped part way (stopped, crashed, connection lost, cut at the token limit):
     * the same chat call on Primary, with the partial answer in the history, its new text added to it.
     */
    async continue(conversationId: string, messageId: number): Promise<ChatSendResult> {
      const summary = await conversation(conversationId);
      const user = await precedingUserMessage(conversationId, messageId);
      const target = await deps.messages.get(messageId);
      const newest = await deps.messages.listPage({ conversationId, limit: 1 });
      if (!target || target.content.length === 0 || newest.messages[0]?.id !== messageId) {
        throw new AppErrorException(
          appError('conflict', 'Only the last answer can be continued, and only when it has some text: use Regenerate instead.'),
        );
      }
      const reopened = await deps.messages.reopenAssistantMessage(messageId);
      if (!reopened)
        throw new AppErrorException(appError('conflict', 'This answer is complete or still being written: nothing to continue.'));
      const assistantMessage = await answer(summary, undefined, reopened);
      return { userMessage: user, assistantMessage };
    },
    /** "Answer anyway this once": the same question on Primary although it is over its monthly cap. */
    answerAnyway: (conversationId: string, messageId: number) => reanswer(conversationId, messageId, { overCapOnce: true }),
    stop(messageId: number) {
      running.get(messageId)?.abort();
    },
    /** At start-up: answers cut off by a crash keep their text and are marked interrupted. */
    recover: () => deps.messages.markStreamingAsInterrupted(),
  };
}

export type ChatService = ReturnType<typeof createChatService>;

// The IPC contract, written once. Types only (plus the channel name lists), so the sandboxed
// preload can build window.api from it and main can type its handlers by it.
import type { Result } from '../errors/app-error';
import type {
  ConnectionPatch,
  ConnectionView,
  DiscoverModelsInput,
  DiscoverModelsResult,
  LocalOllamaOffer,
  NewConnectionInput,
  ProviderProfileView,
  TestConnectionResult,
} from '../schemas/connection-input';
import type { ModelFacts } from '../schemas/connection';
import type { LocalModelList, LocalModelRequest, PullProgress } from '../schemas/local-models';
import type { Notice } from '../schemas/notice';
import type { ChatDeltaEvent, ChatMessageView, ChatSendResult, RetryOption } from '../schemas/chat-ipc';
import type { ContentPart } from '../schemas/chat-message';
import type {
  ConversationPin,
  ConversationSearchHit,
  ConversationSummary,
  MessagePage,
  MessagePageQuery,
} from '../schemas/stored-conversation';
import type { Agent } from '../schemas/agent';
import type { GatewayClientView, GatewayConfigureInput, GatewayCreatedClient, GatewayStatus } from '../schemas/gateway';
import type { StoredTask, TaskInput, TaskTraceEvent } from '../schemas/stored-task';
import type {
  CallAggregate,
  CallAggregateQuery,
  CallLogDetail,
  CallLogExportFile,
  CallLogExportQuery,
  CallLogFilter,
  CallLogPage,
  CallLogPageQuery,
  ConnectionSpend,
} from '../schemas/call-log';
import type { PriceListInfo } from '../schemas/prices';
import type { QualityReport } from '../schemas/quality';
import type { RoutePlan, RouteRequest } from '../schemas/route-plan';
import type { RoutingConfig } from '../schemas/routing';
import type { ConfigChange, ConfigVersion, ImportCheck, ImportRequest } from '../schemas/config-history';
import type { LintFinding } from '../schemas/config-lint';
import type { ConfigDraftEdit, ConfigDraftSaveResult, ConfigDraftView } from '../schemas/config-draft';
import type { Settings, SettingsPatch } from '../schemas/settings';

export interface AppInfo {
  name: string;
  version: string;
  platform: string;
  /** Where settings, conversations and the call log live. */
  dataDirectory: string;
}

/** Settings as the renderer sees them. */
export type SettingsView = Settings;

/** Every renderer -> main request: channel -> request payload and response value. */
export interface InvokeContract {
  'app:app.getInfo': { request: void; response: AppInfo };
  'app:app.openExternal': { request: { url: string }; response: void };
  'app:notices.list': { request: void; response: Notice[] };
  'app:notices.dismiss': { request: { id: string }; response: void };
  'app:settings.get': { request: void; response: SettingsView };
  'app:settings.update': { request: SettingsPatch; response: SettingsView };
  'app:connections.list': { request: void; response: ConnectionView[] };
  'app:connections.profiles': { request: void; response: ProviderProfileView[] };
  'app:connections.add': { request: NewConnectionInput; response: ConnectionView };
  'app:connections.update': { request: ConnectionPatch; response: ConnectionView };
  'app:connections.remove': { request: { id: string; newPrimaryId?: string }; response: void };
  'app:connections.setPrimary': { request: { id: string }; response: void };
  'app:connections.test': { request: { id: string }; response: TestConnectionResult };
  'app:connections.discoverModels': { request: DiscoverModelsInput; response: DiscoverModelsResult };
  'app:connections.setModelFacts': { request: { connectionId: string; facts: ModelFacts }; response: ConnectionView };
  'app:connections.detectOllama': { request: void; response: LocalOllamaOffer | null };
  /** A local server's models on disk with sizes and the space they use, and which are loaded. */
  'app:localModels.list': { request: { connectionId: string }; response: LocalModelList };
  /** Downloads a model; progress comes as app:localModels.pullProgress, the answer says how it ended. */
  'app:localModels.pull': { request: LocalModelRequest; response: PullProgress };
  'app:localModels.cancelPull': { request: LocalModelRequest; response: void };
  /** Deletes a model from the server's disk; the list afterwards. */
  'app:localModels.remove': { request: LocalModelRequest; response: LocalModelList };
  /** Asks every local server which models are loaded now; the rows update through app:connections.changed. */
  'app:localModels.refreshLoaded': { request: void; response: void };
  'app:routing.update': { request: RoutingConfig; response: RoutingConfig };
  /** The Route preview: what would answer and why, without sending anything. */
  'app:routing.preview': { request: RouteRequest; response: RoutePlan };
  'app:agents.list': { request: void; response: Agent[] };
  /** The whole configuration without keys, as the file the headless gateway runs. */
  'app:config.export': { request: void; response: { fileName: string; text: string } };
  /** The same routing as a LiteLLM proxy config.yaml (keys as os.environ/SWITCHBOARD_KEY_* names). */
  'app:config.exportLitellm': { request: void; response: { fileName: string; text: string } };
  /** What importing a file would change; applies nothing. */
  'app:config.previewImport': { request: ImportRequest; response: ImportCheck };
  /** What rolling back to a version would change; applies nothing. */
  'app:config.previewRollback': { request: { id: number }; response: ImportCheck };
  /** Applies a preview (import or rollback) as one new version. */
  'app:config.apply': { request: { token: string }; response: ConfigVersion };
  'app:config.history': { request: void; response: ConfigVersion[] };
  /** What in the configuration will not work as the user expects, with what happens and how to fix it. */
  'app:config.lint': { request: void; response: LintFinding[] };
  'app:config.version': { request: { id: number }; response: { version: ConfigVersion; config: string; sinceThen: ConfigChange[] } };
  /** What the routing and agent editors show: unsaved edits (the draft) or the saved configuration. */
  'app:config.draft': { request: void; response: ConfigDraftView };
  /** Changes the draft (nothing is applied); the Route preview and the lint follow it. */
  'app:config.editDraft': { request: ConfigDraftEdit; response: ConfigDraftView };
  /** Applies the draft as one new version in the history. */
  'app:config.saveDraft': { request: void; response: ConfigDraftSaveResult };
  /** Drops the draft: the saved configuration is shown again. */
  'app:config.discardDraft': { request: void; response: ConfigDraftView };
  'app:chat.list': { request: void; response: ConversationSummary[] };
  'app:chat.search': { request: { query: string }; response: ConversationSearchHit[] };
  'app:chat.create': { request: { localOnly?: boolean }; response: ConversationSummary };
  'app:chat.rename': { request: { id: string; title: string }; response: void };
  /** Pins a connection and model to one conversation (null: it follows the Primary again). */
  'app:chat.pin': { request: { id: string; pinned: ConversationPin | null }; response: ConversationSummary };
  /** Moves a conversation to the undo window; restore brings it back. */
  'app:chat.remove': { request: { id: string }; response: void };
  'app:chat.restore': { request: { id: string }; response: void };
  'app:chat.export': { request: { id: string }; response: { fileName: string; markdown: string } };
  /** A page of messages, with the backend a failed answer can be retried on. */
  'app:chat.messages': { request: MessagePageQuery; response: MessagePage & { retryOn: Record<number, RetryOption | null> } };
  /** Saves the user's message, then answers it on the Primary; the answer streams as events. */
  'app:chat.send': { request: { conversationId: string; content: string | ContentPart[] }; response: ChatSendResult };
  'app:chat.edit': { request: { conversationId: string; messageId: number; content: string | ContentPart[] }; response: ChatSendResult };
  'app:chat.regenerate': { request: { conversationId: string; messageId: number }; response: ChatSendResult };
  'app:chat.retry': { request: { conversationId: string; messageId: number; connectionId: string }; response: ChatSendResult };
  /** Answers the question again on Primary although it is over its monthly cap, for this one answer only. */
  'app:chat.answerAnyway': { request: { conversationId: string; messageId: number }; response: ChatSendResult };
  /** Goes on with an answer that stopped part way (stopped, crashed, connection lost, cut), adding to its text. */
  'app:chat.continue': { request: { conversationId: string; messageId: number }; response: ChatSendResult };
  'app:chat.stop': { request: { conversationId: string; messageId: number }; response: void };
  'app:clipboard.write': { request: { text: string }; response: void };
  'app:tasks.list': { request: void; response: StoredTask[] };
  /** One task with its whole trace. */
  'app:tasks.get': { request: { id: string }; response: StoredTask };
  'app:tasks.create': { request: TaskInput; response: StoredTask };
  'app:tasks.cancel': { request: { id: string }; response: void };
  'app:tasks.retry': { request: { id: string }; response: void };
  /** Whether Tasks is the page on screen: a task that ends while it is not is told by an OS notification. */
  'app:tasks.watching': { request: { onTasksPage: boolean }; response: void };
  /** Forgets the agent's preference for a stronger backend. */
  'app:agents.clearEscalation': { request: { name: string }; response: void };
  /** The call log, newest first, filtered. */
  'app:activity.page': { request: CallLogPageQuery; response: CallLogPage };
  /** Figures per time bucket and provider/model, for the Activity charts. */
  'app:activity.aggregate': { request: CallAggregateQuery; response: CallAggregate[] };
  /** Per agent and model version: escalation, schema-failure, empty-answer and error rates, latency, cost; version changes. */
  'app:activity.quality': { request: CallLogFilter; response: QualityReport };
  'app:activity.get': { request: { id: number }; response: CallLogDetail };
  /** Every call matching the filter as CSV or JSONL (texts only where stored, never a key). */
  'app:activity.export': { request: CallLogExportQuery; response: CallLogExportFile };
  /** Every gateway client name in the log (the Activity filter). */
  'app:activity.clients': { request: void; response: string[] };
  'app:gateway.status': { request: void; response: GatewayStatus };
  /** Turns the local gateway on or off, moves it, sets CORS origins. */
  'app:gateway.configure': { request: GatewayConfigureInput; response: GatewayStatus };
  /** The clients with a live token, with their dates and this month's calls and spend; never a token. */
  'app:gateway.clients': { request: void; response: GatewayClientView[] };
  /** A new client and its token: the one time a token crosses to the renderer, to be shown once. */
  'app:gateway.createClient': { request: { name: string }; response: GatewayCreatedClient };
  /** Revokes a client's token at once; answers with the clients left. */
  'app:gateway.revokeClient': { request: { id: string }; response: GatewayClientView[] };
  /** Which price list calls are priced with. */
  'app:prices.info': { request: void; response: PriceListInfo };
  /** Downloads the current public price list; offline, an error and the list in use stays. */
  'app:prices.refresh': { request: void; response: PriceListInfo };
  /** Spend per connection since the start of this month, for the caps on Settings → Providers. */
  'app:spend.monthToDate': { request: void; response: ConnectionSpend[] };
}

/** Every main -> renderer event: channel -> payload. */
export interface EventContract {
  'app:settings.changed': SettingsView;
  'app:notices.changed': Notice[];
  'app:theme.changed': { dark: boolean };
  /** The app menu or a notification asks the window to show a view (and, from a task's notification, that task). */
  'app:view.show': { view: AppView; taskId?: string };
  /** Connections with their live health, whenever either changes. */
  'app:connections.changed': ConnectionView[];
  /** Streamed answer text, batched every few tens of milliseconds. */
  'app:chat.delta': ChatDeltaEvent;
  /** A message changed status (finished, failed, interrupted) or was created by main. */
  'app:chat.message': ChatMessageView;
  /** The conversation list changed (new title, new message, delete). */
  'app:chat.conversations': ConversationSummary[];
  /** A task changed (status, answer, usage); its trace comes separately. */
  'app:tasks.updated': StoredTask;
  /** Streamed answer text of a running task; `reset` clears the answer (a new attempt starts over). */
  'app:tasks.delta': { taskId: string; text: string; reset: boolean };
  'app:tasks.trace': { taskId: string; events: TaskTraceEvent[] };
  /** New calls were logged: the Activity view refreshes. */
  'app:activity.logged': { count: number };
  'app:gateway.changed': GatewayStatus;
  /** A new version of the configuration was kept in the history. */
  'app:config.versionAdded': ConfigVersion;
  /** The draft or what it is compared with changed (an edit, Save, Discard, a provider added or removed). */
  'app:config.draftChanged': ConfigDraftView;
  /** A model pull moved on (at most a few times a second), then how it ended. */
  'app:localModels.pullProgress': PullProgress;
}

export type AppView = 'chat' | 'tasks' | 'activity' | 'settings';

export type InvokeChannel = keyof InvokeContract;
export type EventChannel = keyof EventContract;
export type InvokeRequest<C extends InvokeChannel> = InvokeContract[C]['request'];
export type InvokeResponse<C extends InvokeChannel> = InvokeContract[C]['response'];

export const invokeChannels = [
  'app:app.getInfo',
  'app:app.openExternal',
  'app:notices.list',
  'app:notices.dismiss',
  'app:settings.get',
  'app:settings.update',
  'app:connections.list',
  'app:connections.profiles',
  'app:connections.add',
  'app:connections.update',
  'app:connections.remove',
  'app:connections.setPrimary',
  'app:connections.test',
  'app:connections.discoverModels',
  'app:connections.setModelFacts',
  'app:connections.detectOllama',
  'app:localModels.list',
  'app:localModels.pull',
  'app:localModels.cancelPull',
  'app:localModels.remove',
  'app:localModels.refreshLoaded',
  'app:routing.update',
  'app:routing.preview',
  'app:agents.list',
  'app:config.export',
  'app:config.exportLitellm',
  'app:config.previewImport',
  'app:config.previewRollback',
  'app:config.apply',
  'app:config.history',
  'app:config.lint',
  'app:config.version',
  'app:config.draft',
  'app:config.editDraft',
  'app:config.saveDraft',
  'app:config.discardDraft',
  'app:chat.list',
  'app:chat.search',
  'app:chat.create',
  'app:chat.rename',
  'app:chat.pin',
  'app:chat.remove',
  'app:chat.restore',
  'app:chat.export',
  'app:chat.messages',
  'app:chat.send',
  'app:chat.edit',
  'app:chat.regenerate',
  'app:chat.retry',
  'app:chat.answerAnyway',
  'app:chat.continue',
  'app:chat.stop',
  'app:clipboard.write',
  'app:tasks.list',
  'app:tasks.get',
  'app:tasks.create',
  'app:tasks.cancel',
  'app:tasks.retry',
  'app:tasks.watching',
  'app:agents.clearEscalation',
  'app:activity.page',
  'app:activity.aggregate',
  'app:activity.quality',
  'app:activity.get',
  'app:activity.export',
  'app:activity.clients',
  'app:gateway.status',
  'app:gateway.configure',
  'app:gateway.clients',
  'app:gateway.createClient',
  'app:gateway.revokeClient',
  'app:prices.info',
  'app:prices.refresh',
  'app:spend.monthToDate',
] as const satisfies readonly InvokeChannel[];

export const eventChannels = [
  'app:settings.changed',
  'app:notices.changed',
  'app:theme.changed',
  'app:view.show',
  'app:connections.changed',
  'app:chat.delta',
  'app:chat.message',
  'app:chat.conversations',
  'app:tasks.updated',
  'app:tasks.delta',
  'app:tasks.trace',
  'app:activity.logged',
  'app:gateway.changed',
  'app:config.versionAdded',
  'app:config.draftChanged',
  'app:localModels.pullProgress',
] as const satisfies readonly EventChannel[];

/**
 * The list type itself when it names every member of All; otherwise a type naming the missing
 * ones, so assigning the list to it fails to compile and says which channel was left out.
 */
export type NamesEvery<All extends string, List extends readonly string[]> = [Exclude<All, List[number]>] extends [never]
  ? List
  : { missing: Exclude<All, List[number]> };

// The preload builds window.api from these lists and main registers a handler for each entry
// (its HandlerMap is keyed by every channel), so a channel missing here would have neither.
/** Compile-time proof that invokeChannels names every channel of InvokeContract. */
export const invokeChannelsComplete: NamesEvery<InvokeChannel, typeof invokeChannels> = invokeChannels;
/** Compile-time proof that eventChannels names every event of EventContract. */
export const eventChannelsComplete: NamesEvery<EventChannel, typeof eventChannels> = eventChannels;

type SplitChannel<C extends string> = C extends `app:${infer Domain}.${infer Action}` ? [Domain, Action] : never;
type DomainOf<C extends InvokeChannel> = SplitChannel<C>[0];
type ActionOf<C extends InvokeChannel> = SplitChannel<C>[1];

/** One typed function per channel: `api.settings.update(patch)` calls `app:settings.update`. */
export type InvokeApi = {
  [D in DomainOf<InvokeChannel>]: {
    [C in InvokeChannel as DomainOf<C> extends D ? ActionOf<C> : never]: InvokeRequest<C> extends void
      ? () => Promise<Result<InvokeResponse<C>>>
      : (request: InvokeRequest<C>) => Promise<Result<InvokeResponse<C>>>;
  };
};

/** What the preload exposes as `window.api`. */
export type SwitchboardApi = InvokeApi & {
  on<E extends EventChannel>(channel: E, listener: (payload: EventContract[E]) => void): () => void;
};

/** Splits "app:settings.update" into ["settings", "update"]. */
export function splitChannel(channel: string): [string, string] {
  const match = /^app:([a-zA-Z]+)\.([a-zA-Z]+)$/.exec(channel);
  if (!match) throw new Error(`Not an IPC channel name: ${channel}`);
  return [match[1] as string, match[2] as string];
}

import * as Popover from '@radix-ui/react-popover';
import { Check, ChevronDown, Lock, Search, Star } from 'lucide-react';
import { useId, useMemo, useState, type KeyboardEvent } from 'react';
import type { ModelFacts } from '../../../../src-shared/schemas/connection';
import type { ConnectionView } from '../../../../src-shared/schemas/connection-input';
import { pinnableConnections } from '../../../../src-shared/schemas/conversation-answerer';
import type { ConversationPin, ConversationSummary } from '../../../../src-shared/schemas/stored-conversation';
import type { ConnectionHealth } from '../../../../src-shared/schemas/health';
import { healthDetails } from '../../components/ui/HealthDot';
import { formatUsd } from '../../lib/money';
import { useChatStore } from '../../stores/chat-store';
import { useConnectionsStore } from '../../stores/connections-store';
import { useAnswerer, type PrimaryInfo } from './use-primary';
import './model-picker.css';

interface Option {
  key: string;
  pin: ConversationPin | null;
  label: string;
  connection: ConnectionView | null;
  facts: ModelFacts | null;
}

const badgeWords = [
  ['vision', 'vision'],
  ['tools', 'tools'],
  ['reasoning', 'reasoning'],
] as const;

function priceWords(view: ConnectionView, facts: ModelFacts | null): string | null {
  if (view.isLocal) return 'free, local';
  if (!facts || (facts.inputPricePerMillion === null && facts.outputPricePerMillion === null)) return null;
  return `${formatUsd(facts.inputPricePerMillion)} in · ${formatUsd(facts.outputPricePerMillion)} out per 1M tokens`;
}

/** Every model a connection offers: its known models, its default first. */
function modelsOf(view: ConnectionView): { id: string; facts: ModelFacts | null }[] {
  const { connection } = view;
  const known = connection.models.map((facts) => ({ id: facts.id, facts }));
  const others = known.filter((item) => item.id !== connection.defaultModel);
  const defaultFacts = known.find((item) => item.id === connection.defaultModel)?.facts ?? null;
  return [{ id: connection.defaultModel, facts: defaultFacts }, ...others];
}

/**
 * The chat header's model pill: a searchable list of connections and their models that pins one to
 * this conversation (or lets it follow the Primary), and "Make this my Primary" as a separate action.
 */
export function ModelPicker({ conversation, answerer }: { conversation: ConversationSummary; answerer: PrimaryInfo }) {
  const views = useConnectionsStore((state) => state.connections);
  const setPrimary = useConnectionsStore((state) => state.setPrimary);
  const pin = useChatStore((state) => state.pin);
  const [open, setOpen] = useState(false);
  const [query, setQuery] = useState('');
  const [active, setActive] = useState(0);
  const listId = useId();
  const primaryInfo = useAnswerer(null);

  const primaryView = views.find((view) => view.isPrimary) ?? null;
  const localOnly = conversation.localOnly;
  const allowed = useMemo(
    () =>
      pinnableConnections(
        views.map((view) => ({ ...view, baseUrl: view.connection.baseUrl, local: view.isLocal })),
        localOnly,
      ).filter((view) => view.connection.enabled),
    [views, localOnly],
  );

  const groups = useMemo(() => {
    const words = query.trim().toLowerCase().split(/\s+/).filter(Boolean);
    const matches = (text: string) => words.every((word) => text.toLowerCase().includes(word));
    const primaryAllowed = primaryView !== null && allowed.some((view) => view.connection.id === primaryView.connection.id);
    const primaryOption: Option | null =
      primaryAllowed && matches(`primary ${primaryView.connection.name}`)
        ? { key: 'primary', pin: null, label: 'Follow the Primary', connection: primaryView, facts: null }
        : null;
    const byConnection = allowed
      .map((view) => ({
        view,
        options: modelsOf(view)
          .filter((model) => matches(`${view.connection.name} ${model.id}`))
          .map<Option>((model) => ({
            key: `${view.connection.id}/${model.id}`,
            pin: { connectionId: view.connection.id, model: model.id },
            label: model.id,
            connection: view,
            facts: model.facts,
          })),
      }))
      .filter((group) => group.options.length > 0);
    return { primaryOption, byConnection };
  }, [allowed, primaryView, query]);

  const options = useMemo(
    () => [...(groups.primaryOption ? [groups.primaryOption] : []), ...groups.byConnection.flatMap((group) => group.options)],
    [groups],
  );
  const selectedKey = conversation.pinned ? `${conversation.pinned.connectionId}/${conversation.pinned.model}` : 'primary';
  const activeIndex = Math.min(active, Math.max(0, options.length - 1));
  const optionId = (key: string) => `${listId}-${key.replace(/[^\w-]/g, '_')}`;

  const choose = async (option: Option) => {
    setOpen(false);
    if (option.key === selectedKey) return;
    await pin(conversation.id, option.pin);
  };

  const move = (to: number) => {
    const next = Math.max(0, Math.min(options.length - 1, to));
    setActive(next);
    const option = options[next];
    if (option) document.getElementById(optionId(option.key))?.scrollIntoView({ block: 'nearest' });
  };

  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key === 'ArrowDown') move(activeIndex + 1);
    else if (event.key === 'ArrowUp') move(activeIndex - 1);
    else if (event.key === 'Home') move(0);
    else if (event.key === 'End') move(options.length - 1);
    else if (event.key === 'Enter') {
      const option = options[activeIndex];
      if (option) void choose(option);
    } else return;
    event.preventDefault();
  };

  // A local-only conversation on a cloud Primary has nobody to answer until a local model is picked.
  const cannotAnswer = localOnly && !answerer.isLocal;
  const pinnedView = answerer.source === 'pinned' ? views.find((view) => view.connection.id === answerer.id) : undefined;
  const canMakePrimary = pinnedView !== undefined && !pinnedView.isPrimary;

  const renderOption = (option: Option, index: number) => {
    const selected = option.key === selectedKey;
    const view = option.connection;
    const price = view && option.pin ? priceWords(view, option.facts) : null;
    const isDefault = view && option.pin?.model === view.connection.defaultModel;
    return (
      <div
        key={option.key}
        id={optionId(option.key)}
        role="option"
        aria-selected={selected}
        data-active={index === activeIndex || undefined}
        className="model-option"
        onMouseMove={() => index !== activeIndex && setActive(index)}
        onClick={() => void choose(option)}
      >
        <span className="model-option-check" aria-hidden="true">
          {selected ? <Check size={14} /> : null}
        </span>
        <span className="model-option-main">
          <span className="model-option-name">
            {option.pin ? option.label : <>Follow the Primary</>}
            {isDefault ? <span className="model-option-note"> (default)</span> : null}
          </span>
          <span className="model-option-meta">
            {option.pin ? null : `${primaryInfo?.headerLabel ?? 'Primary'}. New conversations start here.`}
            {option.facts
              ? badgeWords
                  .filter(([capability]) => option.facts?.capabilities[capability] === true)
                  .map(([capability, word]) => (
                    <span key={capability} className={`capability-badge capability-${capability}`}>
                      {word}
                    </span>
                  ))
              : null}
            {price ? <span className="model-option-price">{price}</span> : null}
          </span>
        </span>
      </div>
    );
  };

  let index = 0;
  return (
    <Popover.Root
      open={open}
      onOpenChange={(next) => {
        setOpen(next);
        if (next) {
          setQuery('');
          setActive(0);
        }
      }}
    >
      <Popover.Trigger asChild>
        <button
          type="button"
          className={cannotAnswer ? 'pane-primary model-pill model-pill-warning' : 'pane-primary model-pill'}
          aria-label={`Model for this conversation: ${cannotAnswer ? 'none, pick a local model' : answerer.headerLabel}${
            answerer.health ? ` (${healthDetails(answerer.health)[0]})` : ''
          }. Change model`}
          title={answerer.source === 'primary' ? `${answerer.name}: ${answerer.modelLabel}` : 'Pinned to this conversation'}
        >
          {answerer.health ? <StatusDot health={answerer.health} /> : null}
          <span className="pane-primary-name">{cannotAnswer ? 'No local model: pick one' : answerer.headerLabel}</span>
          {answerer.source === 'pinned' ? <span className="badge pinned-badge">Pinned</span> : null}
          <ChevronDown size={14} aria-hidden="true" />
        </button>
      </Popover.Trigger>
      <Popover.Portal>
        <Popover.Content
          className="model-picker"
          align="end"
          sideOffset={6}
          collisionPadding={12}
          aria-label="Choose the model for this conversation"
        >
          <div className="model-picker-search">
            <Search size={14} aria-hidden="true" />
            <input
              type="text"
              role="combobox"
              aria-label="Search models"
              aria-expanded="true"
              aria-controls={listId}
              aria-autocomplete="list"
              aria-activedescendant={options[activeIndex] ? optionId(options[activeIndex].key) : undefined}
              placeholder="Search providers and models"
              value={query}
              onChange={(event) => {
                setQuery(event.target.value);
                setActive(0);
              }}
              onKeyDown={onKeyDown}
            />
          </div>
          {localOnly ? (
            <p className="model-picker-note">
              <Lock size={12} aria-hidden="true" /> Local only: only models on this machine or network are offered.
            </p>
          ) : null}
          <div className="model-picker-list" role="listbox" id={listId} aria-label="Models">
            {groups.primaryOption ? renderOption(groups.primaryOption, index++) : null}
            {groups.byConnection.map(({ view, options: models }) => (
              <div key={view.connection.id} role="group" aria-labelledby={`${listId}-group-${view.connection.id}`} className="model-group">
                <div className="model-group-title" id={`${listId}-group-${view.connection.id}`}>
                  {/* A listbox may hold only groups and options: the dot's words go in the group's name instead. */}
                  <StatusDot health={view.health} />
                  <span>{view.connection.name}</span>
                  <span className="visually-hidden">({healthDetails(view.health)[0]})</span>
                  {view.isPrimary ? (
                    <span className="badge badge-primary">
                      <Star size={10} aria-hidden="true" /> Primary
                    </span>
                  ) : null}
                  {view.isLocal ? <span className="badge">Local</span> : null}
                </div>
                {models.map((option) => renderOption(option, index++))}
              </div>
            ))}
            {options.length === 0 ? (
              <p className="model-picker-empty" role="status">
                {allowed.length === 0
                  ? 'No local connection yet. Add Ollama or LM Studio in Settings to chat locally.'
                  : `No model matches “${query.trim()}”.`}
              </p>
            ) : null}
          </div>
          {canMakePrimary && pinnedView ? (
            <div className="model-picker-footer">
              <button
                type="button"
                className="button-secondary"
                onClick={() => {
                  setOpen(false);
                  void setPrimary(pinnedView.connection.id);
                }}
              >
                Make {pinnedView.connection.name} my Primary
              </button>
              <span className="model-picker-hint">
                New conversations will answer from {pinnedView.connection.name} ({pinnedView.connection.defaultModel}). Rules and tasks stay
                as they are.
              </span>
            </div>
          ) : null}
        </Popover.Content>
      </Popover.Portal>
    </Popover.Root>
  );
}

/** The health dot's shape and colour without its own button: inside the pill and the listbox, its words go in their names. */
function StatusDot({ health }: { health: ConnectionHealth }) {
  return (
    <span className="model-group-dot" aria-hidden="true">
      <span className={`health-dot health-${health.color}`} data-color={health.color} />
    </span>
  );
}

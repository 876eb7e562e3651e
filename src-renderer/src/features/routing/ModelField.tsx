import { useId, useState } from 'react';
import type { ModelFacts } from '../../../../src-shared/schemas/connection';
import type { ConnectionView } from '../../../../src-shared/schemas/connection-input';
import './routing.css';

/** The capabilities a model field shows as badges, in this order: what people choose models by. */
const badgeCapabilities = [
  ['reasoning', 'reasoning'],
  ['tools', 'tools'],
  ['vision', 'vision'],
] as const;

/** The known facts about a model on a provider, or undefined when the provider has not listed it. */
export function factsOf(view: ConnectionView | undefined, model: string): ModelFacts | undefined {
  return view?.connection.models.find((facts) => facts.id === model);
}

/** "reasoning · tools · vision" for the capabilities a model is known to have (unknown ones are left out). */
export function capabilityBadges(facts: ModelFacts | undefined): string[] {
  if (!facts) return [];
  return badgeCapabilities.filter(([capability]) => facts.capabilities[capability] === true).map(([, word]) => word);
}

/** The models a provider offers, its default first, for a model field's suggestions. */
export function suggestedModels(view: ConnectionView | undefined): string[] {
  if (!view) return [];
  const ids = [view.connection.defaultModel, ...view.connection.models.map((facts) => facts.id)];
  return [...new Set(ids)];
}

/**
 * A model box for a provider: suggestions from the models it is known to offer, each with its
 * capabilities, and badges for the model typed. Free text stays allowed (a model not listed yet).
 */
export function ModelField(props: {
  label: string;
  view: ConnectionView | undefined;
  value: string;
  /** Called when the box loses focus with a changed value (trimmed). */
  onCommit(model: string): void;
  placeholder?: string;
  invalid?: boolean;
  className?: string;
}) {
  const listId = useId();
  const [typed, setTyped] = useState(props.value);
  const [lastValue, setLastValue] = useState(props.value);
  // A value changed from outside (Discard, another provider) replaces what was typed.
  if (props.value !== lastValue) {
    setLastValue(props.value);
    setTyped(props.value);
  }
  const models = suggestedModels(props.view);
  const badges = capabilityBadges(factsOf(props.view, typed.trim() || (props.view?.connection.defaultModel ?? '')));
  return (
    <span className={`model-field ${props.className ?? ''}`}>
      <input
        type="text"
        aria-label={props.label}
        list={listId}
        placeholder={props.placeholder}
        aria-invalid={props.invalid ? 'true' : undefined}
        value={typed}
        onChange={(event) => setTyped(event.target.value)}
        onBlur={() => {
          const model = typed.trim();
          if (model !== props.value) props.onCommit(model);
        }}
      />
      <datalist id={listId}>
        {models.map((model) => {
          const words = capabilityBadges(factsOf(props.view, model));
          return (
            <option key={model} value={model}>
              {words.length ? words.join(' · ') : undefined}
            </option>
          );
        })}
      </datalist>
      {badges.length > 0 ? (
        <span className="model-badges" data-testid="model-badges">
          <span className="visually-hidden">Can do: </span>
          {badges.map((badge) => (
            <span key={badge} className={`badge capability-badge capability-${badge}`}>
              {badge}
            </span>
          ))}
        </span>
      ) : null}
    </span>
  );
}

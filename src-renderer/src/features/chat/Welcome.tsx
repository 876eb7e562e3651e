import { ArrowRight, CheckCircle2, Cpu, KeyRound } from 'lucide-react';
import { useEffect, useState } from 'react';
import type { ProviderKind } from '../../../../src-shared/schemas/connection';
import type { ProviderProfileView } from '../../../../src-shared/schemas/connection-input';
import { apiKeyProblem, baseUrlProblem } from '../../../../src-shared/schemas/connection-form';
import { useAppStore } from '../../stores/app-store';
import { useConnectionsStore } from '../../stores/connections-store';
import { ConnectionDialog } from '../settings/ConnectionDialog';
import './welcome.css';

/** Monograms stand in for the providers' logos: recognisable, and no trademark artwork shipped. */
const marks: Record<ProviderKind, string> = {
  anthropic: 'A',
  openai: 'O',
  'azure-openai': 'Az',
  gemini: 'G',
  deepseek: 'DS',
  ollama: 'Ol',
  openrouter: 'OR',
  groq: 'Gq',
  mistral: 'M',
  xai: 'x',
  perplexity: 'P',
  together: 'T',
  lmstudio: 'LM',
  custom: '{ }',
};

/** The order a newcomer looks for them: the big clouds first, local servers and "any endpoint" last. */
const order: ProviderKind[] = [
  'anthropic',
  'openai',
  'gemini',
  'deepseek',
  'openrouter',
  'mistral',
  'groq',
  'xai',
  'perplexity',
  'together',
  'azure-openai',
  'ollama',
  'lmstudio',
  'custom',
];

const plainName = (profile: ProviderProfileView) => profile.displayName.replace(/\s*\(.*\)$/, '');

export function ProviderMark({ kind }: { kind: ProviderKind }) {
  return (
    <span className={`provider-mark provider-mark-${kind}`} aria-hidden="true">
      {marks[kind]}
    </span>
  );
}

/**
 * Chat's first run: the provider kinds with their marks, one click for a local Ollama that answers,
 * a key checked live before it is saved, then "Start chatting".
 */
export function Welcome({ added, onAdded, onStart }: { added: string | null; onAdded(name: string): void; onStart(): void }) {
  const profiles = useConnectionsStore((state) => state.profiles);
  const load = useConnectionsStore((state) => state.load);
  const detectOllama = useConnectionsStore((state) => state.detectOllama);
  const offer = useConnectionsStore((state) => state.ollamaOffer);
  const add = useConnectionsStore((state) => state.add);
  const declined = useAppStore((state) => state.settings?.chat.ollamaOfferDeclined ?? false);
  const updateSettings = useAppStore((state) => state.updateSettings);
  const show = useAppStore((state) => state.show);
  const [chosen, setChosen] = useState<ProviderProfileView | null>(null);
  const [dialogFor, setDialogFor] = useState<ProviderKind | null>(null);
  const [ollamaError, setOllamaError] = useState<string | null>(null);
  const [addingOllama, setAddingOllama] = useState(false);

  useEffect(() => {
    void load().then(() => detectOllama());
  }, [load, detectOllama]);

  if (added) {
    return (
      <div className="welcome" role="region" aria-labelledby="welcome-title">
        <CheckCircle2 className="welcome-done-icon" size={36} aria-hidden="true" />
        <h2 id="welcome-title">{added} is connected</h2>
        <p className="welcome-lead">
          It is your Primary: new conversations answer from it. You can pick another model for any conversation from its header.
        </p>
        <button type="button" className="button-primary welcome-start" onClick={onStart} autoFocus>
          Start chatting <ArrowRight size={16} aria-hidden="true" />
        </button>
      </div>
    );
  }

  const connectOllama = async () => {
    if (!offer?.models[0]) return;
    setAddingOllama(true);
    setOllamaError(null);
    const outcome = await add({
      kind: 'ollama',
      name: 'Ollama',
      baseUrl: offer.baseUrl,
      defaultModel: offer.models[0],
      discoveredModels: offer.models,
    });
    setAddingOllama(false);
    if (outcome.ok) onAdded('Ollama');
    else setOllamaError(outcome.error.message);
  };

  const sorted = order.map((kind) => profiles.find((profile) => profile.kind === kind)).filter((item) => item !== undefined);

  return (
    <div className="welcome" role="region" aria-labelledby="welcome-title">
      <h2 id="welcome-title">Welcome to Switchboard</h2>
      <p className="welcome-lead">
        Connect the AI providers you already use. The first one becomes your Primary: chat answers from it, and Switchboard moves work to
        another when it fails. Keys stay in your system keychain.
      </p>

      {offer && !declined ? (
        <section className="welcome-ollama" aria-labelledby="welcome-ollama-title">
          <Cpu size={22} aria-hidden="true" />
          <div className="welcome-ollama-text">
            <h3 id="welcome-ollama-title">Ollama is running on this computer</h3>
            <p>
              {offer.models.length > 0
                ? `${offer.models.length} model${offer.models.length === 1 ? '' : 's'} ready (${offer.models.slice(0, 3).join(', ')}${offer.models.length > 3 ? ', …' : ''}). Free, no key, and nothing leaves this machine.`
                : 'It has no models yet: download one in Settings, Local models, then come back.'}
            </p>
            {ollamaError ? (
              <p className="form-error" role="alert">
                {ollamaError}
              </p>
            ) : null}
          </div>
          <div className="welcome-ollama-actions">
            {offer.models.length > 0 ? (
              <button type="button" className="button-primary" disabled={addingOllama} onClick={() => void connectOllama()}>
                {addingOllama ? 'Connecting…' : 'Use Ollama (free, no key)'}
              </button>
            ) : (
              <button type="button" className="button-primary" onClick={() => show('settings')}>
                Open Settings
              </button>
            )}
            <button type="button" className="button-quiet" onClick={() => void updateSettings({ chat: { ollamaOfferDeclined: true } })}>
              Not now
            </button>
          </div>
        </section>
      ) : null}

      <h3 className="welcome-subtitle">{chosen ? `Connect ${plainName(chosen)}` : 'Choose a provider'}</h3>
      {chosen ? (
        <KeyForm
          profile={chosen}
          onBack={() => setChosen(null)}
          onMoreOptions={() => setDialogFor(chosen.kind)}
          onAdded={() => onAdded(plainName(chosen))}
        />
      ) : (
        <ul className="provider-grid">
          {sorted.map((profile) => (
            <li key={profile.kind}>
              <button
                type="button"
                className="provider-choice"
                onClick={() => (needsFullForm(profile) ? setDialogFor(profile.kind) : setChosen(profile))}
              >
                <ProviderMark kind={profile.kind} />
                <span className="provider-choice-name">{plainName(profile)}</span>
                <span className="provider-choice-hint">
                  {profile.localServer ? 'On your machine' : profile.keyRequired ? 'API key' : 'No key'}
                </span>
              </button>
            </li>
          ))}
        </ul>
      )}
      {dialogFor ? (
        <ConnectionDialog
          prefill={{ kind: dialogFor }}
          onClose={() => {
            setDialogFor(null);
            const first = useConnectionsStore.getState().connections[0];
            if (first) onAdded(first.connection.name);
          }}
        />
      ) : null}
    </div>
  );
}

/** Kinds with more than a key to fill in (deployments, an address of the user's own) get the full form. */
const needsFullForm = (profile: ProviderProfileView) =>
  profile.kind === 'azure-openai' || profile.kind === 'custom' || profile.defaultBaseUrl.trim() === '';

/** The API key, checked live against the provider (its model list) before anything is saved. */
function KeyForm({
  profile,
  onBack,
  onMoreOptions,
  onAdded,
}: {
  profile: ProviderProfileView;
  onBack(): void;
  onMoreOptions(): void;
  onAdded(): void;
}) {
  const discoverModels = useConnectionsStore((state) => state.discoverModels);
  const add = useConnectionsStore((state) => state.add);
  const [key, setKey] = useState('');
  const [baseUrl, setBaseUrl] = useState(profile.defaultBaseUrl);
  const [state, setState] = useState<{ busy: boolean; error: string | null; checked: string | null }>({
    busy: false,
    error: null,
    checked: null,
  });

  const submit = async () => {
    const apiKey = key.trim();
    if (profile.keyRequired && !apiKey)
      return setState({ busy: false, error: `Paste your ${plainName(profile)} API key first.`, checked: null });
    const keyProblem = apiKeyProblem(apiKey || undefined, { keyRequired: profile.keyRequired, mustHaveOne: false });
    if (keyProblem) return setState({ busy: false, error: keyProblem, checked: null });
    setState({ busy: true, error: null, checked: 'Checking the key with the provider…' });
    const addressProblem = baseUrlProblem(baseUrl);
    if (addressProblem) return setState({ busy: false, error: addressProblem, checked: null });
    const found = await discoverModels({ kind: profile.kind, baseUrl: baseUrl.trim(), ...(apiKey ? { apiKey } : {}) });
    // The provider's own answer, in words: a rejected key, an unreachable address, a missing model list.
    if (!found.ok) return setState({ busy: false, error: found.message, checked: null });
    const defaultModel = profile.defaultModel ?? found.models[0];
    if (!defaultModel) {
      return setState({
        busy: false,
        error: 'The key works, but the provider listed no models. Use More options to name one.',
        checked: null,
      });
    }
    setState({ busy: true, error: null, checked: `Key accepted: ${found.models.length} models. Saving…` });
    const outcome = await add({
      kind: profile.kind,
      name: plainName(profile),
      baseUrl: baseUrl.trim(),
      defaultModel,
      ...(apiKey ? { apiKey } : {}),
      discoveredModels: found.models,
    });
    if (!outcome.ok) return setState({ busy: false, error: outcome.error.message, checked: null });
    onAdded();
  };

  return (
    <form
      className="welcome-key-form"
      onSubmit={(event) => {
        event.preventDefault();
        void submit();
      }}
    >
      <div className="welcome-key-row">
        <ProviderMark kind={profile.kind} />
        <label className="welcome-key-field">
          <span>{profile.keyRequired ? `${plainName(profile)} API key` : `${plainName(profile)} API key (optional)`}</span>
          <input
            type="password"
            value={key}
            autoFocus
            autoComplete="off"
            spellCheck={false}
            aria-invalid={state.error ? true : undefined}
            aria-describedby="welcome-key-help"
            onChange={(event) => setKey(event.target.value)}
          />
        </label>
      </div>
      <p id="welcome-key-help" className="field-hint">
        {profile.docsHint}
      </p>
      <details className="welcome-address">
        <summary>Address</summary>
        <label className="welcome-key-field">
          <span>Base URL</span>
          <input type="url" value={baseUrl} spellCheck={false} onChange={(event) => setBaseUrl(event.target.value)} />
        </label>
      </details>
      {state.error ? (
        <p className="form-error" role="alert">
          <KeyRound size={14} aria-hidden="true" /> {state.error}
        </p>
      ) : state.checked ? (
        <p className="welcome-checking" role="status">
          {state.checked}
        </p>
      ) : null}
      <div className="welcome-key-actions">
        <button type="submit" className="button-primary" disabled={state.busy}>
          {state.busy ? 'Checking…' : 'Check key and connect'}
        </button>
        <button type="button" className="button-secondary" onClick={onBack} disabled={state.busy}>
          Back
        </button>
        <button type="button" className="button-quiet" onClick={onMoreOptions} disabled={state.busy}>
          More options
        </button>
      </div>
    </form>
  );
}

import { PlugZap, Star } from 'lucide-react';
import { useEffect, useState } from 'react';
import type { ConnectionView, NewConnectionInput } from '../../../../src-shared/schemas/connection-input';
import { EmptyState } from '../../components/ui/EmptyState';
import { HealthDot } from '../../components/ui/HealthDot';
import { useConnectionsStore } from '../../stores/connections-store';
import { useSpendStore } from '../../stores/spend-store';
import { MonthSpend } from './spend/MonthSpend';
import { PriceListPanel } from './spend/PriceListPanel';
import './spend/spend.css';
import { ConnectionDialog } from './ConnectionDialog';
import { DisconnectDialog } from './DisconnectDialog';
import { ModelsDialog } from './ModelsDialog';
import { LoadedModels } from './local-models/LoadedModels';
import { LocalModelsDialog } from './local-models/LocalModelsDialog';
import { useLocalModelsStore } from '../../stores/local-models-store';

type Open =
  | { type: 'add'; prefill?: Partial<NewConnectionInput> }
  | { type: 'edit' | 'disconnect' | 'models' | 'local-models'; view: ConnectionView }
  | null;

export function ConnectionsSection() {
  const { connections, profiles, loaded, loadError, tests, ollamaOffer, load, setPrimary, test, detectOllama, dismissOllamaOffer } =
    useConnectionsStore();
  const [open, setOpen] = useState<Open>(null);
  const monthToDate = useSpendStore((state) => state.monthToDate);
  const loadSpend = useSpendStore((state) => state.load);
  const subscribeSpend = useSpendStore((state) => state.subscribe);
  const refreshLoaded = useLocalModelsStore((state) => state.refreshLoaded);
  useEffect(() => {
    void load().then(() => detectOllama());
    // Which local models are in memory now; the rows update as the answers come.
    void refreshLoaded();
  }, [load, detectOllama, refreshLoaded]);
  useEffect(() => {
    void loadSpend();
    return subscribeSpend();
  }, [loadSpend, subscribeSpend]);
  const kindName = (kind: string) => profiles.find((profile) => profile.kind === kind)?.displayName ?? kind;
  const isLocalServer = (kind: string) => profiles.find((profile) => profile.kind === kind)?.localServer === true;

  return (
    <section className="settings-section" aria-labelledby="connections-title">
      <div className="section-header">
        <h2 id="connections-title">Connections</h2>
        <button type="button" className="button-primary" onClick={() => setOpen({ type: 'add' })}>
          Add provider
        </button>
      </div>
      {loadError ? (
        <p className="form-error" role="alert">
          Could not load your connections: {loadError}
        </p>
      ) : null}
      {ollamaOffer ? (
        <div className="offer" role="status">
          <span>
            Ollama is running on this machine with {ollamaOffer.models.length} model{ollamaOffer.models.length === 1 ? '' : 's'}
            {ollamaOffer.models.length
              ? ` (${ollamaOffer.models.slice(0, 3).join(', ')}${ollamaOffer.models.length > 3 ? ', …' : ''})`
              : ''}
            . Work you mark local-only runs there and never leaves this machine.
          </span>
          <span className="offer-actions">
            <button
              type="button"
              className="button-primary"
              onClick={() =>
                setOpen({
                  type: 'add',
                  prefill: {
                    kind: 'ollama',
                    name: 'Ollama',
                    baseUrl: ollamaOffer.baseUrl,
                    defaultModel: ollamaOffer.models[0] ?? '',
                    discoveredModels: ollamaOffer.models,
                  },
                })
              }
            >
              Add Ollama
            </button>
            <button type="button" className="button-quiet" onClick={dismissOllamaOffer}>
              Not now
            </button>
          </span>
        </div>
      ) : null}
      {loaded && connections.length === 0 ? (
        <EmptyState
          icon={PlugZap}
          title="No providers yet"
          action={
            <button type="button" className="button-primary" onClick={() => setOpen({ type: 'add' })}>
              Add a provider
            </button>
          }
        >
          <p>
            Add a provider with its API key. The first one becomes your Primary: chat always answers from it. Keys are kept in your system
            keychain, never in a file.
          </p>
        </EmptyState>
      ) : null}
      {connections.length > 0 ? (
        <ul className="connection-list">
          {connections.map((view) => {
            const { connection, health } = view;
            const testState = tests[connection.id];
            return (
              <li
                key={connection.id}
                className={connection.enabled ? 'connection-row' : 'connection-row connection-off'}
                data-connection={connection.id}
              >
                <HealthDot health={health} />
                <div className="connection-main">
                  <div className="connection-title">
                    <strong>{connection.name}</strong>
                    {view.isPrimary ? <span className="badge badge-primary">Primary</span> : null}
                    {view.isLocal ? (
                      <span className="badge" title="Stays on my machine or network: local-only work may go here">
                        Local
                      </span>
                    ) : null}
                    {!connection.enabled ? <span className="badge badge-muted">Disabled</span> : null}
                    {view.key.required && !view.key.stored ? <span className="badge badge-warning">No key</span> : null}
                  </div>
                  <div className="connection-meta">
                    {kindName(connection.kind)} · <span className="mono">{connection.defaultModel}</span>
                    {view.key.hint ? <> · key {view.key.hint}</> : null}
                    {view.usedBy > 0 ? (
                      <>
                        {' '}
                        · used by {view.usedBy} routing {view.usedBy === 1 ? 'entry' : 'entries'}
                      </>
                    ) : null}
                  </div>
                  <div className={connection.enabled ? `connection-health health-text-${health.color}` : 'connection-health muted'}>
                    {!connection.enabled ? 'Turned off: routing skips it until you turn it on. ' : null}
                    {health.color === 'grey' ? 'Not checked yet' : health.reason}
                    {health.color !== 'green' && health.lastError && !testState?.message ? (
                      <span className="connection-error">: {health.lastError.message}</span>
                    ) : null}
                  </div>
                  <LoadedModels models={view.loadedModels} />
                  <MonthSpend spend={monthToDate[connection.id]} cap={connection.monthlyBudgetUsd} />
                  {testState && !testState.running && testState.message ? (
                    <div className={testState.ok ? 'inline-message' : 'inline-message inline-message-error'} role="status">
                      {testState.message}
                    </div>
                  ) : null}
                </div>
                <div className="connection-actions">
                  <EnabledSwitch view={view} />
                  <button
                    type="button"
                    className={view.isPrimary ? 'star-button star-on' : 'star-button'}
                    aria-label={view.isPrimary ? `${connection.name} is Primary` : `Make ${connection.name} Primary`}
                    title={view.isPrimary ? 'Primary: chat answers from here' : 'Make Primary'}
                    disabled={view.isPrimary}
                    onClick={() => void setPrimary(connection.id)}
                  >
                    <Star size={16} fill={view.isPrimary ? 'currentColor' : 'none'} />
                  </button>
                  <button type="button" className="button-secondary" disabled={testState?.running} onClick={() => void test(connection.id)}>
                    {testState?.running ? 'Testing…' : 'Test connection'}
                  </button>
                  {isLocalServer(connection.kind) ? (
                    <button type="button" className="button-quiet" onClick={() => setOpen({ type: 'local-models', view })}>
                      Manage models
                    </button>
                  ) : null}
                  <button type="button" className="button-quiet" onClick={() => setOpen({ type: 'models', view })}>
                    {isLocalServer(connection.kind) ? 'Model facts' : 'Models'}
                  </button>
                  <button type="button" className="button-quiet" onClick={() => setOpen({ type: 'edit', view })}>
                    Edit
                  </button>
                  <button type="button" className="button-quiet danger-text" onClick={() => setOpen({ type: 'disconnect', view })}>
                    Disconnect
                  </button>
                </div>
              </li>
            );
          })}
        </ul>
      ) : null}
      {connections.length > 0 ? <PriceListPanel /> : null}
      {open?.type === 'add' ? <ConnectionDialog prefill={open.prefill} onClose={() => setOpen(null)} /> : null}
      {open?.type === 'edit' ? <ConnectionDialog editing={open.view} onClose={() => setOpen(null)} /> : null}
      {open?.type === 'disconnect' ? <DisconnectDialog view={open.view} onClose={() => setOpen(null)} /> : null}
      {open?.type === 'local-models' ? (
        <LocalModelsDialog
          view={connections.find((view) => view.connection.id === open.view.connection.id) ?? open.view}
          onClose={() => setOpen(null)}
        />
      ) : null}
      {open?.type === 'models' ? (
        <ModelsDialog
          view={connections.find((view) => view.connection.id === open.view.connection.id) ?? open.view}
          onClose={() => setOpen(null)}
        />
      ) : null}
    </section>
  );
}

/** On / off for one provider: routing skips a provider that is off (it stays set up, with its key). */
function EnabledSwitch({ view }: { view: ConnectionView }) {
  const update = useConnectionsStore((state) => state.update);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const { connection } = view;
  // Chat always answers from the Primary, so it stays on; another provider can be made Primary first.
  const locked = view.isPrimary && connection.enabled;
  const toggle = async (enabled: boolean) => {
    setBusy(true);
    const outcome = await update({ id: connection.id, enabled });
    setBusy(false);
    setError(outcome.ok ? null : outcome.error.message);
  };
  return (
    <span className="connection-switch">
      <label className="switch" title={locked ? 'The Primary stays on: make another provider Primary to turn this one off' : undefined}>
        <input
          type="checkbox"
          role="switch"
          aria-label={`Use ${connection.name}`}
          checked={connection.enabled}
          disabled={busy || locked}
          onChange={(event) => void toggle(event.target.checked)}
        />
        <span>{connection.enabled ? 'On' : 'Off'}</span>
      </label>
      {error ? (
        <span className="inline-message inline-message-error" role="alert">
          {error}
        </span>
      ) : null}
    </span>
  );
}

import { useEffect, useRef, useState, type FormEvent } from 'react';
import type { ConnectionView } from '../../../../../src-shared/schemas/connection-input';
import type { LocalModelEntry, PullProgress } from '../../../../../src-shared/schemas/local-models';
import { Dialog } from '../../../components/ui/Dialog';
import { formatDiskSize } from '../../../lib/disk-size';
import { useLocalModelsStore } from '../../../stores/local-models-store';
import './local-models.css';

/** The model manager of a local server: what is on its disk and in memory; pull and delete (Ollama). */
export function LocalModelsDialog({ view, onClose }: { view: ConnectionView; onClose(): void }) {
  const { connection } = view;
  const entry = useLocalModelsStore((state) => state.lists[connection.id]);
  const allPulls = useLocalModelsStore((state) => state.pulls);
  const load = useLocalModelsStore((state) => state.load);
  const pull = useLocalModelsStore((state) => state.pull);
  const [name, setName] = useState('');
  const [nameError, setNameError] = useState<string | null>(null);
  const [confirming, setConfirming] = useState<LocalModelEntry | null>(null);
  useEffect(() => {
    void load(connection.id);
  }, [load, connection.id]);
  const pulls = Object.values(allPulls).filter((progress) => progress.connectionId === connection.id);
  const list = entry?.list ?? null;
  const loadedCount = list?.models.filter((model) => model.loaded).length ?? 0;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const wanted = name.trim();
    if (!wanted) return setNameError('Type a model name, such as llama3.2 or qwen2.5:7b.');
    if (pulls.some((progress) => progress.name === wanted && progress.state === 'running'))
      return setNameError(`${wanted} is already being pulled.`);
    setNameError(null);
    setName('');
    const outcome = await pull(connection.id, wanted);
    if (!outcome.ok) {
      setName(wanted);
      setNameError(outcome.error.message);
    }
  };

  return (
    <Dialog
      title={`Models on ${connection.name}`}
      onClose={onClose}
      // A model name typed but not yet pulled is not dropped by Esc or a click beside the dialog.
      dirty={name.trim() !== ''}
      wide
      footer={
        <button type="button" className="button-primary" onClick={onClose}>
          Done
        </button>
      }
    >
      {list ? (
        <p className="local-models-summary" data-testid="local-models-summary">
          {list.models.length} model{list.models.length === 1 ? '' : 's'} · <strong>{formatDiskSize(list.diskBytes)}</strong> on disk ·{' '}
          {loadedCount === 0 ? 'none loaded' : `${loadedCount} loaded`}
        </p>
      ) : null}
      {list?.canManage ? (
        <form className="pull-form" onSubmit={(event) => void submit(event)} noValidate>
          <label className="field-label" htmlFor="pull-model-name">
            Pull a model
          </label>
          <div className="pull-form-row">
            <input
              id="pull-model-name"
              type="text"
              placeholder="llama3.2, qwen2.5:7b, hf.co/…"
              value={name}
              aria-invalid={nameError ? 'true' : undefined}
              aria-describedby={nameError ? 'pull-model-error' : 'pull-model-hint'}
              onChange={(event) => setName(event.target.value)}
            />
            <button type="submit" className="button-primary">
              Pull
            </button>
          </div>
          {nameError ? (
            <span className="field-error" id="pull-model-error" role="alert">
              {nameError}
            </span>
          ) : (
            <span className="field-hint" id="pull-model-hint">
              A name from the Ollama library, with its tag for a size or quantization. The download goes to {connection.name}’s own disk.
            </span>
          )}
        </form>
      ) : list ? (
        <p className="field-hint">This server downloads and deletes models in its own app; they show here once it lists them.</p>
      ) : null}
      {pulls.map((progress) => (
        <PullRow key={progress.name} progress={progress} />
      ))}
      {entry?.error ? (
        <div className="form-error" role="alert">
          Could not list the models of {connection.name}: {entry.error}{' '}
          <button type="button" className="button-quiet" onClick={() => void load(connection.id)}>
            Try again
          </button>
        </div>
      ) : null}
      {!list && !entry?.error ? <p className="muted">Asking {connection.name} for its models…</p> : null}
      {list && list.models.length === 0 ? (
        <p className="local-models-empty">
          No models on {connection.name} yet.{list.canManage ? ' Pull one by name above, for example llama3.2.' : ''}
        </p>
      ) : null}
      {confirming ? (
        <DeleteConfirmation
          connectionId={connection.id}
          model={confirming}
          isDefault={confirming.name === connection.defaultModel}
          onDone={() => setConfirming(null)}
        />
      ) : null}
      {list && list.models.length > 0 ? (
        <div className="table-scroll">
          <table className="data-table local-models-table">
            <thead>
              <tr>
                <th>Model</th>
                <th>Size</th>
                <th>Parameters</th>
                <th>Quantization</th>
                <th>State</th>
                {list.canManage ? (
                  <th>
                    <span className="visually-hidden">Actions</span>
                  </th>
                ) : null}
              </tr>
            </thead>
            <tbody>
              {list.models.map((model) => (
                <tr key={model.name} data-model={model.name}>
                  <td className="mono">
                    {model.name}
                    {model.name === connection.defaultModel ? <span className="badge badge-primary">default</span> : null}
                  </td>
                  <td>{model.sizeBytes === null ? 'unknown' : formatDiskSize(model.sizeBytes)}</td>
                  <td>{model.parameterSize ?? 'unknown'}</td>
                  <td>{model.quantization ?? 'unknown'}</td>
                  <td>{model.loaded ? <span className="badge badge-loaded">Loaded</span> : <span className="muted">on disk</span>}</td>
                  {list.canManage ? (
                    <td className="local-models-actions">
                      <button
                        type="button"
                        className="button-quiet danger-text"
                        aria-label={`Delete ${model.name}`}
                        onClick={() => setConfirming(model)}
                      >
                        Delete
                      </button>
                    </td>
                  ) : null}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </Dialog>
  );
}

/** One pull: a progress bar and Cancel while it runs; why it failed, or that it was cancelled, after. */
function PullRow({ progress }: { progress: PullProgress }) {
  const cancelPull = useLocalModelsStore((state) => state.cancelPull);
  const dismissPull = useLocalModelsStore((state) => state.dismissPull);
  const { connectionId, name } = progress;
  const share = progress.totalBytes ? Math.min(1, (progress.completedBytes ?? 0) / progress.totalBytes) : null;
  if (progress.state === 'running') {
    return (
      <div className="pull-row" data-pull={name}>
        <div className="pull-row-head">
          <strong className="mono">{name}</strong>
          <span className="muted">
            {progress.status}
            {share !== null
              ? ` · ${formatDiskSize(progress.completedBytes ?? 0)} of ${formatDiskSize(progress.totalBytes ?? 0)} (${Math.floor(share * 100)}%)`
              : ''}
          </span>
          <button type="button" className="button-secondary" onClick={() => void cancelPull(connectionId, name)}>
            Cancel
          </button>
        </div>
        <progress
          className="pull-progress"
          aria-label={`Pulling ${name}`}
          {...(share !== null ? { value: Math.round(share * 1000), max: 1000 } : {})}
        />
      </div>
    );
  }
  const words =
    progress.state === 'done'
      ? `${name} is pulled and ready.`
      : progress.state === 'cancelled'
        ? `The pull of ${name} was cancelled; nothing of it is kept in the list.`
        : (progress.error ?? `The pull of ${name} failed.`);
  return (
    <div
      className={progress.state === 'failed' ? 'pull-row pull-row-failed' : 'pull-row'}
      data-pull={name}
      role={progress.state === 'failed' ? 'alert' : 'status'}
    >
      <div className="pull-row-head">
        <span>{words}</span>
        <button type="button" className="button-quiet" onClick={() => dismissPull(connectionId, name)}>
          Dismiss
        </button>
      </div>
    </div>
  );
}

function DeleteConfirmation(props: { connectionId: string; model: LocalModelEntry; isDefault: boolean; onDone(): void }) {
  const remove = useLocalModelsStore((state) => state.remove);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const { model } = props;
  const keep = useRef<HTMLButtonElement>(null);
  // The question takes the focus, on the safe answer.
  useEffect(() => keep.current?.focus(), [model.name]);
  const confirm = async () => {
    setBusy(true);
    const outcome = await remove(props.connectionId, model.name);
    setBusy(false);
    if (outcome.ok) props.onDone();
    else setError(outcome.error.message);
  };
  return (
    <div className="delete-confirmation" role="alertdialog" aria-labelledby="delete-model-title" aria-describedby="delete-model-detail">
      <strong id="delete-model-title">Delete {model.name}?</strong>
      <p id="delete-model-detail">
        Its files{model.sizeBytes !== null ? ` (${formatDiskSize(model.sizeBytes)})` : ''} are removed from the server’s disk; pulling it
        again downloads it again.
        {props.isDefault ? ' It is this connection’s default model: chat and tasks on it fail until you choose another in Edit.' : ''}
      </p>
      {error ? (
        <p className="form-error" role="alert">
          {error}
        </p>
      ) : null}
      <div className="delete-confirmation-actions">
        <button ref={keep} type="button" className="button-secondary" onClick={props.onDone}>
          Keep it
        </button>
        <button type="button" className="button-danger" disabled={busy} onClick={() => void confirm()}>
          {busy ? 'Deleting…' : `Delete ${model.name}`}
        </button>
      </div>
    </div>
  );
}

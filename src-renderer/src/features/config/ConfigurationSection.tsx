import './config.css';
import { Download, History, Upload } from 'lucide-react';
import { useEffect } from 'react';
import type { ConfigSource } from '../../../../src-shared/schemas/config-history';
import { Dialog } from '../../components/ui/Dialog';
import { formatFullMoment } from '../../lib/date-time';
import { useConfigStore } from '../../stores/config-store';
import { ChangeList } from './change-list';
import { ImportDialog } from './ImportDialog';

const sourceWords: Record<ConfigSource, string> = { app: 'Edited in the app', import: 'Imported', rollback: 'Rollback' };

function saveFile(fileName: string, text: string, type = 'application/json'): void {
  const link = document.createElement('a');
  link.href = URL.createObjectURL(new Blob([text], { type }));
  link.download = fileName;
  link.click();
  setTimeout(() => URL.revokeObjectURL(link.href), 1_000);
}

/** Export and import of the whole configuration, and its history with rollback. */
export function ConfigurationSection() {
  const {
    history,
    historyError,
    error,
    opened,
    loadHistory,
    exportFile,
    exportLitellmFile,
    previewFile,
    previewRollback,
    openVersion,
    closeVersion,
    check,
  } = useConfigStore();
  useEffect(() => {
    void loadHistory();
  }, [loadHistory]);
  const latestId = history[0]?.id;

  return (
    <section className="settings-section" aria-labelledby="configuration-title">
      <div className="section-header">
        <div>
          <h2 id="configuration-title">Configuration file and history</h2>
          <p className="section-help">
            Export your providers (without keys), agents, rules, tiers and routes as one file. The same file runs the headless gateway (
            <code>npm run gateway -- --config file</code>); Export for LiteLLM writes the same routing as a LiteLLM proxy{' '}
            <code>config.yaml</code> for a shared team gateway. Every applied change is kept below and can be rolled back.
          </p>
        </div>
        <div className="view-actions">
          <button
            type="button"
            className="button-secondary"
            onClick={() =>
              void exportFile().then((file) => {
                if (file) saveFile(file.fileName, file.text);
              })
            }
          >
            <Download size={15} /> Export
          </button>
          <button
            type="button"
            className="button-secondary"
            title="The same routing as a LiteLLM proxy config.yaml, for a shared team gateway"
            onClick={() =>
              void exportLitellmFile().then((file) => {
                if (file) saveFile(file.fileName, file.text, 'application/yaml');
              })
            }
          >
            <Download size={15} /> Export for LiteLLM
          </button>
          <label className="button-secondary file-button">
            <Upload size={15} /> Import…
            <input
              type="file"
              accept="application/json,.json"
              hidden
              aria-label="Import a configuration file"
              onChange={(event) => {
                const file = event.target.files?.[0];
                if (file) void file.text().then((text) => previewFile(file.name, text));
                event.target.value = '';
              }}
            />
          </label>
        </div>
      </div>
      {error && !check ? (
        <p className="form-error" role="alert">
          {error}
        </p>
      ) : null}
      {historyError ? <p className="form-error">{historyError}</p> : null}
      {history.length === 0 && !historyError ? (
        <p className="empty-inline">No versions yet. The first one is kept as soon as you add a provider or change routing.</p>
      ) : null}
      {history.length > 0 ? (
        <ol className="version-list" aria-label="Configuration history">
          {history.map((version) => (
            <li key={version.id} className="version-row" data-version={version.id}>
              <div className="version-head">
                <History size={14} aria-hidden />
                <strong>Version {version.id}</strong>
                <span className="badge">{sourceWords[version.source]}</span>
                {version.id === latestId ? <span className="badge badge-current">Current</span> : null}
                <span className="version-time">{formatFullMoment(version.at)}</span>
                <span className="row-actions">
                  <button type="button" className="button-quiet" onClick={() => void openVersion(version.id)}>
                    Compare with now
                  </button>
                  {version.id !== latestId ? (
                    <button type="button" className="button-quiet" onClick={() => void previewRollback(version.id)}>
                      Roll back…
                    </button>
                  ) : null}
                </span>
              </div>
              {version.note ? <p className="version-note">{version.note}</p> : null}
              <ChangeList changes={version.changes} empty={version.note ? '' : 'No routing changes.'} />
            </li>
          ))}
        </ol>
      ) : null}
      {opened ? (
        <Dialog
          title={`Version ${opened.version.id} compared with now`}
          onClose={closeVersion}
          wide
          footer={
            <>
              <button type="button" className="button-secondary" onClick={closeVersion}>
                Close
              </button>
              {opened.version.id !== latestId ? (
                <button type="button" className="button-primary" onClick={() => void previewRollback(opened.version.id)}>
                  Roll back to this version…
                </button>
              ) : null}
            </>
          }
        >
          <p className="section-help">
            {sourceWords[opened.version.source]}, {formatFullMoment(opened.version.at)}. What changed from then to now:
          </p>
          <ChangeList changes={opened.sinceThen} empty="Nothing: this version is the configuration you have now." />
        </Dialog>
      ) : null}
      <ImportDialog />
    </section>
  );
}

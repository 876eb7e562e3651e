import type { LoadedModel } from '../../../../../src-shared/schemas/local-models';
import { formatDiskSize } from '../../../lib/disk-size';
import './local-models.css';

/** "Loaded: llama3.2:3b (2.0 GB)": what a local server holds in memory, as of its last check. */
export function LoadedModels({ models }: { models: LoadedModel[] | null }) {
  if (models === null) return null;
  return (
    <div className="loaded-models" data-testid="loaded-models">
      {models.length === 0 ? (
        'No model loaded: the next call loads its model first'
      ) : (
        <>
          Loaded:{' '}
          {models.map((model, index) => (
            <span key={model.name}>
              {index > 0 ? ', ' : ''}
              <strong className="mono">{model.name}</strong>
              {model.sizeBytes !== null ? ` (${formatDiskSize(model.sizeBytes)})` : ''}
            </span>
          ))}
        </>
      )}
    </div>
  );
}

import { Download, Trash2, Upload } from 'lucide-react';
import { useState } from 'react';
import { routeSchema, type Route } from '../../../../src-shared/schemas/routing';
import { LintBadge } from '../config/LintPanel';
import { useConnectionsStore } from '../../stores/connections-store';
import { useConfigDraftStore } from '../../stores/config-draft-store';
import { ConnectionSelect, notMatchingReason, numberFrom } from './connection-options';
import { ModelField } from './ModelField';
import { OrderButtons } from './OrderButtons';

function download(route: Route): void {
  const blob = new Blob([`${JSON.stringify(route, null, 2)}\n`], { type: 'application/json' });
  const link = document.createElement('a');
  link.href = URL.createObjectURL(blob);
  link.download = `route-${route.id}-v${route.version}.json`;
  link.click();
  setTimeout(() => URL.revokeObjectURL(link.href), 1_000);
}

export function RoutesSection() {
  const { routing: draft, errors, changeRouting: change } = useConfigDraftStore();
  const connections = useConnectionsStore((state) => state.connections);
  const [importError, setImportError] = useState<string | null>(null);
  if (!draft) return null;
  const setRoute = (index: number, patch: Partial<Route>) =>
    void change((config) => ({ ...config, routes: config.routes.map((route, at) => (at === index ? { ...route, ...patch } : route)) }));
  const addRoute = () =>
    void change((config) => {
      let id = 'new-route';
      for (let n = 2; config.routes.some((route) => route.id === id); n += 1) id = `new-route-${n}`;
      const first = connections[0]?.connection;
      const targets = first ? [{ connectionId: first.id, model: first.defaultModel }] : [];
      return {
        ...config,
        routes: [...config.routes, { id, name: 'New route', description: '', version: 1, sameProviderRetries: 1, targets }],
      };
    });
  const importRoute = async (file: File) => {
    setImportError(null);
    let parsed: unknown;
    try {
      parsed = JSON.parse(await file.text());
    } catch {
      return setImportError(`${file.name} is not JSON. Export a route from Switchboard and import that file.`);
    }
    const route = routeSchema.safeParse(parsed);
    if (!route.success) {
      const issue = route.error.issues[0];
      return setImportError(`${file.name} is not a valid route: ${issue?.path.join('.') || 'route'}: ${issue?.message}`);
    }
    const exists = draft.routes.some((existing) => existing.id === route.data.id);
    await change((config) => ({
      ...config,
      routes: exists
        ? config.routes.map((existing) => (existing.id === route.data.id ? route.data : existing))
        : [...config.routes, route.data],
    }));
  };

  return (
    <section className="settings-section" aria-labelledby="routes-title">
      <div className="section-header">
        <div>
          <h2 id="routes-title">Routes</h2>
          <p className="section-help">A named chain of models a task or a gateway client can ask for.</p>
          <p className="order-note" data-testid="order-note">
            Order: top to bottom; each model is tried again as many times as Retries says, then the next one takes over.
          </p>
        </div>
        <div className="view-actions">
          <label className="button-secondary file-button">
            <Upload size={15} /> Import
            <input
              type="file"
              accept="application/json,.json"
              hidden
              onChange={(event) => {
                const file = event.target.files?.[0];
                if (file) void importRoute(file);
                event.target.value = '';
              }}
            />
          </label>
          <button type="button" className="button-secondary" onClick={addRoute}>
            Add route
          </button>
        </div>
      </div>
      {importError ? (
        <p className="form-error" role="alert">
          {importError}
        </p>
      ) : null}
      {draft.routes.length === 0 ? <p className="empty-inline">No routes yet. Add one, or import a route someone exported.</p> : null}
      <div className="card-list">
        {draft.routes.map((route, routeIndex) => {
          const path = `routes.${routeIndex}`;
          return (
            <div key={`${routeIndex}-${route.id}`} className="card" data-route={route.id}>
              <div className="card-fields">
                <label className="field compact">
                  <span className="field-label">Name</span>
                  <input
                    type="text"
                    defaultValue={route.name}
                    onBlur={(event) => event.target.value !== route.name && setRoute(routeIndex, { name: event.target.value })}
                  />
                  {errors[`${path}.name`] ? <span className="field-error">{errors[`${path}.name`]}</span> : null}
                </label>
                <label className="field compact">
                  <span className="field-label">Id</span>
                  <input
                    type="text"
                    defaultValue={route.id}
                    onBlur={(event) => event.target.value !== route.id && setRoute(routeIndex, { id: event.target.value.trim() })}
                  />
                  {errors[`${path}.id`] ? <span className="field-error">{errors[`${path}.id`]}</span> : null}
                </label>
                <label className="field compact narrow">
                  <span className="field-label">Retries</span>
                  <input
                    type="number"
                    min={0}
                    max={5}
                    defaultValue={route.sameProviderRetries}
                    onChange={(event) => setRoute(routeIndex, { sameProviderRetries: numberFrom(event.target.value) })}
                  />
                  {errors[`${path}.sameProviderRetries`] ? (
                    <span className="field-error">{errors[`${path}.sameProviderRetries`]}</span>
                  ) : null}
                </label>
                <span className="badge version-badge">v{route.version}</span>
                <LintBadge target={{ kind: 'route', id: route.id }} />
                <button
                  type="button"
                  className="icon-button"
                  aria-label={`Export route ${route.name}`}
                  title="Export as JSON"
                  onClick={() => download(route)}
                >
                  <Download size={15} />
                </button>
                <button
                  type="button"
                  className="icon-button danger-text"
                  aria-label={`Delete route ${route.name}`}
                  onClick={() => void change((config) => ({ ...config, routes: config.routes.filter((_, at) => at !== routeIndex) }))}
                >
                  <Trash2 size={15} />
                </button>
              </div>
              <label className="field compact wide">
                <span className="field-label">Description</span>
                <input
                  type="text"
                  defaultValue={route.description}
                  onBlur={(event) => event.target.value !== route.description && setRoute(routeIndex, { description: event.target.value })}
                />
              </label>
              {errors[`${path}.targets`] ? <p className="field-error">{errors[`${path}.targets`]}</p> : null}
              <ol className="target-list">
                {route.targets.map((target, targetIndex) => {
                  const problem = notMatchingReason(target.connectionId, connections);
                  const setTarget = (patch: Partial<typeof target>) =>
                    setRoute(routeIndex, { targets: route.targets.map((item, at) => (at === targetIndex ? { ...item, ...patch } : item)) });
                  const move = (by: -1 | 1) => {
                    const next = [...route.targets];
                    const [item] = next.splice(targetIndex, 1);
                    if (item) next.splice(targetIndex + by, 0, item);
                    setRoute(routeIndex, { targets: next });
                  };
                  return (
                    <li key={`${targetIndex}-${target.connectionId}-${target.model}`} className="target-row">
                      <span className="target-step">{targetIndex === 0 ? 'Use' : 'Then try'}</span>
                      <ConnectionSelect
                        label={`Provider of target ${targetIndex + 1} of ${route.name}`}
                        value={target.connectionId}
                        connections={connections}
                        onChange={(connectionId) => setTarget({ connectionId })}
                      />
                      <ModelField
                        label={`Model of target ${targetIndex + 1} of ${route.name}`}
                        view={connections.find((view) => view.connection.id === target.connectionId)}
                        value={target.model}
                        onCommit={(model) => setTarget({ model })}
                      />
                      <span className={problem ? 'status-bad' : 'status-ok'}>{problem ?? 'Matches'}</span>
                      <LintBadge target={{ kind: 'route', id: route.id, entry: targetIndex }} />
                      <span className="row-actions">
                        <OrderButtons
                          item={`target ${targetIndex + 1} of ${route.name}`}
                          index={targetIndex}
                          count={route.targets.length}
                          onMove={move}
                          onDelete={() => setRoute(routeIndex, { targets: route.targets.filter((_, at) => at !== targetIndex) })}
                        />
                      </span>
                    </li>
                  );
                })}
              </ol>
              <button
                type="button"
                className="button-quiet"
                disabled={connections.length === 0}
                onClick={() => {
                  const first = connections[0]?.connection;
                  if (first) setRoute(routeIndex, { targets: [...route.targets, { connectionId: first.id, model: first.defaultModel }] });
                }}
              >
                Add target
              </button>
            </div>
          );
        })}
      </div>
    </section>
  );
}

import { useState } from 'react';
import { keepAliveSchema, localModelSettingsSchema } from '../../../../../src-shared/schemas/settings';
import { Field } from '../../../components/ui/Field';
import { useAppStore } from '../../../stores/app-store';
import { useConnectionsStore } from '../../../stores/connections-store';
import './local-models.css';

const contextSchema = localModelSettingsSchema.shape.contextTokens;

/** How local models run: the context they get, how long they stay loaded, and warming the Primary's at start. */
export function LocalModelSettingsSection() {
  const settings = useAppStore((state) => state.settings);
  const updateSettings = useAppStore((state) => state.updateSettings);
  const [errors, setErrors] = useState<{ contextTokens?: string; keepAlive?: string }>({});
  const hasLocalServer = useConnectionsStore((state) =>
    state.connections.some((view) => state.profiles.some((profile) => profile.kind === view.connection.kind && profile.localServer)),
  );
  if (!settings || !hasLocalServer) return null;
  const local = settings.localModels;

  const saveContext = (raw: string) => {
    const parsed = contextSchema.safeParse(Number(raw.trim()));
    if (!raw.trim() || !parsed.success) {
      return setErrors({ ...errors, contextTokens: parsed.success ? 'Type a number of tokens.' : parsed.error.issues[0]?.message });
    }
    setErrors({ ...errors, contextTokens: undefined });
    if (parsed.data !== local.contextTokens) void updateSettings({ localModels: { contextTokens: parsed.data } });
  };
  const saveKeepAlive = (raw: string) => {
    const parsed = keepAliveSchema.safeParse(raw);
    if (!parsed.success) return setErrors({ ...errors, keepAlive: parsed.error.issues[0]?.message });
    setErrors({ ...errors, keepAlive: undefined });
    if (parsed.data !== local.keepAlive) void updateSettings({ localModels: { keepAlive: parsed.data } });
  };

  return (
    <section className="settings-section" aria-labelledby="local-models-title">
      <h2 id="local-models-title">Local models</h2>
      <p className="section-help">
        How Ollama runs your models. A prompt larger than a model’s context is refused or sent elsewhere instead of being cut by the server.
      </p>
      <div className="local-settings-grid">
        <Field
          label="Context size (tokens)"
          hint="Each model runs with this or its own maximum, whichever is smaller."
          error={errors.contextTokens}
        >
          <input
            type="number"
            min={512}
            step={1024}
            defaultValue={local.contextTokens}
            onBlur={(event) => saveContext(event.target.value)}
          />
        </Field>
        <Field label="Keep loaded after a call" hint="30s, 10m, 1h; 0 unloads at once, -1 keeps it loaded." error={errors.keepAlive}>
          <input type="text" defaultValue={local.keepAlive} onBlur={(event) => saveKeepAlive(event.target.value)} />
        </Field>
      </div>
      <label className="check-row">
        <input
          type="checkbox"
          checked={local.warmPrimary}
          onChange={(event) => void updateSettings({ localModels: { warmPrimary: event.target.checked } })}
        />
        <span>
          <strong>Load the Primary’s model when Switchboard starts</strong>
          <br />
          <span className="muted">
            When the Primary is a local server, its model is loaded at start so the first chat does not wait for it.
          </span>
        </span>
      </label>
    </section>
  );
}

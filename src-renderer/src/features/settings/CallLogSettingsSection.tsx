import { useState } from 'react';
import { callLogSettingsSchema } from '../../../../src-shared/schemas/settings';
import { Field } from '../../components/ui/Field';
import { useAppStore } from '../../stores/app-store';

type NumberField = 'retentionDays' | 'maxTextMegabytes';

/** What the Activity call log keeps: prompts and answers or figures only, and for how long. */
export function CallLogSettingsSection() {
  const settings = useAppStore((state) => state.settings);
  const updateSettings = useAppStore((state) => state.updateSettings);
  const [errors, setErrors] = useState<Partial<Record<NumberField, string>>>({});
  if (!settings) return null;
  const log = settings.callLog;

  const save = (field: NumberField, raw: string) => {
    const parsed = callLogSettingsSchema.shape[field].safeParse(Number(raw.trim()));
    if (!raw.trim() || !parsed.success) {
      return setErrors({ ...errors, [field]: parsed.success ? 'Type a number.' : parsed.error.issues[0]?.message });
    }
    setErrors({ ...errors, [field]: undefined });
    if (parsed.data !== log[field]) void updateSettings({ callLog: { [field]: parsed.data } });
  };

  return (
    <section className="settings-section" aria-labelledby="call-log-settings-title">
      <h2 id="call-log-settings-title">Call log</h2>
      <p className="section-help">Activity lists every call from this log. It stays on this computer and never holds a key.</p>
      <label className="check-row">
        <input
          type="checkbox"
          checked={log.storeTexts}
          onChange={(event) => void updateSettings({ callLog: { storeTexts: event.target.checked } })}
        />
        <span>
          <strong>Store prompts and answers in the call log</strong>
          <br />
          <span className="muted">
            On: each call keeps its prompt and answer (shortened to 8 KB each), to read in Activity and in exports. Off: only who answered,
            how fast and what it cost; calls already logged keep their texts until they are removed.
          </span>
        </span>
      </label>
      <div className="call-log-settings-grid">
        <Field label="Keep calls for (days)" hint="Older calls are removed when Switchboard starts." error={errors.retentionDays}>
          <input type="number" min={1} defaultValue={log.retentionDays} onBlur={(event) => save('retentionDays', event.target.value)} />
        </Field>
        <Field
          label="Stored prompts and answers up to (MB)"
          hint="Over this, the oldest calls are removed first."
          error={errors.maxTextMegabytes}
        >
          <input
            type="number"
            min={1}
            defaultValue={log.maxTextMegabytes}
            onBlur={(event) => save('maxTextMegabytes', event.target.value)}
          />
        </Field>
      </div>
    </section>
  );
}

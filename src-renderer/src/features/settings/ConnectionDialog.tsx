import { useMemo, useState } from 'react';
import type { ProviderKind } from '../../../../src-shared/schemas/connection';
import { connectionPresets } from '../../../../src-shared/schemas/connection-presets';
import type { ConnectionView, NewConnectionInput } from '../../../../src-shared/schemas/connection-input';
import { looksLocal, sendsKeyInTheClear } from '../../../../src-shared/schemas/locality';
import { Dialog } from '../../components/ui/Dialog';
import { Field } from '../../components/ui/Field';
import { useConnectionsStore } from '../../stores/connections-store';
import { AzureFields } from './AzureFields';
import { parseCap, validate, type Draft, type Errors } from './connection-draft';
import { RateLimitFields, rateLimitDraft, rateLimitsFromDraft } from './RateLimitFields';

export function ConnectionDialog(props: { editing?: ConnectionView; prefill?: Partial<NewConnectionInput>; onClose(): void }) {
  const { profiles, connections, add, update, discoverModels } = useConnectionsStore();
  const existing = props.editing?.connection;
  const [initialDraft] = useState<Draft>(() => ({
    kind: existing?.kind ?? props.prefill?.kind ?? '',
    name: existing?.name ?? props.prefill?.name ?? '',
    apiKey: '',
    baseUrl: existing?.baseUrl ?? props.prefill?.baseUrl ?? '',
    defaultModel: existing?.defaultModel ?? props.prefill?.defaultModel ?? '',
    azureApiVersion: existing?.azure?.apiVersion ?? '2024-10-21',
    deployments: existing?.azure?.deployments.length ? existing.azure.deployments : [{ alias: '', deployment: '' }],
    monthlyBudget: existing?.monthlyBudgetUsd == null ? '' : String(existing.monthlyBudgetUsd),
    local: existing?.local ?? null,
    rateLimits: rateLimitDraft(existing?.rateLimits),
  }));
  const [draft, setDraft] = useState<Draft>(initialDraft);
  /** Esc or a click beside the dialog asks before throwing this away. */
  const dirty = JSON.stringify(draft) !== JSON.stringify(initialDraft);
  const local = draft.local ?? looksLocal(draft.baseUrl);
  const keyInTheClear =
    (draft.apiKey.trim() !== '' || Boolean(props.editing?.key.stored)) && sendsKeyInTheClear(draft.baseUrl, draft.local);
  const [errors, setErrors] = useState<Errors>({});
  /** The preset the form was filled from, shown in the provider list until another type is chosen. */
  const [presetId, setPresetId] = useState<string | null>(null);
  const [formError, setFormError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [models, setModels] = useState<string[]>(() => existing?.models.map((model) => model.id) ?? props.prefill?.discoveredModels ?? []);
  const [discovery, setDiscovery] = useState<{ running: boolean; message: string | null; ok: boolean }>({
    running: false,
    message: null,
    ok: true,
  });
  const profile = profiles.find((candidate) => candidate.kind === draft.kind);
  const otherNames = useMemo(
    () => connections.filter((view) => view.connection.id !== existing?.id).map((view) => view.connection.name),
    [connections, existing?.id],
  );

  const change = (patch: Partial<Draft>) => {
    setDraft((current) => ({ ...current, ...patch }));
    setErrors((current) => {
      const next = { ...current };
      for (const key of Object.keys(patch)) delete next[key];
      return next;
    });
  };

  const choosePreset = (id: string) => {
    const preset = connectionPresets.find((candidate) => candidate.id === id);
    if (!preset) return;
    const kindProfile = profiles.find((candidate) => candidate.kind === preset.kind);
    setPresetId(preset.id);
    change({
      kind: preset.kind,
      name: preset.name,
      baseUrl: preset.baseUrl,
      local: preset.local,
      defaultModel: kindProfile?.defaultModel ?? '',
    });
    setModels([]);
    setDiscovery({ running: false, message: null, ok: true });
  };

  const chooseKind = (kind: ProviderKind | '') => {
    setPresetId(null);
    const next = profiles.find((candidate) => candidate.kind === kind);
    const previous = profile;
    change({
      kind,
      baseUrl: !draft.baseUrl || draft.baseUrl === previous?.defaultBaseUrl ? (next?.defaultBaseUrl ?? '') : draft.baseUrl,
      defaultModel: !draft.defaultModel || draft.defaultModel === previous?.defaultModel ? (next?.defaultModel ?? '') : draft.defaultModel,
      name: !draft.name || draft.name === previous?.displayName ? (next?.displayName ?? '') : draft.name,
    });
    setModels([]);
    setDiscovery({ running: false, message: null, ok: true });
  };

  const azure = () =>
    draft.kind === 'azure-openai'
      ? {
          apiVersion: draft.azureApiVersion.trim(),
          deployments: draft.deployments
            .filter((row) => row.alias.trim() && row.deployment.trim())
            .map((row) => ({ alias: row.alias.trim(), deployment: row.deployment.trim() })),
        }
      : undefined;

  const findModels = async () => {
    if (!draft.kind) return setErrors({ kind: 'Choose a provider type first.' });
    setDiscovery({ running: true, message: null, ok: true });
    const result = await discoverModels({
      kind: draft.kind,
      baseUrl: draft.baseUrl.trim(),
      ...(draft.apiKey.trim() ? { apiKey: draft.apiKey.trim() } : {}),
      ...(existing ? { connectionId: existing.id } : {}),
      ...(azure() ? { azure: azure() } : {}),
    });
    setDiscovery({ running: false, message: result.message, ok: result.ok });
    if (result.ok) {
      setModels(result.models);
      if (!draft.defaultModel && result.models[0]) change({ defaultModel: result.models[0] });
    }
  };

  const submit = async () => {
    const found = validate(draft, profile?.keyRequired ?? true, Boolean(existing), otherNames);
    setErrors(found);
    setFormError(null);
    if (Object.keys(found).length > 0 || !draft.kind) return;
    setBusy(true);
    const outcome = existing
      ? await update({
          id: existing.id,
          name: draft.name.trim(),
          baseUrl: draft.baseUrl.trim(),
          defaultModel: draft.defaultModel.trim(),
          monthlyBudgetUsd: parseCap(draft.monthlyBudget) ?? null,
          rateLimits: rateLimitsFromDraft(draft.rateLimits),
          ...(draft.apiKey.trim() ? { apiKey: draft.apiKey.trim() } : {}),
          ...(azure() ? { azure: azure() } : {}),
          local: draft.local,
        })
      : await add({
          kind: draft.kind,
          name: draft.name.trim(),
          baseUrl: draft.baseUrl.trim(),
          defaultModel: draft.defaultModel.trim(),
          monthlyBudgetUsd: parseCap(draft.monthlyBudget) ?? null,
          rateLimits: rateLimitsFromDraft(draft.rateLimits),
          ...(draft.apiKey.trim() ? { apiKey: draft.apiKey.trim() } : {}),
          ...(azure() ? { azure: azure() } : {}),
          local: draft.local,
          discoveredModels: models,
        });
    setBusy(false);
    if (outcome.ok) return props.onClose();
    if (outcome.error.field) setErrors({ [outcome.error.field]: outcome.error.message });
    else setFormError(outcome.error.message);
  };

  const keyPlaceholder = existing
    ? props.editing?.key.hint
      ? `${props.editing.key.hint}: leave empty to keep it`
      : 'No key stored'
    : profile && !profile.keyRequired
      ? 'Not needed for this provider'
      : 'Paste your API key';

  return (
    <Dialog
      title={existing ? `Edit ${existing.name}` : 'Add provider'}
      onClose={props.onClose}
      dirty={dirty}
      footer={
        <>
          <button type="button" className="button-secondary" onClick={props.onClose}>
            Cancel
          </button>
          <button type="button" className="button-primary" disabled={busy} onClick={() => void submit()}>
            {busy ? 'Saving…' : existing ? 'Save' : 'Add provider'}
          </button>
        </>
      }
    >
      <form
        className="form-grid"
        onSubmit={(event) => {
          event.preventDefault();
          void submit();
        }}
      >
        <Field
          label="Provider type"
          error={errors.kind}
          hint={connectionPresets.find((preset) => preset.id === presetId)?.hint ?? profile?.docsHint}
        >
          <select
            value={presetId ? `preset:${presetId}` : draft.kind}
            disabled={Boolean(existing)}
            onChange={(event) => {
              const value = event.target.value;
              if (value.startsWith('preset:')) choosePreset(value.slice('preset:'.length));
              else chooseKind(value as ProviderKind | '');
            }}
          >
            <option value="">Choose a provider…</option>
            {profiles.map((option) => (
              <option key={option.kind} value={option.kind}>
                {option.displayName}
              </option>
            ))}
            {connectionPresets.map((preset) => (
              <option key={preset.id} value={`preset:${preset.id}`}>
                {preset.label}
              </option>
            ))}
          </select>
        </Field>
        <Field label="Name" error={errors.name} hint="How this connection appears in rules, badges and the call log.">
          <input type="text" value={draft.name} maxLength={60} onChange={(event) => change({ name: event.target.value })} />
        </Field>
        <Field label="API key" error={errors.apiKey} hint="Stored in your system keychain, never in a file.">
          <input
            type="password"
            autoComplete="off"
            spellCheck={false}
            value={draft.apiKey}
            placeholder={keyPlaceholder}
            onChange={(event) => change({ apiKey: event.target.value })}
          />
        </Field>
        <Field label="Base URL" error={errors.baseUrl}>
          <input type="url" spellCheck={false} value={draft.baseUrl} onChange={(event) => change({ baseUrl: event.target.value })} />
        </Field>
        {keyInTheClear ? (
          <p className="inline-message inline-message-error" role="alert">
            This address uses plain http:// to a host that is not on your machine or network: the API key would cross the network
            unencrypted. Use https:// unless you trust every network in between.
          </p>
        ) : null}
        <label className="check-row">
          <input type="checkbox" checked={local} onChange={(event) => change({ local: event.target.checked })} />
          <span>
            <strong>Stays on my machine or network</strong>
            <br />
            <span className="muted">
              {draft.local === null
                ? `Guessed from the address: ${local ? 'local' : 'not local'}. `
                : 'Your choice, whatever the address. '}
              Local-only work goes only to connections marked this way.
            </span>
          </span>
        </label>
        {draft.kind === 'azure-openai' ? (
          <AzureFields
            apiVersion={draft.azureApiVersion}
            deployments={draft.deployments}
            errors={errors}
            onChange={(patch) => change(patch)}
          />
        ) : null}
        <Field
          label="Default model"
          error={errors.defaultModel}
          hint={
            models.length
              ? `${models.length} models found: pick one or type a name.`
              : 'Type a model name, or find the models this key can use.'
          }
        >
          <input
            type="text"
            list="connection-models"
            spellCheck={false}
            value={draft.defaultModel}
            onChange={(event) => change({ defaultModel: event.target.value })}
          />
        </Field>
        <datalist id="connection-models">
          {models.map((model) => (
            <option key={model} value={model} />
          ))}
        </datalist>
        <div className="inline-actions">
          <button type="button" className="button-secondary" disabled={discovery.running} onClick={() => void findModels()}>
            {discovery.running ? 'Looking…' : 'Find models'}
          </button>
          {discovery.message ? (
            <span className={discovery.ok ? 'inline-message' : 'inline-message inline-message-error'} role="status">
              {discovery.message}
            </span>
          ) : null}
        </div>
        <Field
          label="Monthly cap (US$)"
          error={errors.monthlyBudgetUsd}
          hint="Over the cap this month, tasks and gateway calls skip this connection and go to the next backend. Empty: no cap."
        >
          <input
            type="text"
            inputMode="decimal"
            placeholder="No cap"
            value={draft.monthlyBudget}
            onChange={(event) => change({ monthlyBudget: event.target.value })}
          />
        </Field>
        <RateLimitFields
          draft={draft.rateLimits}
          errors={errors}
          learned={connections.find((view) => view.connection.id === existing?.id)?.learnedRateLimits ?? props.editing?.learnedRateLimits}
          saved={Boolean(existing)}
          onChange={(rateLimits) => change({ rateLimits })}
        />
        {formError ? (
          <p className="form-error" role="alert">
            {formError}
          </p>
        ) : null}
        <button type="submit" hidden />
      </form>
    </Dialog>
  );
}

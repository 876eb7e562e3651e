import { useState } from 'react';
import { agentDisplayName, agentSchema, type Agent } from '../../../../src-shared/schemas/agent';
import type { Capability } from '../../../../src-shared/schemas/connection';
import { Dialog } from '../../components/ui/Dialog';
import { Field } from '../../components/ui/Field';
import { useConfigDraftStore } from '../../stores/config-draft-store';

export const capabilityChoices: Array<{ value: Capability; label: string; hint: string }> = [
  { value: 'vision', label: 'Vision', hint: 'sees images' },
  { value: 'tools', label: 'Tools', hint: 'calls functions' },
  { value: 'structuredOutput', label: 'Structured output', hint: 'answers in JSON' },
  { value: 'reasoning', label: 'Reasoning', hint: 'thinks step by step' },
  { value: 'webSearch', label: 'Web search', hint: 'searches the web and cites sources' },
];

type FieldName =
  'name' | 'description' | 'systemPrompt' | 'requiredCapabilities' | 'outputSchema' | 'latencyBudgetMs' | 'costCeilingUsd' | 'form';
type Errors = Partial<Record<FieldName, string>>;

const schemaPlaceholder = `{
  "type": "object",
  "required": ["summary"],
  "properties": { "summary": { "type": "string" } }
}`;

/** The output schema box: empty for free text, else a JSON object. */
export function parseOutputSchema(text: string): { value: Record<string, unknown> | null; error?: string } {
  if (text.trim() === '') return { value: null };
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    return { value: null, error: `This is not valid JSON: ${(error as Error).message}. Fix it, or clear the box for free-text answers.` };
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    return { value: null, error: 'The output schema must be a JSON object, such as { "type": "object", "properties": { … } }.' };
  }
  return { value: parsed as Record<string, unknown> };
}

function parseOptionalNumber(text: string, check: (value: number) => boolean): { value: number | null; ok: boolean } {
  if (text.trim() === '') return { value: null, ok: true };
  const value = Number(text);
  return { value, ok: Number.isFinite(value) && check(value) };
}

/** Creates an agent (agent === null) or edits one; a built-in keeps its name. */
export function AgentDialog(props: { agent: Agent | null; onClose(): void }) {
  const save = useConfigDraftStore((state) => state.saveAgent);
  const isNew = props.agent === null;
  const initial = props.agent;
  const [name, setName] = useState(initial?.name ?? '');
  const [description, setDescription] = useState(initial?.description ?? '');
  const [systemPrompt, setSystemPrompt] = useState(initial?.systemPrompt ?? '');
  const [capabilities, setCapabilities] = useState<Capability[]>(
    initial?.requiredCapabilities.filter((capability) => capability !== 'text') ?? [],
  );
  const [schemaText, setSchemaText] = useState(initial?.outputSchema ? JSON.stringify(initial.outputSchema, null, 2) : '');
  const [schemaTouched, setSchemaTouched] = useState(false);
  const [latency, setLatency] = useState(initial?.latencyBudgetMs?.toString() ?? '');
  const [cost, setCost] = useState(initial?.costCeilingUsd?.toString() ?? '');
  const [localOnly, setLocalOnly] = useState(initial?.localOnly ?? false);
  const [errors, setErrors] = useState<Errors>({});
  const [saving, setSaving] = useState(false);

  const liveSchemaError = schemaTouched ? parseOutputSchema(schemaText).error : undefined;
  const clear = (field: FieldName) => setErrors((current) => ({ ...current, [field]: undefined, form: undefined }));

  const submit = async () => {
    const found: Errors = {};
    const schema = parseOutputSchema(schemaText);
    if (schema.error) found.outputSchema = schema.error;
    const latencyValue = parseOptionalNumber(latency, (value) => Number.isInteger(value) && value > 0);
    if (!latencyValue.ok) found.latencyBudgetMs = 'Enter a whole number of milliseconds above 0, or leave it empty for no budget.';
    const costValue = parseOptionalNumber(cost, (value) => value >= 0);
    if (!costValue.ok) found.costCeilingUsd = 'Enter an amount in US dollars (0 or more), or leave it empty for no ceiling.';
    const candidate = {
      name: name.trim(),
      description: description.trim(),
      systemPrompt,
      requiredCapabilities: capabilities,
      outputSchema: schema.value,
      latencyBudgetMs: latencyValue.value,
      costCeilingUsd: costValue.value,
      localOnly,
      builtIn: initial?.builtIn ?? false,
    };
    // The same schema main enforces, checked here first so each message lands next to its field.
    const checked = agentSchema.safeParse(candidate);
    if (!checked.success) {
      for (const issue of checked.error.issues) {
        const field = String(issue.path[0] ?? 'form') as FieldName;
        found[field] ??= field === 'name' && candidate.name === '' ? 'Give the agent a name.' : issue.message;
      }
    }
    if (Object.keys(found).length > 0 || !checked.success) {
      setSchemaTouched(true);
      setErrors(found);
      return;
    }
    setSaving(true);
    const outcome = await save(checked.data, { isNew });
    setSaving(false);
    if (outcome.ok) return props.onClose();
    const field = outcome.error.field?.split('.')[0] as FieldName | undefined;
    setErrors({ [field && field in emptyErrors ? field : 'form']: outcome.error.message });
  };

  // Anything typed or changed since the dialog opened: Esc or a click beside it asks before dropping it.
  const dirty =
    name !== (initial?.name ?? '') ||
    description !== (initial?.description ?? '') ||
    systemPrompt !== (initial?.systemPrompt ?? '') ||
    capabilities.join() !== (initial?.requiredCapabilities.filter((capability) => capability !== 'text') ?? []).join() ||
    schemaText !== (initial?.outputSchema ? JSON.stringify(initial.outputSchema, null, 2) : '') ||
    latency !== (initial?.latencyBudgetMs?.toString() ?? '') ||
    cost !== (initial?.costCeilingUsd?.toString() ?? '') ||
    localOnly !== (initial?.localOnly ?? false);

  return (
    <Dialog
      title={isNew ? 'New agent' : `Edit ${agentDisplayName(initial?.name ?? '')}`}
      onClose={props.onClose}
      dirty={dirty}
      wide
      footer={
        <>
          <button type="button" className="button-quiet" onClick={props.onClose}>
            Cancel
          </button>
          <button type="button" className="button-primary" disabled={saving} onClick={() => void submit()}>
            {saving ? 'Saving…' : isNew ? 'Create agent' : 'Save'}
          </button>
        </>
      }
    >
      <form
        className="agent-form"
        onSubmit={(event) => {
          event.preventDefault();
          void submit();
        }}
      >
        <div className="agent-form-columns">
          <div>
            {isNew ? (
              <Field label="Name" error={errors.name} hint="Lowercase letters, digits, - and _. Routing rules refer to it as agent:<name>.">
                <input
                  type="text"
                  value={name}
                  autoComplete="off"
                  spellCheck={false}
                  onChange={(event) => {
                    setName(event.target.value);
                    clear('name');
                  }}
                />
              </Field>
            ) : (
              <p className="agent-form-name">
                <span className="field-label">Name</span> <span className="mono">{initial?.name}</span>
                {initial?.builtIn ? <span className="badge">Built-in: the name stays</span> : null}
              </p>
            )}
            <Field label="Description" error={errors.description} hint="Shown when picking an agent for a task.">
              <input
                type="text"
                value={description}
                onChange={(event) => {
                  setDescription(event.target.value);
                  clear('description');
                }}
              />
            </Field>
            <Field label="System prompt" error={errors.systemPrompt} hint="Sent with every task of this agent.">
              <textarea
                rows={7}
                value={systemPrompt}
                onChange={(event) => {
                  setSystemPrompt(event.target.value);
                  clear('systemPrompt');
                }}
              />
            </Field>
            <fieldset className="checks agent-capabilities">
              <legend>Required capabilities: providers without them are skipped</legend>
              {capabilityChoices.map((choice) => (
                <label key={choice.value}>
                  <input
                    type="checkbox"
                    checked={capabilities.includes(choice.value)}
                    onChange={(event) =>
                      setCapabilities(
                        event.target.checked
                          ? [...capabilities, choice.value]
                          : capabilities.filter((capability) => capability !== choice.value),
                      )
                    }
                  />{' '}
                  {choice.label} <span className="muted">({choice.hint})</span>
                </label>
              ))}
              {errors.requiredCapabilities ? <span className="field-error">{errors.requiredCapabilities}</span> : null}
            </fieldset>
          </div>
          <div>
            <Field
              label="Output JSON Schema"
              error={errors.outputSchema ?? liveSchemaError}
              hint="Leave empty for free-text answers. With a schema, an answer that does not match it is retried once on a stronger provider."
            >
              <textarea
                className="mono agent-schema-input"
                rows={10}
                spellCheck={false}
                placeholder={schemaPlaceholder}
                value={schemaText}
                onChange={(event) => {
                  setSchemaText(event.target.value);
                  clear('outputSchema');
                }}
                onBlur={() => setSchemaTouched(true)}
              />
            </Field>
            <div className="agent-form-row">
              <Field
                label="Latency budget (ms)"
                error={errors.latencyBudgetMs}
                hint="Time to first token before trying the next provider. Empty: none."
              >
                <input
                  type="number"
                  min={1}
                  step={100}
                  value={latency}
                  onChange={(event) => {
                    setLatency(event.target.value);
                    clear('latencyBudgetMs');
                  }}
                />
              </Field>
              <Field
                label="Cost ceiling (USD)"
                error={errors.costCeilingUsd}
                hint="Per task; providers that would go over it are skipped. Empty: none."
              >
                <input
                  type="number"
                  min={0}
                  step={0.01}
                  value={cost}
                  onChange={(event) => {
                    setCost(event.target.value);
                    clear('costCeilingUsd');
                  }}
                />
              </Field>
            </div>
            <label className="check-row">
              <input type="checkbox" checked={localOnly} onChange={(event) => setLocalOnly(event.target.checked)} />
              <span>
                Local only
                <span className="field-hint agent-hint-block">
                  Its tasks only ever run on providers on this machine or your network, such as Ollama.
                </span>
              </span>
            </label>
          </div>
        </div>
        {errors.form ? (
          <p className="form-error" role="alert">
            {errors.form}
          </p>
        ) : null}
        {/* Enter in a single-line field submits, as in any form. */}
        <button type="submit" hidden />
      </form>
    </Dialog>
  );
}

const emptyErrors: Record<Exclude<FieldName, 'form'>, true> = {
  name: true,
  description: true,
  systemPrompt: true,
  requiredCapabilities: true,
  outputSchema: true,
  latencyBudgetMs: true,
  costCeilingUsd: true,
};

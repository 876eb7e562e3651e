import type { ClaudeSelectionSettings, ClaudeTier } from '../../../../src-shared/schemas/claude-selection';
import { useAppStore } from '../../stores/app-store';

const tierNames: Record<ClaudeTier, string> = { haiku: 'Haiku', sonnet: 'Sonnet', opus: 'Opus' };

/** Chat and task settings, and the Claude Model Selection that appears only when Primary is Claude. */
export function ChatSettingsSection() {
  const settings = useAppStore((state) => state.settings);
  const updateSettings = useAppStore((state) => state.updateSettings);
  if (!settings) return null;
  const primary = settings.connections.find((connection) => connection.id === settings.primaryConnectionId);
  const claude = settings.chat.claude;
  const setClaude = (patch: Partial<ClaudeSelectionSettings>) => void updateSettings({ chat: { claude: { ...claude, ...patch } } });
  return (
    <>
      <section className="settings-section" aria-labelledby="chat-settings-title">
        <h2 id="chat-settings-title">Chat</h2>
        <label className="check-row">
          <input
            type="checkbox"
            checked={settings.chat.autoFallback}
            onChange={(event) => void updateSettings({ chat: { autoFallback: event.target.checked } })}
          />
          <span>
            <strong>If Primary is down, answer from a backup</strong>
            <br />
            <span className="muted">
              Off: a failed answer shows why and offers “Retry on …” with one click. On: the next healthy backend answers at once, and the
              answer says so.
            </span>
          </span>
        </label>
        {primary && primary.kind !== 'anthropic' ? (
          <p className="muted">
            Chat answers from {primary.name} with <span className="mono">{primary.defaultModel}</span>. Change the model in that provider’s
            Edit dialog.
          </p>
        ) : null}
      </section>
      <section className="settings-section" aria-labelledby="task-settings-title">
        <h2 id="task-settings-title">Tasks</h2>
        <label className="check-row">
          <input
            type="checkbox"
            checked={settings.tasks.anyHealthyFallback}
            onChange={(event) => void updateSettings({ tasks: { anyHealthyFallback: event.target.checked } })}
          />
          <span>
            <strong>Use any healthy provider when nothing else can</strong>
            <br />
            <span className="muted">
              Off: a task whose agent rules, route or Primary are all failing pauses until one of them recovers, and other providers stay
              idle. On: it goes to any healthy provider that can do the job (the gateway’s routed calls too), and its trace says why.
            </span>
          </span>
        </label>
      </section>
      {primary?.kind === 'anthropic' ? (
        <section className="settings-section" aria-labelledby="claude-title">
          <h2 id="claude-title">Claude Model Selection</h2>
          <p className="section-help">
            Haiku for short, simple replies; Sonnet for most conversation and tasks; Opus for the hardest multi-step work. Switchboard picks
            from each request’s complexity, and every answer’s badge says which model answered and why.
          </p>
          <div className="radio-group" role="radiogroup" aria-label="How the Claude model is chosen">
            <label className="check-row">
              <input type="radio" name="claude-mode" checked={claude.mode === 'auto'} onChange={() => setClaude({ mode: 'auto' })} />
              <span>Pick automatically from the request’s complexity</span>
            </label>
            <label className="check-row">
              <input
                type="radio"
                name="claude-mode"
                checked={claude.mode === 'force'}
                onChange={() => setClaude({ mode: 'force', forcedTier: claude.forcedTier ?? 'sonnet' })}
              />
              <span>Always use</span>
              <select
                aria-label="Model to always use"
                disabled={claude.mode !== 'force'}
                value={claude.forcedTier ?? 'sonnet'}
                onChange={(event) => setClaude({ mode: 'force', forcedTier: event.target.value as ClaudeTier })}
              >
                {(['haiku', 'sonnet', 'opus'] as const).map((tier) => (
                  <option key={tier} value={tier}>
                    {tierNames[tier]}
                  </option>
                ))}
              </select>
            </label>
          </div>
          <label className="check-row">
            <input
              type="checkbox"
              disabled={claude.mode !== 'auto'}
              checked={claude.haikuForShortReplies}
              onChange={(event) => setClaude({ haikuForShortReplies: event.target.checked })}
            />
            <span>Use Haiku for short replies</span>
          </label>
          <label className="check-row">
            <input
              type="checkbox"
              disabled={claude.mode !== 'auto'}
              checked={claude.opusOnlyForTasks}
              onChange={(event) => setClaude({ opusOnlyForTasks: event.target.checked })}
            />
            <span>Use Opus only for tasks (chat stops at Sonnet)</span>
          </label>
          <div className="model-ids">
            {(['haiku', 'sonnet', 'opus'] as const).map((tier) => (
              <label key={tier} className="field compact">
                <span className="field-label">{tierNames[tier]} model</span>
                <input
                  type="text"
                  defaultValue={claude.models[tier]}
                  onBlur={(event) => {
                    const value = event.target.value.trim();
                    if (value && value !== claude.models[tier]) setClaude({ models: { ...claude.models, [tier]: value } });
                  }}
                />
              </label>
            ))}
          </div>
        </section>
      ) : null}
    </>
  );
}

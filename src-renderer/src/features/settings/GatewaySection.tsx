import { useEffect, useState } from 'react';
import type { GatewayStatus } from '../../../../src-shared/schemas/gateway';
import { Field } from '../../components/ui/Field';
import { useGatewayStore } from '../../stores/gateway-store';
import { GatewayClients } from './GatewayClients';

/** Settings -> Local gateway: an OpenAI-compatible server on 127.0.0.1 that routes like the app. */
export function GatewaySection() {
  const { status, load } = useGatewayStore();
  useEffect(() => {
    void load();
  }, [load]);
  if (!status) return null;
  // Keyed on what main reports, so the form restarts from the saved values when they change.
  return <GatewayForm key={`${status.port}|${status.allowedOrigins.join(' ')}`} status={status} />;
}

function GatewayForm({ status }: { status: GatewayStatus }) {
  const { error, fieldErrors, busy, configure } = useGatewayStore();
  const [port, setPort] = useState(String(status.port));
  const [origins, setOrigins] = useState(status.allowedOrigins.join('\n'));
  const config = (enabled: boolean) => ({
    enabled,
    port: Number(port),
    allowedOrigins: origins
      .split(/\s+/)
      .map((origin) => origin.trim())
      .filter(Boolean),
  });
  const example = status.baseUrl ?? `http://127.0.0.1:${status.port}/v1`;
  return (
    <section className="settings-section" aria-labelledby="gateway-title">
      <div className="section-header">
        <div>
          <h2 id="gateway-title">Local gateway</h2>
          <p className="section-help">
            Other tools on this computer (editors, scripts, agents) can point their OpenAI client at Switchboard and get the same routing,
            health, budgets and call log. It listens on 127.0.0.1 only and each tool needs its own token.
          </p>
        </div>
        <label className="switch">
          <input
            type="checkbox"
            aria-label="Run the local gateway"
            checked={status.enabled}
            disabled={busy}
            onChange={(event) => void configure(config(event.target.checked))}
          />
          <span>{status.enabled ? 'On' : 'Off'}</span>
        </label>
      </div>
      <p className={status.running ? 'status-ok' : status.error ? 'status-bad' : 'muted'} role="status">
        {status.running ? `Running at ${status.baseUrl}` : (status.error ?? 'Not running.')}
      </p>
      {status.running && status.clientCount === 0 ? (
        <p className="muted">No tool can call it yet: create a token for each one under Clients.</p>
      ) : null}
      <div className="card-fields align-start">
        <Field label="Port" error={fieldErrors.port} hint="1024 to 65535">
          <input type="number" min={1024} max={65535} value={port} onChange={(event) => setPort(event.target.value)} />
        </Field>
        <Field
          label="Allowed browser origins (CORS)"
          error={fieldErrors.allowedOrigins}
          hint="One per line, e.g. http://localhost:3000. Empty: no browser page may call it."
        >
          <textarea rows={2} value={origins} onChange={(event) => setOrigins(event.target.value)} />
        </Field>
      </div>
      <div className="inline-actions">
        <button type="button" className="button-secondary" disabled={busy} onClick={() => void configure(config(status.enabled))}>
          Save
        </button>
      </div>
      {error ? (
        <p className="form-error" role="alert">
          {error}
        </p>
      ) : null}
      <GatewayClients />
      <details className="example">
        <summary>How to use it</summary>
        <p className="muted">
          Models: switchboard/primary, agent/&lt;name&gt;, tier/&lt;id&gt;, route/&lt;id&gt;, or &lt;connection&gt;/&lt;model&gt;.
        </p>
        <pre className="log-text">{`curl ${example}/chat/completions \\
  -H "Authorization: Bearer $SWITCHBOARD_GATEWAY_TOKEN" \\
  -H "Content-Type: application/json" \\
  -d '{"model": "agent/builder", "messages": [{"role": "user", "content": "Hello"}]}'`}</pre>
      </details>
    </section>
  );
}

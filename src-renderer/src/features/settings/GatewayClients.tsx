import { useState } from 'react';
import type { GatewayClientView } from '../../../../src-shared/schemas/gateway';
import { ConfirmDialog } from '../../components/ui/ConfirmDialog';
import { Field } from '../../components/ui/Field';
import { api } from '../../lib/api-client';
import { formatFullMoment } from '../../lib/date-time';
import { formatSpend, unpricedNote } from '../../lib/money';
import { useGatewayStore } from '../../stores/gateway-store';

/** Settings -> Local gateway -> Clients: one named token per tool, each shown once and revocable alone. */
export function GatewayClients() {
  const { clients, freshToken, fieldErrors, busy, createClient, dismissToken, clearNameError } = useGatewayStore();
  const [naming, setNaming] = useState(false);
  const [name, setName] = useState('');
  const [acting, setActing] = useState<{ client: GatewayClientView; replace: boolean } | null>(null);
  const create = async () => {
    if (await createClient(name)) {
      setNaming(false);
      setName('');
    }
  };
  const cancel = () => {
    setNaming(false);
    setName('');
    clearNameError();
  };
  return (
    <section className="gateway-clients" aria-labelledby="gateway-clients-title">
      <h3 id="gateway-clients-title" className="subsection-title">
        Clients
      </h3>
      <p className="section-help">
        Give each tool its own token: Activity shows which one made each call, and you can revoke one without touching the others.
      </p>
      {freshToken ? (
        <div className="token-box" role="alert">
          <strong>Token for “{freshToken.client}”: copy it now, it is shown only once.</strong>
          <code className="token">{freshToken.token}</code>
          <div className="inline-actions">
            <button type="button" className="button-secondary" onClick={() => void api.clipboard.write({ text: freshToken.token })}>
              Copy
            </button>
            <button type="button" className="button-quiet" onClick={dismissToken}>
              I have saved it
            </button>
          </div>
        </div>
      ) : null}
      {clients.length === 0 ? (
        <p className="empty-inline">No clients yet: create a token for each tool that calls the gateway.</p>
      ) : (
        <div className="table-scroll">
          <table className="data-table gateway-clients-table">
            <thead>
              <tr>
                <th>Client</th>
                <th>Created</th>
                <th>Last used</th>
                <th>This month</th>
                <th>
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {clients.map((client) => (
                <tr key={client.id}>
                  <td className="client-name">{client.name}</td>
                  <td className="nowrap">{formatFullMoment(client.createdAt)}</td>
                  <td className="nowrap">{client.lastUsedAt === null ? 'Never' : formatFullMoment(client.lastUsedAt)}</td>
                  <td className="nowrap" title={unpricedNote(client.monthUnpricedCalls)}>
                    {client.monthCalls} {client.monthCalls === 1 ? 'call' : 'calls'} ·{' '}
                    {formatSpend(client.monthCostUsd, client.monthUnpricedCalls)}
                  </td>
                  <td className="nowrap">
                    <button
                      type="button"
                      className="button-quiet"
                      aria-label={`New token for ${client.name}`}
                      onClick={() => setActing({ client, replace: true })}
                    >
                      New token
                    </button>
                    <button
                      type="button"
                      className="button-quiet"
                      aria-label={`Revoke the token of ${client.name}`}
                      onClick={() => setActing({ client, replace: false })}
                    >
                      Revoke
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {naming ? (
        <form
          className="inline-form"
          onSubmit={(event) => {
            event.preventDefault();
            void create();
          }}
        >
          <Field label="Client name" error={fieldErrors.name} hint="The tool that will use the token, e.g. editor or scripts">
            <input type="text" value={name} maxLength={60} autoFocus onChange={(event) => setName(event.target.value)} />
          </Field>
          <div className="inline-actions">
            <button type="submit" className="button-primary" disabled={busy}>
              Create token
            </button>
            <button type="button" className="button-quiet" onClick={cancel}>
              Cancel
            </button>
          </div>
        </form>
      ) : (
        <div className="inline-actions">
          <button type="button" className="button-secondary" onClick={() => setNaming(true)}>
            Add a client
          </button>
        </div>
      )}
      {acting ? <TokenDialog client={acting.client} replace={acting.replace} onClose={() => setActing(null)} /> : null}
    </section>
  );
}

/** Revoke a client's token, or replace it: either way the tool using it is refused until it has a new one. */
function TokenDialog({ client, replace, onClose }: { client: GatewayClientView; replace: boolean; onClose(): void }) {
  const { busy, error, revokeClient, replaceToken } = useGatewayStore();
  const confirm = async () => {
    if (await (replace ? replaceToken(client) : revokeClient(client.id))) onClose();
  };
  return (
    <ConfirmDialog
      title={replace ? `Give “${client.name}” a new token?` : `Revoke the token of “${client.name}”?`}
      confirmLabel={replace ? 'Make a new token' : 'Revoke'}
      tone={replace ? 'primary' : 'danger'}
      busy={busy}
      error={error}
      onConfirm={() => void confirm()}
      onCancel={onClose}
    >
      {replace ? (
        <p>
          The current token stops working at once: the tool connected as “{client.name}” is refused until you paste the new token into it.
          The new token is shown once. Other clients keep working.
        </p>
      ) : (
        <p>
          From now on the gateway refuses this token with 401 and says it was revoked. Other clients keep working. Its past calls stay in
          Activity.
        </p>
      )}
    </ConfirmDialog>
  );
}

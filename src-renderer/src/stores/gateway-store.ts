import { create } from 'zustand';
import type { GatewayClientView, GatewayConfigureInput, GatewayStatus } from '../../../src-shared/schemas/gateway';
import { api } from '../lib/api-client';

/** A token just created, with the name of its client: shown once, cleared when dismissed. */
export interface FreshToken {
  client: string;
  token: string;
}

export interface GatewayState {
  status: GatewayStatus | null;
  clients: GatewayClientView[];
  freshToken: FreshToken | null;
  error: string | null;
  fieldErrors: Record<string, string>;
  busy: boolean;
  load(): Promise<void>;
  loadClients(): Promise<void>;
  configure(config: GatewayConfigureInput): Promise<void>;
  /** Creates a client; its name's problem, if any, lands in fieldErrors.name. True when created. */
  createClient(name: string): Promise<boolean>;
  revokeClient(id: string): Promise<boolean>;
  /** Revokes a client's token and gives the same client a new one, shown once like a new client's. */
  replaceToken(client: GatewayClientView): Promise<boolean>;
  dismissToken(): void;
  clearNameError(): void;
}

let subscribed = false;

export const useGatewayStore = create<GatewayState>()((set, get) => ({
  status: null,
  clients: [],
  freshToken: null,
  error: null,
  fieldErrors: {},
  busy: false,
  async load() {
    if (!subscribed) {
      subscribed = true;
      api.on('app:gateway.changed', (status) => set({ status }));
    }
    const result = await api.gateway.status();
    set(result.ok ? { status: result.value, error: null } : { error: result.error.message });
    await get().loadClients();
  },
  async loadClients() {
    const result = await api.gateway.clients();
    set(result.ok ? { clients: result.value } : { error: result.error.message });
  },
  async configure(config) {
    set({ busy: true, fieldErrors: {} });
    const result = await api.gateway.configure(config);
    if (!result.ok) {
      const field = result.error.field?.split('.')[0];
      set({ busy: false, ...(field ? { fieldErrors: { [field]: result.error.message } } : { error: result.error.message }) });
      return;
    }
    set({ busy: false, status: result.value, error: null });
  },
  async createClient(name) {
    set({ busy: true, fieldErrors: {} });
    const result = await api.gateway.createClient({ name });
    if (!result.ok) {
      set({ busy: false, fieldErrors: { name: result.error.message } });
      return false;
    }
    const { client, token } = result.value;
    set({ busy: false, error: null, freshToken: { client: client.name, token }, clients: [...get().clients, client] });
    return true;
  },
  async replaceToken(client) {
    if (!(await get().revokeClient(client.id))) return false;
    set({ busy: true });
    const result = await api.gateway.createClient({ name: client.name });
    if (!result.ok) {
      set({ busy: false, error: `The old token of “${client.name}” is revoked, but a new one could not be made: ${result.error.message}` });
      return false;
    }
    set({
      busy: false,
      error: null,
      freshToken: { client: client.name, token: result.value.token },
      clients: [...get().clients, result.value.client],
    });
    return true;
  },
  async revokeClient(id) {
    set({ busy: true });
    const result = await api.gateway.revokeClient({ id });
    if (!result.ok) {
      set({ busy: false, error: result.error.message });
      return false;
    }
    set({ busy: false, error: null, clients: result.value });
    return true;
  },
  dismissToken: () => set({ freshToken: null }),
  clearNameError: () => set({ fieldErrors: {} }),
}));

import { create } from 'zustand';
import type { GatewayStatus } from '../../../src-shared/schemas/gateway';
import type { GatewaySettings } from '../../../src-shared/schemas/settings';
import { api } from '../lib/api-client';

export interface GatewayState {
  status: GatewayStatus | null;
  /** A token just created: shown once, cleared when the user dismisses it. */
  freshToken: string | null;
  error: string | null;
  fieldErrors: Record<string, string>;
  busy: boolean;
  load(): Promise<void>;
  configure(config: GatewaySettings): Promise<void>;
  regenerate(): Promise<void>;
  dismissToken(): void;
}

let subscribed = false;

export const useGatewayStore = create<GatewayState>()((set) => ({
  status: null,
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
  },
  async configure(config) {
    set({ busy: true, fieldErrors: {} });
    const result = await api.gateway.configure(config);
    if (!result.ok) {
      const field = result.error.field?.split('.')[0];
      set({ busy: false, ...(field ? { fieldErrors: { [field]: result.error.message } } : { error: result.error.message }) });
      return;
    }
    set({ busy: false, status: result.value.status, error: null, ...(result.value.newToken ? { freshToken: result.value.newToken } : {}) });
  },
  async regenerate() {
    const result = await api.gateway.regenerateToken();
    set(result.ok ? { freshToken: result.value.token, error: null } : { error: result.error.message });
  },
  dismissToken: () => set({ freshToken: null }),
}));

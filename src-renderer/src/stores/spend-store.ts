import { create } from 'zustand';
import type { ConnectionSpend } from '../../../src-shared/schemas/call-log';
import type { PriceListInfo } from '../../../src-shared/schemas/prices';
import { api } from '../lib/api-client';

export interface SpendState {
  /** Month-to-date spend per connection id. */
  monthToDate: Record<string, ConnectionSpend>;
  prices: PriceListInfo | null;
  refreshing: boolean;
  /** What the last "Refresh prices" said: the new list, or why it failed. */
  refreshMessage: { ok: boolean; text: string } | null;
  load(): Promise<void>;
  refreshPrices(): Promise<void>;
  subscribe(): () => void;
}

export const useSpendStore = create<SpendState>()((set, get) => ({
  monthToDate: {},
  prices: null,
  refreshing: false,
  refreshMessage: null,
  async load() {
    const [spend, prices] = await Promise.all([api.spend.monthToDate(), api.prices.info()]);
    set({
      ...(spend.ok ? { monthToDate: Object.fromEntries(spend.value.map((row) => [row.connectionId, row])) } : {}),
      ...(prices.ok ? { prices: prices.value } : {}),
    });
  },
  async refreshPrices() {
    set({ refreshing: true, refreshMessage: null });
    const result = await api.prices.refresh();
    if (!result.ok) return set({ refreshing: false, refreshMessage: { ok: false, text: result.error.message } });
    set({
      refreshing: false,
      prices: result.value,
      refreshMessage: {
        ok: true,
        text: `Prices refreshed: ${result.value.models.toLocaleString()} models, as of ${result.value.retrieved}.`,
      },
    });
  },
  subscribe() {
    // New calls change the month's spend.
    return api.on('app:activity.logged', () => void get().load());
  },
}));

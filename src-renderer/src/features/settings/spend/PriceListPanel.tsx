import { useSpendStore } from '../../../stores/spend-store';

/** Which price list costs come from, and "Refresh prices" to download the current one. */
export function PriceListPanel() {
  const { prices, refreshing, refreshMessage, refreshPrices } = useSpendStore();
  return (
    <div className="price-list-panel" data-testid="price-list">
      <span className="field-hint">
        Costs use{' '}
        {prices ? (prices.kind === 'snapshot' ? 'the price list shipped with the app' : 'the price list you refreshed') : 'the price list'}
        {prices ? ` (LiteLLM’s public list, ${prices.models.toLocaleString()} models, as of ${prices.retrieved})` : ''}. Prices you type
        under Models win over it.
      </span>
      <span className="inline-actions">
        <button type="button" className="button-secondary" disabled={refreshing} onClick={() => void refreshPrices()}>
          {refreshing ? 'Refreshing…' : 'Refresh prices'}
        </button>
        {refreshMessage ? (
          <span className={refreshMessage.ok ? 'inline-message' : 'inline-message inline-message-error'} role="status">
            {refreshMessage.text}
          </span>
        ) : null}
      </span>
    </div>
  );
}

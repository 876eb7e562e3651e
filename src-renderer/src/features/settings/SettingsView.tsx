import { useEffect, useState } from 'react';
import { ViewHeader } from '../../components/ui/ViewHeader';
import { useAppStore } from '../../stores/app-store';
import { useConnectionsStore } from '../../stores/connections-store';
import { useRoutingStore } from '../../stores/routing-store';
import { ConfigurationSection } from '../config/ConfigurationSection';
import { LintPanel } from '../config/LintPanel';
import { AgentsSection } from '../agents/AgentsSection';
import { RoutePreview } from '../routing/RoutePreview';
import { RoutesSection } from '../routing/RoutesSection';
import { RoutingRulesSection } from '../routing/RoutingRulesSection';
import { TiersSection } from '../routing/TiersSection';
import { AppearanceSection } from './AppearanceSection';
import { CallLogSettingsSection } from './CallLogSettingsSection';
import { ChatSettingsSection } from './ChatSettingsSection';
import { ConnectionsSection } from './ConnectionsSection';
import { GatewaySection } from './GatewaySection';
import { LocalModelSettingsSection } from './local-models/LocalModelSettingsSection';

const tabs = [
  { id: 'providers', label: 'Providers' },
  { id: 'routing', label: 'Routing' },
  { id: 'agents', label: 'Agents' },
  { id: 'gateway', label: 'Local gateway' },
  { id: 'general', label: 'General' },
] as const;
type Tab = (typeof tabs)[number]['id'];

export function SettingsView() {
  const settings = useAppStore((state) => state.settings);
  const dataDirectory = useAppStore((state) => state.info?.dataDirectory);
  const loadRouting = useRoutingStore((state) => state.load);
  const loadConnections = useConnectionsStore((state) => state.load);
  const [tab, setTab] = useState<Tab>('providers');
  useEffect(() => {
    if (tab === 'routing') void Promise.all([loadRouting(), loadConnections()]);
  }, [tab, loadRouting, loadConnections]);
  if (!settings) return null;
  return (
    <section className="view view-scroll">
      <ViewHeader title="AI Configuration" subtitle="Providers, routing and how Switchboard looks." />
      <div className="tabs" role="tablist" aria-label="Settings sections">
        {tabs.map((item) => (
          <button
            key={item.id}
            type="button"
            role="tab"
            aria-selected={tab === item.id}
            className={tab === item.id ? 'tab active' : 'tab'}
            onClick={() => setTab(item.id)}
          >
            {item.label}
          </button>
        ))}
      </div>
      {tab === 'providers' ? (
        <>
          <ConnectionsSection />
          <ChatSettingsSection />
          <LocalModelSettingsSection />
        </>
      ) : null}
      {tab === 'routing' ? (
        <>
          <LintPanel />
          <RoutePreview />
          <RoutingRulesSection />
          <TiersSection />
          <RoutesSection />
          <ConfigurationSection />
        </>
      ) : null}
      {tab === 'agents' ? <AgentsSection /> : null}
      {tab === 'gateway' ? <GatewaySection /> : null}
      {tab === 'general' ? (
        <>
          <AppearanceSection />
          <CallLogSettingsSection />
          {dataDirectory ? <p className="settings-footnote">Your data is stored in {dataDirectory}</p> : null}
        </>
      ) : null}
    </section>
  );
}

import { Fragment, useEffect, useState } from 'react';
import { ViewHeader } from '../../components/ui/ViewHeader';
import { useAppStore } from '../../stores/app-store';
import { useConnectionsStore } from '../../stores/connections-store';
import { useConfigDraftStore } from '../../stores/config-draft-store';
import { ConfigurationSection } from '../config/ConfigurationSection';
import { LintPanel } from '../config/LintPanel';
import { UnsavedChangesBar } from '../config/UnsavedChangesBar';
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

/** The tabs whose edits form the draft: moving between them keeps it, leaving them asks. */
const draftTabs: readonly Tab[] = ['routing', 'agents'];

export function SettingsView() {
  const settings = useAppStore((state) => state.settings);
  const dataDirectory = useAppStore((state) => state.info?.dataDirectory);
  const loadConnections = useConnectionsStore((state) => state.load);
  const { load: loadDraft, setInEditor, leave, revision } = useConfigDraftStore();
  const [tab, setTab] = useState<Tab>('providers');
  const inDraft = draftTabs.includes(tab);
  useEffect(() => {
    if (tab === 'routing') void loadConnections();
    if (inDraft) void loadDraft();
  }, [tab, inDraft, loadDraft, loadConnections]);
  useEffect(() => {
    setInEditor(inDraft);
    return () => setInEditor(false);
  }, [inDraft, setInEditor]);
  const open = (next: Tab) => (inDraft && !draftTabs.includes(next) ? leave(() => setTab(next)) : setTab(next));
  if (!settings) return null;
  return (
    <section className="view view-scroll">
      <ViewHeader title="Settings" subtitle="Providers, routing and how Switchboard looks." />
      <div className="tabs" role="tablist" aria-label="Settings sections">
        {tabs.map((item) => (
          <button
            key={item.id}
            type="button"
            role="tab"
            aria-selected={tab === item.id}
            className={tab === item.id ? 'tab active' : 'tab'}
            onClick={() => open(item.id)}
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
      {inDraft ? <UnsavedChangesBar /> : null}
      {tab === 'routing' ? (
        <>
          <LintPanel />
          <RoutePreview />
          {/* The editors' inputs keep what was typed; a new revision (Discard, an import) starts them again. */}
          <Fragment key={revision}>
            <RoutingRulesSection />
            <TiersSection />
            <RoutesSection />
          </Fragment>
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

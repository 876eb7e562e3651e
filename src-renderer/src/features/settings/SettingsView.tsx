import { PlugZap } from 'lucide-react';
import { EmptyState } from '../../components/ui/EmptyState';
import { ViewHeader } from '../../components/ui/ViewHeader';
import { useAppStore } from '../../stores/app-store';
import { AppearanceSection } from './AppearanceSection';

export function SettingsView() {
  const settings = useAppStore((state) => state.settings);
  const dataDirectory = useAppStore((state) => state.info?.dataDirectory);
  if (!settings) return null;
  return (
    <section className="view view-scroll">
      <ViewHeader title="AI Configuration" subtitle="Providers, routing and how Switchboard looks." />
      <section className="settings-section" aria-labelledby="connections-title">
        <h2 id="connections-title">Connections</h2>
        {settings.connections.length === 0 ? (
          <EmptyState icon={PlugZap} title="No providers yet">
            <p>
              Add a provider with its API key. The first one becomes your Primary: chat always answers from it.
              Keys are kept in your system keychain, never in a file.
            </p>
          </EmptyState>
        ) : null}
      </section>
      <AppearanceSection />
      {dataDirectory ? <p className="settings-footnote">Your data is stored in {dataDirectory}</p> : null}
    </section>
  );
}

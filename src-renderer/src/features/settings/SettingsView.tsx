import { ViewHeader } from '../../components/ui/ViewHeader';
import { useAppStore } from '../../stores/app-store';
import { AppearanceSection } from './AppearanceSection';
import { ConnectionsSection } from './ConnectionsSection';

export function SettingsView() {
  const settings = useAppStore((state) => state.settings);
  const dataDirectory = useAppStore((state) => state.info?.dataDirectory);
  if (!settings) return null;
  return (
    <section className="view view-scroll">
      <ViewHeader title="AI Configuration" subtitle="Providers, routing and how Switchboard looks." />
      <ConnectionsSection />
      <AppearanceSection />
      {dataDirectory ? <p className="settings-footnote">Your data is stored in {dataDirectory}</p> : null}
    </section>
  );
}

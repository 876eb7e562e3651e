import { useAppStore } from '../../stores/app-store';

const themes = [
  { value: 'system', label: 'Follow the system' },
  { value: 'light', label: 'Light' },
  { value: 'dark', label: 'Dark' },
] as const;

export function AppearanceSection() {
  const theme = useAppStore((state) => state.settings?.appearance.theme ?? 'system');
  const updateSettings = useAppStore((state) => state.updateSettings);
  return (
    <section className="settings-section" aria-labelledby="appearance-title">
      <h2 id="appearance-title">Appearance</h2>
      <label className="field">
        <span className="field-label">Theme</span>
        <select
          value={theme}
          onChange={(event) => void updateSettings({ appearance: { theme: event.target.value as (typeof themes)[number]['value'] } })}
        >
          {themes.map((option) => (
            <option key={option.value} value={option.value}>
              {option.label}
            </option>
          ))}
        </select>
      </label>
    </section>
  );
}

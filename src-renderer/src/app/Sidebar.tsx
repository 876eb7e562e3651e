import type { AppView } from '../../../src-shared/contract/ipc-contract';
import { useAppStore } from '../stores/app-store';

const items: Array<{ view: AppView; label: string; icon: string }> = [
  { view: 'chat', label: 'Chat', icon: '💬' },
  { view: 'tasks', label: 'Tasks', icon: '🗂' },
  { view: 'activity', label: 'Activity', icon: '📈' },
  { view: 'settings', label: 'Settings', icon: '⚙' },
];

export function Sidebar() {
  const view = useAppStore((state) => state.view);
  const show = useAppStore((state) => state.show);
  const version = useAppStore((state) => state.info?.version);
  return (
    <nav className="sidebar" aria-label="Main">
      <div className="brand">
        <span className="brand-mark" aria-hidden="true">
          ⎇
        </span>
        Switchboard
      </div>
      <ul>
        {items.map((item) => (
          <li key={item.view}>
            <button
              type="button"
              className={item.view === view ? 'nav-item active' : 'nav-item'}
              aria-current={item.view === view ? 'page' : undefined}
              onClick={() => show(item.view)}
            >
              <span className="nav-icon" aria-hidden="true">
                {item.icon}
              </span>
              {item.label}
            </button>
          </li>
        ))}
      </ul>
      <div className="sidebar-footer">{version ? `Version ${version}` : null}</div>
    </nav>
  );
}

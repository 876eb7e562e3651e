import { Activity, ListChecks, MessageSquare, Settings, Waypoints, type LucideIcon } from 'lucide-react';
import type { AppView } from '../../../src-shared/contract/ipc-contract';
import { useAppStore } from '../stores/app-store';
import { useConfigDraftStore } from '../stores/config-draft-store';
import { useTasksStore } from '../stores/tasks-store';
import './sidebar.css';

/** Tasks that want the user's eye: running now, or paused until something recovers. */
const attentionStatuses = new Set(['running', 'escalated', 'paused']);

const items: Array<{ view: AppView; label: string; icon: LucideIcon }> = [
  { view: 'chat', label: 'Chat', icon: MessageSquare },
  { view: 'tasks', label: 'Tasks', icon: ListChecks },
  { view: 'activity', label: 'Activity', icon: Activity },
  { view: 'settings', label: 'Settings', icon: Settings },
];

function countWords(active: number, paused: number): string {
  const running = active - paused;
  return [running > 0 ? `${running} running` : null, paused > 0 ? `${paused} paused` : null].filter(Boolean).join(', ');
}

export function Sidebar() {
  const view = useAppStore((state) => state.view);
  const show = useAppStore((state) => state.show);
  const version = useAppStore((state) => state.info?.version);
  const leave = useConfigDraftStore((state) => state.leave);
  const unsaved = useConfigDraftStore((state) => state.view?.dirty ?? false);
  const activeTasks = useTasksStore((state) => Object.values(state.tasks).filter((task) => attentionStatuses.has(task.status)).length);
  const pausedTasks = useTasksStore((state) => Object.values(state.tasks).filter((task) => task.status === 'paused').length);
  return (
    <nav className="sidebar" aria-label="Main">
      <div className="brand">
        <span className="brand-mark" aria-hidden="true">
          <Waypoints size={16} />
        </span>
        <span className="brand-name">Switchboard</span>
      </div>
      <ul>
        {items.map((item) => (
          <li key={item.view}>
            <button
              type="button"
              className={item.view === view ? 'nav-item active' : 'nav-item'}
              aria-current={item.view === view ? 'page' : undefined}
              title={item.label}
              onClick={() => (item.view === view ? undefined : leave(() => show(item.view)))}
            >
              <item.icon className="nav-icon" size={17} aria-hidden="true" />
              <span className="nav-label">{item.label}</span>
              {item.view === 'tasks' && activeTasks > 0 ? (
                <span
                  className={pausedTasks > 0 ? 'nav-count nav-count-paused' : 'nav-count'}
                  data-testid="tasks-count"
                  title={countWords(activeTasks, pausedTasks)}
                >
                  <span aria-hidden="true">{activeTasks}</span>
                  <span className="visually-hidden">({countWords(activeTasks, pausedTasks)})</span>
                </span>
              ) : null}
              {item.view === 'settings' && unsaved ? (
                <span className="nav-unsaved" title="Unsaved changes to routing or agents">
                  <span className="visually-hidden">(unsaved changes)</span>
                </span>
              ) : null}
            </button>
          </li>
        ))}
      </ul>
      <div className="sidebar-footer">{version ? `Version ${version}` : null}</div>
    </nav>
  );
}

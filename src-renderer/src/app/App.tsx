import { useEffect, useSyncExternalStore } from 'react';
import { ActivityView } from '../features/activity/ActivityView';
import { ChatView } from '../features/chat/ChatView';
import { SettingsView } from '../features/settings/SettingsView';
import { TasksView } from '../features/tasks/TasksView';
import { LeaveDraftDialog } from '../features/config/UnsavedChangesBar';
import { LinkPromptDialog } from '../components/links/LinkPromptDialog';
import { ShortcutsDialog } from '../components/shortcuts/ShortcutsDialog';
import { useAppStore } from '../stores/app-store';
import { useConfigDraftStore } from '../stores/config-draft-store';
import { useTasksStore } from '../stores/tasks-store';
import { NoticeBar } from './NoticeBar';
import { Sidebar } from './Sidebar';

const darkQuery = window.matchMedia('(prefers-color-scheme: dark)');
const subscribeDark = (callback: () => void) => {
  darkQuery.addEventListener('change', callback);
  return () => darkQuery.removeEventListener('change', callback);
};

function useResolvedTheme(): 'light' | 'dark' {
  const preference = useAppStore((state) => state.settings?.appearance.theme ?? 'system');
  const systemDark = useSyncExternalStore(subscribeDark, () => darkQuery.matches);
  if (preference === 'system') return systemDark ? 'dark' : 'light';
  return preference;
}

export function App() {
  const init = useAppStore((state) => state.init);
  const ready = useAppStore((state) => state.ready);
  const view = useAppStore((state) => state.view);
  const theme = useResolvedTheme();
  const loadDraft = useConfigDraftStore((state) => state.load);
  useEffect(() => {
    void init();
  }, [init]);
  // Unsaved edits kept from before a reload or a restart: Settings is marked, and leaving the editors asks.
  useEffect(() => {
    if (ready) void loadDraft();
  }, [ready, loadDraft]);
  // The nav counts running and paused tasks on every page, so tasks are followed from the start.
  const initTasks = useTasksStore((state) => state.init);
  useEffect(() => {
    if (ready) void initTasks();
  }, [ready, initTasks]);
  const setOnTasksPage = useTasksStore((state) => state.setOnTasksPage);
  useEffect(() => {
    if (ready) setOnTasksPage(view === 'tasks');
  }, [ready, view, setOnTasksPage]);
  useEffect(() => {
    document.documentElement.dataset.theme = theme;
  }, [theme]);
  return (
    <div className="app-frame">
      <Sidebar />
      <main className="app-main" data-view={view}>
        <NoticeBar />
        {!ready ? <div className="loading">Loading…</div> : null}
        {ready && view === 'chat' ? <ChatView /> : null}
        {ready && view === 'tasks' ? <TasksView /> : null}
        {ready && view === 'activity' ? <ActivityView /> : null}
        {ready && view === 'settings' ? <SettingsView /> : null}
        <LeaveDraftDialog />
      </main>
      <LinkPromptDialog />
      <ShortcutsDialog />
    </div>
  );
}

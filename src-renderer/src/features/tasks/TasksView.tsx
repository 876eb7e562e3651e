import { ListChecks, Plus } from 'lucide-react';
import { useEffect } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { EmptyState } from '../../components/ui/EmptyState';
import { ViewHeader } from '../../components/ui/ViewHeader';
import { useAgentsStore } from '../../stores/agents-store';
import { useAppStore } from '../../stores/app-store';
import { useConnectionsStore } from '../../stores/connections-store';
import { useTasksStore } from '../../stores/tasks-store';
import { NewTaskForm } from './NewTaskForm';
import { TaskDetail } from './TaskDetail';
import { TaskList } from './TaskList';
import './tasks.css';

export function TasksView() {
  const hasConnections = useAppStore((state) => (state.settings?.connections.length ?? 0) > 0);
  const show = useAppStore((state) => state.show);
  const loadAgents = useAgentsStore((state) => state.load);
  const loadConnections = useConnectionsStore((state) => state.load);
  const { tasks, loaded, loadError, selectedId, composing, init, select, compose } = useTasksStore(
    useShallow((state) => ({
      tasks: state.tasks,
      loaded: state.loaded,
      loadError: state.loadError,
      selectedId: state.selectedId,
      composing: state.composing,
      init: state.init,
      select: state.select,
      compose: state.compose,
    })),
  );
  useEffect(() => {
    void Promise.all([init(), loadAgents(), loadConnections()]);
  }, [init, loadAgents, loadConnections]);

  const hasTasks = Object.keys(tasks).length > 0;
  const selected = selectedId && tasks[selectedId] ? selectedId : null;
  const showEmpty = loaded && !hasTasks && !composing;
  const newTaskButton = hasConnections ? (
    <button type="button" className="button-primary" onClick={compose}>
      <Plus size={15} aria-hidden="true" /> New task
    </button>
  ) : null;

  return (
    <section className="view tasks-view">
      <ViewHeader
        title="Tasks"
        subtitle="Background work run by specialist agents, routed by your rules."
        actions={hasTasks ? newTaskButton : null}
      />
      {loadError ? (
        <p className="form-error" role="alert">
          Your tasks could not be loaded: {loadError}
        </p>
      ) : null}
      {showEmpty ? (
        <EmptyState
          icon={ListChecks}
          title="No tasks yet"
          action={
            hasConnections ? (
              newTaskButton
            ) : (
              <button type="button" className="button-primary" onClick={() => show('settings')}>
                Add a provider
              </button>
            )
          }
        >
          <p>
            A task gives an instruction to an agent (Builder, Planner, Research, Vision or one of your own). Each one runs on the provider
            your routing rules choose, falls over to the next when a provider fails, and shows why it went where it went.
          </p>
          {hasConnections ? null : <p>First add a provider: tasks need at least one connection.</p>}
        </EmptyState>
      ) : null}
      {loaded && !showEmpty ? (
        <div className={hasTasks ? 'tasks-layout' : 'tasks-layout tasks-layout-single'}>
          {hasTasks ? (
            <nav className="task-list-pane" aria-label="Task list">
              <TaskList tasks={tasks} selectedId={selected} onSelect={(id) => void select(id)} />
            </nav>
          ) : null}
          <div className="task-pane">
            {selected && !composing ? (
              <TaskDetail id={selected} />
            ) : hasConnections ? (
              <NewTaskForm
                onClose={hasTasks ? () => void select(Object.values(tasks).sort((a, b) => b.createdAt - a.createdAt)[0]!.id) : undefined}
              />
            ) : (
              <p className="muted">Add a provider in Settings to run new tasks.</p>
            )}
          </div>
        </div>
      ) : null}
    </section>
  );
}

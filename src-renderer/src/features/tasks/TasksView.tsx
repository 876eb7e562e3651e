import { ListChecks } from 'lucide-react';
import { EmptyState } from '../../components/ui/EmptyState';
import { ViewHeader } from '../../components/ui/ViewHeader';
import { useAppStore } from '../../stores/app-store';

export function TasksView() {
  const hasConnections = useAppStore((state) => (state.settings?.connections.length ?? 0) > 0);
  const show = useAppStore((state) => state.show);
  return (
    <section className="view">
      <ViewHeader title="Tasks" subtitle="Background work run by specialist agents, routed by your rules." />
      <EmptyState
        icon={ListChecks}
        title="No tasks yet"
        action={
          hasConnections ? null : (
            <button type="button" className="button-primary" onClick={() => show('settings')}>
              Add a provider
            </button>
          )
        }
      >
        <p>
          A task gives an instruction to an agent (builder, planner, research, vision_agent or one of your own).
          Each one runs on the backend your routing rules choose, falls over to the next when a provider fails, and
          shows why it went where it went.
        </p>
        {hasConnections ? null : <p>First add a provider: tasks need at least one connection.</p>}
      </EmptyState>
    </section>
  );
}

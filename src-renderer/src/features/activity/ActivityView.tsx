import { Activity } from 'lucide-react';
import { EmptyState } from '../../components/ui/EmptyState';
import { ViewHeader } from '../../components/ui/ViewHeader';

export function ActivityView() {
  return (
    <section className="view">
      <ViewHeader title="Activity" subtitle="Every call to a provider: who answered, how fast, what it cost." />
      <EmptyState icon={Activity} title="No calls yet">
        <p>
          When you chat, run a task or use the local gateway, each call appears here with its provider, model,
          latency, tokens and cost, and charts show latency, errors and spend per provider over time.
        </p>
      </EmptyState>
    </section>
  );
}

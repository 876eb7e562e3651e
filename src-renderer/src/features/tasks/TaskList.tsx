import { useMemo, useState } from 'react';
import type { StoredTask } from '../../../../src-shared/schemas/stored-task';
import { agentDisplayName } from '../../../../src-shared/schemas/agent';
import { formatUsd } from '../../lib/money';
import { firstLine, pausedWords, statusWords } from './task-format';
import { formatListTime } from '../../lib/date-time';

export function TaskList(props: { tasks: Record<string, StoredTask>; selectedId: string | null; onSelect(id: string): void }) {
  // Rows show "14:05" for today; a list open across midnight keeps its first day's reading, which is fine.
  const [now] = useState(() => Date.now());
  const ordered = useMemo(() => Object.values(props.tasks).sort((left, right) => right.createdAt - left.createdAt), [props.tasks]);
  if (ordered.length === 0) return <p className="task-list-empty muted">No tasks yet. Your tasks appear here as they run.</p>;
  return (
    <ul className="task-list" aria-label="Tasks">
      {ordered.map((task) => (
        <li key={task.id}>
          <button
            type="button"
            className={task.id === props.selectedId ? 'task-row selected' : 'task-row'}
            aria-current={task.id === props.selectedId ? 'true' : undefined}
            data-testid="task-row"
            data-status={task.status}
            onClick={() => props.onSelect(task.id)}
          >
            <span className="task-row-top">
              <span className={`badge task-status task-status-${task.status}`}>{statusWords[task.status]}</span>
              <span className="task-row-agent">{agentDisplayName(task.agent)}</span>
              <span className="task-row-time">{formatListTime(task.createdAt, now)}</span>
            </span>
            <span className="task-row-instruction">{firstLine(task.instruction) || '(no instruction)'}</span>
            {task.costUsd > 0 || task.status === 'paused' ? (
              <span className="task-row-bottom">
                {task.status === 'paused' ? <span className="task-row-reason">{pausedWords(task)}</span> : <span />}
                {task.costUsd > 0 ? <span className="task-row-cost">{formatUsd(task.costUsd)}</span> : null}
              </span>
            ) : null}
          </button>
        </li>
      ))}
    </ul>
  );
}

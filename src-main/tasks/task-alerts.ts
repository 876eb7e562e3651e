import { agentDisplayName } from '../../src-shared/schemas/agent';
import type { StoredTask, TaskStatus } from '../../src-shared/schemas/stored-task';

/** An OS notification about a task, in the user's words. */
export interface TaskAlert {
  taskId: string;
  title: string;
  body: string;
}

/** The moments worth interrupting someone who is elsewhere for: the task needs nothing more, or waits. */
const alertTitles: Partial<Record<TaskStatus, string>> = {
  done: 'finished',
  failed: 'failed',
  paused: 'paused',
};

/**
 * Decides when a task's change is worth an OS notification: it finished, failed or paused while the
 * user was not looking at Tasks (another page, or another window in front). Each change is told once.
 */
export function createTaskAlerts(deps: { notify(alert: TaskAlert): void; userIsWatching(): boolean }) {
  const lastStatus = new Map<string, TaskStatus>();
  return {
    observe(task: StoredTask): void {
      const before = lastStatus.get(task.id);
      lastStatus.set(task.id, task.status);
      const word = alertTitles[task.status];
      // A task seen for the first time in an end state (a list at start-up) is old news.
      if (!word || before === undefined || before === task.status || deps.userIsWatching()) return;
      const instruction = task.instruction.trim().split('\n', 1)[0] ?? '';
      const why = task.status === 'paused' ? task.pausedReason : task.summary;
      deps.notify({
        taskId: task.id,
        title: `${agentDisplayName(task.agent)} task ${word}`,
        body: [why ? `${why.replace(/\.$/, '')}.` : null, instruction ? `“${truncate(instruction, 80)}”` : null].filter(Boolean).join(' '),
      });
    },
  };
}

function truncate(text: string, length: number): string {
  return text.length <= length ? text : `${text.slice(0, length - 1)}…`;
}

export type TaskAlerts = ReturnType<typeof createTaskAlerts>;

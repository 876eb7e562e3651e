// Background tasks: their status, streamed answer, usage and trace, and what survives a restart.
import { z } from 'zod';
import { appErrorSchema, type AppError } from '../../src-shared/errors/app-error';
import { contentPartSchema } from '../../src-shared/schemas/chat-message';
import { candidateRefSchema, type CandidateRef } from '../../src-shared/schemas/route-plan';
import {
  finishedTaskStatuses,
  taskInputSchema,
  taskStatusChangeSchema,
  taskTraceEventSchema,
  taskUsageSchema,
  type StoredTask,
  type TaskInput,
  type TaskStatus,
  type TaskStatusChange,
  type TaskTraceEvent,
  type TaskUsage,
} from '../../src-shared/schemas/stored-task';
import type { Database, Statement } from './database';
import { newId, notFound, parseInput, readJson, writeJson, type Clock } from './storage-helpers';

export interface TasksRepositoryOptions {
  now?: Clock;
}

export interface TaskListOptions {
  statuses?: readonly TaskStatus[];
  limit?: number;
  offset?: number;
}

export interface TasksRepository {
  /** Stores a new task in status `queued`. */
  create(input: TaskInput): Promise<StoredTask>;
  /** The task with its full trace. */
  get(id: string): Promise<StoredTask | null>;
  /** Newest first, optionally only some statuses; `trace` is left empty (use `get`). */
  list(options?: TaskListOptions): Promise<StoredTask[]>;
  /** Sets the status and stamps startedAt / finishedAt; leaving `paused` clears the paused reason. */
  updateStatus(id: string, change: TaskStatusChange): Promise<StoredTask>;
  appendAnswer(id: string, text: string): Promise<void>;
  /** Replaces the answer, e.g. when a fallback provider starts the answer over. */
  setAnswer(id: string, text: string): Promise<void>;
  appendTrace(id: string, events: readonly TaskTraceEvent[]): Promise<void>;
  /** Adds one call's tokens and cost to the task's totals. */
  addUsage(id: string, usage: TaskUsage): Promise<void>;
  /** Run at start-up: tasks that were running when the app stopped become `interrupted`; returns their ids. */
  markRunningAsInterrupted(): Promise<string[]>;
  /** Queued and paused tasks, oldest first: what the task runner picks up after a restart. */
  listResumable(): Promise<StoredTask[]>;
}

interface TaskRow {
  id: string;
  agent: string;
  instruction: string;
  attachments: string;
  tier: string | null;
  route: string | null;
  modelOverride: string | null;
  localOnly: number;
  status: TaskStatus;
  pausedReason: string | null;
  answer: string;
  summary: string | null;
  output: string | null;
  inputTokens: number;
  outputTokens: number;
  costUsd: number;
  error: string | null;
  createdAt: number;
  updatedAt: number;
  startedAt: number | null;
  finishedAt: number | null;
}

const taskColumns = `id, agent, instruction, attachments, tier, route, model_override AS modelOverride, local_only AS localOnly, status, paused_reason AS pausedReason,
  answer, summary, output, input_tokens AS inputTokens, output_tokens AS outputTokens, cost_usd AS costUsd, error,
  created_at AS createdAt, updated_at AS updatedAt, started_at AS startedAt, finished_at AS finishedAt`;

/** Statuses in which the task was doing work when the app stopped. */
const inFlightStatuses: readonly TaskStatus[] = ['running', 'escalated'];

const attachmentsSchema = z.array(contentPartSchema);

function toTask(row: TaskRow, trace: TaskTraceEvent[] = []): StoredTask {
  return {
    id: row.id,
    agent: row.agent,
    instruction: row.instruction,
    attachments: readJson(row.attachments, attachmentsSchema, []),
    tier: row.tier,
    route: row.route,
    modelOverride: readJson<CandidateRef | null>(row.modelOverride, candidateRefSchema, null),
    localOnly: row.localOnly === 1,
    status: row.status,
    pausedReason: row.pausedReason,
    answer: row.answer,
    summary: row.summary,
    output: readJson<unknown>(row.output, z.unknown(), null),
    trace,
    inputTokens: row.inputTokens,
    outputTokens: row.outputTokens,
    costUsd: row.costUsd,
    error: readJson<AppError | null>(row.error, appErrorSchema, null),
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
    startedAt: row.startedAt,
    finishedAt: row.finishedAt,
  };
}

const statusList = (statuses: readonly TaskStatus[]) => statuses.map((status) => `'${status}'`).join(', ');

export function createTasksRepository(database: Database, options: TasksRepositoryOptions = {}): TasksRepository {
  const now = options.now ?? Date.now;

  const get = async (id: string): Promise<StoredTask | null> => {
    const [row, events] = await database.transaction([
      { sql: `SELECT ${taskColumns} FROM tasks WHERE id = ?`, params: [id], op: 'get' },
      { sql: 'SELECT event FROM task_trace WHERE task_id = ? ORDER BY sequence', params: [id], op: 'all' },
    ]);
    if (!row) return null;
    const trace = (events as Array<{ event: string }>)
      .map((entry) => readJson<TaskTraceEvent | null>(entry.event, taskTraceEventSchema, null))
      .filter((event): event is TaskTraceEvent => event !== null);
    return toTask(row as TaskRow, trace);
  };

  const mustChange = async (sql: string, params: Array<string | number | null>): Promise<void> => {
    const result = await database.run(sql, params);
    if (result.changes === 0) throw notFound('The task');
  };

  return {
    async create(input) {
      const parsed = parseInput(taskInputSchema, input);
      const at = now();
      const row = await database.get<TaskRow>(
        `INSERT INTO tasks (id, agent, instruction, attachments, tier, route, model_override, local_only, status, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'queued', ?, ?) RETURNING ${taskColumns}`,
        [
          newId(),
          parsed.agent,
          parsed.instruction,
          JSON.stringify(parsed.attachments),
          parsed.tier,
          parsed.route,
          parsed.modelOverride ? JSON.stringify(parsed.modelOverride) : null,
          parsed.localOnly,
          at,
          at,
        ],
      );
      return toTask(row!);
    },

    get,

    async list(listOptions = {}) {
      const limit = Math.min(Math.max(listOptions.limit ?? 100, 1), 1000);
      const offset = Math.max(listOptions.offset ?? 0, 0);
      const statuses = listOptions.statuses?.filter((status, index, all) => all.indexOf(status) === index);
      const where = statuses && statuses.length > 0 ? `WHERE status IN (${statuses.map(() => '?').join(', ')})` : '';
      const rows = await database.all<TaskRow>(`SELECT ${taskColumns} FROM tasks ${where} ORDER BY created_at DESC, id LIMIT ? OFFSET ?`, [
        ...(statuses ?? []),
        limit,
        offset,
      ]);
      return rows.map((row) => toTask(row));
    },

    async updateStatus(id, change) {
      const parsed = parseInput(taskStatusChangeSchema, change);
      const at = now();
      const finished = finishedTaskStatuses.includes(parsed.status);
      const row = await database.get<TaskRow>(
        `UPDATE tasks SET
           status = :status,
           paused_reason = CASE WHEN :status = 'paused' THEN coalesce(:pausedReason, paused_reason) ELSE NULL END,
           error = CASE WHEN :setError THEN :error ELSE error END,
           output = CASE WHEN :setOutput THEN :output ELSE output END,
           summary = CASE WHEN :setSummary THEN :summary ELSE summary END,
           started_at = CASE WHEN :status = 'running' THEN coalesce(started_at, :at) ELSE started_at END,
           finished_at = CASE WHEN :finished THEN :at ELSE NULL END,
           updated_at = :at
         WHERE id = :id RETURNING ${taskColumns}`,
        {
          id,
          status: parsed.status,
          pausedReason: parsed.pausedReason ?? null,
          setError: parsed.error !== undefined,
          error: writeJson(parsed.error),
          setOutput: parsed.output !== undefined,
          output: writeJson(parsed.output),
          setSummary: parsed.summary !== undefined,
          summary: parsed.summary ?? null,
          finished,
          at,
        },
      );
      if (!row) throw notFound('The task');
      return toTask(row);
    },

    async appendAnswer(id, text) {
      if (text.length === 0) return;
      await mustChange('UPDATE tasks SET answer = answer || ?, updated_at = ? WHERE id = ?', [text, now(), id]);
    },

    async setAnswer(id, text) {
      await mustChange('UPDATE tasks SET answer = ?, updated_at = ? WHERE id = ?', [text, now(), id]);
    },

    async appendTrace(id, events) {
      if (events.length === 0) return;
      const parsed = events.map((event) => parseInput(taskTraceEventSchema, event));
      const statements: Statement[] = parsed.map((event) => ({
        sql: `INSERT INTO task_trace (task_id, sequence, event)
              SELECT t.id, (SELECT coalesce(max(sequence), 0) + 1 FROM task_trace WHERE task_id = t.id), ? FROM tasks t WHERE t.id = ?`,
        params: [JSON.stringify(event), id],
      }));
      statements.push({ sql: 'UPDATE tasks SET updated_at = ? WHERE id = ?', params: [now(), id] });
      const results = (await database.transaction(statements)) as Array<{ changes: number }>;
      if (results.at(-1)?.changes === 0) throw notFound('The task');
    },

    async addUsage(id, usage) {
      const parsed = parseInput(taskUsageSchema, usage);
      await mustChange(
        'UPDATE tasks SET input_tokens = input_tokens + ?, output_tokens = output_tokens + ?, cost_usd = cost_usd + ?, updated_at = ? WHERE id = ?',
        [parsed.inputTokens, parsed.outputTokens, parsed.costUsd, now(), id],
      );
    },

    async markRunningAsInterrupted() {
      const rows = await database.all<{ id: string }>(
        `UPDATE tasks SET status = 'interrupted', finished_at = ?, updated_at = ? WHERE status IN (${statusList(inFlightStatuses)}) RETURNING id`,
        [now(), now()],
      );
      return rows.map((row) => row.id).sort();
    },

    async listResumable() {
      const rows = await database.all<TaskRow>(
        `SELECT ${taskColumns} FROM tasks WHERE status IN ('queued', 'paused') ORDER BY created_at, id`,
      );
      return rows.map((row) => toTask(row));
    },
  };
}

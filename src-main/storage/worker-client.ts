// Talks to one storage worker: numbers requests, matches replies, and turns a dead worker into errors
// instead of promises that never settle.
import { Worker, type WorkerOptions as NodeWorkerOptions } from 'node:worker_threads';
import type { OpenedInfo, WorkerFailure, WorkerOptions, WorkerReply, WorkerRequest } from './storage-worker';

/** Builds the worker thread; injectable so tests can hold the Worker and terminate it like a crash. */
export type CreateWorker = (url: URL, options: NodeWorkerOptions) => Worker;

export const createNodeWorker: CreateWorker = (url, options) => new Worker(url, options);

/** A failure reported by the worker or by its death; `code` is an SQLITE_* name or WORKER_EXITED. */
export class WorkerRequestError extends Error {
  readonly code: string;
  constructor(failure: WorkerFailure) {
    super(failure.message);
    this.name = 'WorkerRequestError';
    this.code = failure.code;
  }
}

type Pending = { resolve: (value: unknown) => void; reject: (error: WorkerRequestError) => void };
type RequestWithoutId = WorkerRequest extends infer Request ? (Request extends WorkerRequest ? Omit<Request, 'id'> : never) : never;

export interface WorkerClient {
  /** Resolves once the worker has opened the file, or rejects with why it could not. */
  readonly opened: Promise<OpenedInfo>;
  readonly alive: () => boolean;
  request(request: RequestWithoutId): Promise<unknown>;
  /** Stops the thread without asking it to close the database. */
  terminate(): Promise<void>;
}

export function startWorkerClient(workerUrl: URL, options: WorkerOptions, createWorker: CreateWorker, onExit: () => void): WorkerClient {
  // The worker needs none of the parent's flags (test-runner hooks, inspector ports).
  const worker = createWorker(workerUrl, { workerData: options, execArgv: [] });
  const pending = new Map<number, Pending>();
  let nextId = 1;
  let alive = true;
  let settleOpen: Pending | null = null;
  const opened = new Promise<OpenedInfo>((resolve, reject) => {
    settleOpen = { resolve: (value) => resolve(value as OpenedInfo), reject };
  });
  const failAll = (failure: WorkerFailure) => {
    alive = false;
    const error = new WorkerRequestError(failure);
    settleOpen?.reject(error);
    settleOpen = null;
    for (const entry of pending.values()) entry.reject(error);
    pending.clear();
  };

  worker.on('message', (reply: WorkerReply) => {
    const entry = reply.id === 0 ? settleOpen : pending.get(reply.id);
    if (!entry) return;
    if (reply.id === 0) settleOpen = null;
    else pending.delete(reply.id);
    // Referenced only while a request is out: an idle database must not keep a headless process alive.
    if (pending.size === 0) worker.unref();
    if (reply.ok) entry.resolve(reply.value);
    else entry.reject(new WorkerRequestError(reply.error));
  });
  worker.on('error', (error) => failAll({ message: `The database worker failed: ${error.message}`, code: 'WORKER_FAILED' }));
  worker.on('exit', (exitCode) => {
    failAll({ message: `The database worker stopped (exit code ${exitCode}).`, code: 'WORKER_EXITED' });
    onExit();
  });

  return {
    opened,
    alive: () => alive,
    request(request) {
      if (!alive) {
        return Promise.reject(new WorkerRequestError({ message: 'The database worker is not running.', code: 'WORKER_EXITED' }));
      }
      const id = nextId;
      nextId += 1;
      return new Promise((resolve, reject) => {
        if (pending.size === 0) worker.ref();
        pending.set(id, { resolve, reject });
        worker.postMessage({ ...request, id } as WorkerRequest);
      });
    },
    async terminate() {
      alive = false;
      await worker.terminate();
    },
  };
}

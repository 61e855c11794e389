/**
 * Runs EntryChecker on pages either in this thread or in worker threads. Workers pay off only on a
 * large journal: each takes a second or two to start (it loads TypeScript through tsx), so small
 * verifications (a test's street, a fresh install) stay in-thread.
 */
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { SERVER_SOURCE_DIR } from '../../paths.ts';
import { EntryChecker, type CheckOptions, type PageResult, type PageTask } from './check-entries.ts';

export interface CheckPool {
  readonly threads: number;
  check(task: PageTask): Promise<PageResult>;
  close(): Promise<void>;
}

export function createCheckPool(threads: number, options: CheckOptions): CheckPool {
  return threads <= 0 ? new InlinePool(options) : new WorkerPool(threads, options);
}

class InlinePool implements CheckPool {
  readonly threads = 0;
  private readonly checker: EntryChecker;

  constructor(options: CheckOptions) {
    this.checker = new EntryChecker(options);
  }

  async check(task: PageTask): Promise<PageResult> {
    return this.checker.check(task);
  }

  async close(): Promise<void> {}
}

interface Pending {
  resolve: (result: PageResult) => void;
  reject: (error: Error) => void;
}

const WORKER_URL = pathToFileURL(join(SERVER_SOURCE_DIR, 'modules/journal/verify-worker.ts'));

class WorkerPool implements CheckPool {
  private readonly workers: { worker: Worker; pending: Map<number, Pending> }[] = [];
  private nextId = 1;

  constructor(
    readonly threads: number,
    options: CheckOptions,
  ) {
    // The worker's entry is TypeScript: a one-line bootstrap loads it through tsx's API, which works
    // whether the parent runs under tsx, vitest or plain node.
    const bootstrap = `import('tsx/esm/api').then((api) => api.tsImport(${JSON.stringify(WORKER_URL.href)}, ${JSON.stringify(import.meta.url)}))`;
    for (let i = 0; i < threads; i++) {
      const worker = new Worker(bootstrap, { eval: true, workerData: options });
      const pending = new Map<number, Pending>();
      worker.on('message', (message: { id: number; result?: PageResult; error?: string }) => {
        const waiting = pending.get(message.id);
        if (!waiting) return;
        pending.delete(message.id);
        if (message.error !== undefined) waiting.reject(new Error(message.error));
        else waiting.resolve(message.result!);
      });
      worker.on('error', (error) => {
        for (const waiting of pending.values()) waiting.reject(error);
        pending.clear();
      });
      this.workers.push({ worker, pending });
    }
  }

  check(task: PageTask): Promise<PageResult> {
    // The least busy worker takes the page; pages come back in any order, the caller keeps order.
    const target = this.workers.reduce((best, candidate) =>
      candidate.pending.size < best.pending.size ? candidate : best,
    );
    const id = this.nextId++;
    return new Promise<PageResult>((resolve, reject) => {
      target.pending.set(id, { resolve, reject });
      target.worker.postMessage({ id, task });
    });
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map(({ worker }) => worker.terminate()));
  }
}

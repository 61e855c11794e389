/**
 * A worker thread of `minqing verify`: checks pages of entries (hashes, Merkle roots, signatures)
 * while the main thread reads the next pages from the database and walks the chains.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { EntryChecker, type CheckOptions, type PageTask } from './check-entries.ts';

const checker = new EntryChecker(workerData as CheckOptions);

parentPort!.on('message', (message: { id: number; task: PageTask }) => {
  try {
    parentPort!.postMessage({ id: message.id, result: checker.check(message.task) });
  } catch (error) {
    parentPort!.postMessage({ id: message.id, error: (error as Error).stack ?? String(error) });
  }
});

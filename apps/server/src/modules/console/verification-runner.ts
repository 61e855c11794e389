import type { App } from '../../app.ts';
import { verifyJournal, type VerifyProgress } from '../journal/verify-journal.ts';
import { updateVerificationRun } from './repository.ts';

/** How often a run writes its progress: often enough for a smooth bar, rarely enough to cost nothing. */
const PROGRESS_EVERY_MS = 250;

/**
 * Runs journal verifications in the background of this process and writes their progress to
 * console_verification_runs, so that whichever process answers the progress bar's polling knows.
 * Closing the app waits for the runs in flight.
 */
export class VerificationRunner {
  private readonly running = new Set<Promise<void>>();

  constructor(private readonly app: App) {}

  start(runId: string, streetId: string): void {
    const run = this.execute(runId, streetId).finally(() => this.running.delete(run));
    this.running.add(run);
  }

  async close(): Promise<void> {
    await Promise.allSettled([...this.running]);
  }

  private async execute(runId: string, streetId: string): Promise<void> {
    const db = this.app.db;
    let lastWrite = 0;
    let writing: Promise<void> = Promise.resolve();
    const onProgress = (progress: VerifyProgress) => {
      const now = performance.now();
      if (now - lastWrite < PROGRESS_EVERY_MS) return;
      lastWrite = now;
      // Progress writes queue behind each other; a slow one delays the bar, never the verification.
      writing = writing.then(() =>
        updateVerificationRun(db, runId, {
          phase: progress.phase,
          checked: progress.checked,
          total: progress.total,
        }).catch((error: unknown) => this.app.log.warn({ err: error }, 'verification progress not saved')),
      );
    };
    try {
      const report = await verifyJournal(db, { streetId, onProgress });
      await writing;
      await updateVerificationRun(db, runId, {
        status: report.isValid ? 'passed' : 'failed',
        phase: 'done',
        checked: report.entries,
        total: report.entries,
        report: {
          entries: report.entries,
          records: report.records,
          batches: report.batches,
          unsealedEntries: report.unsealedEntries,
          signaturesChecked: report.signaturesChecked,
          problemCount: report.problemCount,
          problems: report.problems.slice(0, 20),
          durationMs: Math.round(report.durationMs),
        },
        finished: true,
      });
    } catch (error) {
      await writing;
      this.app.log.error({ err: error, runId }, 'journal verification failed to run');
      await updateVerificationRun(db, runId, {
        status: 'error',
        phase: 'done',
        error: error instanceof Error ? error.message : String(error),
        finished: true,
      }).catch(() => {});
    }
  }
}

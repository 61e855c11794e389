import type { VerificationRun } from '@minqing/contract';
import type { App } from '../../app.ts';
import { errors } from '../../errors.ts';
import type { Actor } from '../../policy/index.ts';
import { mayAuditJournal } from './policy.ts';
import { presentVerificationRun } from './present.ts';
import { abandonStaleRuns, findRunningVerification, insertVerificationRun } from './repository.ts';
import type { VerificationRunner } from './verification-runner.ts';

/** A run that has not reported progress for this long belongs to a process that stopped. */
export const STALE_RUN_MS = 120_000;

/**
 * Starts verifying a street's journal (hashes, chains, signed Merkle batches, projections) in the
 * background and answers at once with the run, whose progress GET /api/console/journal/verifications/:id
 * reports. One run per street at a time: asking again while one runs returns that run.
 */
export async function startVerification(
  app: App,
  runner: VerificationRunner,
  actor: Actor,
  streetId: string,
): Promise<{ run: VerificationRun; isNew: boolean }> {
  const street = await app.areas.getUnit(streetId);
  if (!street || street.kind !== 'street') throw errors.notFound({ zh: '街道/乡镇', en: 'Street' });
  if (!mayAuditJournal(actor, street.path)) throw errors.forbidden();
  const staleBefore = new Date(Date.now() - STALE_RUN_MS);
  await abandonStaleRuns(app.db, streetId, staleBefore);
  const running = await findRunningVerification(app.db, streetId, staleBefore);
  if (running) return { run: presentVerificationRun(running), isNew: false };
  const row = await insertVerificationRun(app.db, {
    id: crypto.randomUUID(),
    streetId,
    startedBy: actor.userId,
  });
  runner.start(row.id, streetId);
  return { run: presentVerificationRun(row), isNew: true };
}

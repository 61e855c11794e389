import type { VerificationRun } from '@minqing/contract';
import type { App } from '../../app.ts';
import { errors } from '../../errors.ts';
import type { Actor } from '../../policy/index.ts';
import { mayAuditJournal } from './policy.ts';
import { presentVerificationRun } from './present.ts';
import { findVerificationRun } from './repository.ts';

/** A verification run and its progress, for those who may audit its street's journal. */
export async function getVerification(app: App, actor: Actor, id: string): Promise<VerificationRun> {
  const row = await findVerificationRun(app.db, id);
  const street = row ? await app.areas.getUnit(row.street_id) : undefined;
  if (!row || !street || !mayAuditJournal(actor, street.path)) {
    throw errors.notFound({ zh: '核验任务', en: 'Verification run' });
  }
  return presentVerificationRun(row);
}

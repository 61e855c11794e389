import type { PatrolDetail } from '@minqing/contract';
import type { App } from '../../app.ts';
import type { Actor } from '../../policy/index.ts';
import { getCase } from '../cases/get-case.ts';
import { presentCheckin } from './check-in.ts';
import { patrolErrors } from './errors.ts';
import { canReadPatrol, cannotSee } from './policy.ts';
import { presentPatrol } from './present.ts';
import { findPatrol, listCheckins, listFindings } from './repository.ts';

/** A patrol with its summary, check-ins and findings (each with its case's state now); no track. */
export async function getPatrol(app: App, actor: Actor, patrolId: string): Promise<PatrolDetail> {
  const row = await findPatrol(app.db, patrolId);
  if (!row) throw patrolErrors.patrolNotFound();
  if (!canReadPatrol(actor, row)) throw cannotSee(actor);
  const [checkins, findings] = await Promise.all([
    listCheckins(app.db, patrolId),
    listFindings(app.db, patrolId),
  ]);
  const cases = [];
  // The case module answers for each case (and whether this reader may see it).
  for (const finding of findings) {
    const detail = await getCase(app, actor, finding.case_id).catch(() => null);
    if (!detail) continue;
    cases.push({
      caseId: detail.id,
      code: detail.code,
      category: detail.category.name.zh,
      state: detail.state,
      stateName: detail.stateName,
      handledOnTheSpot: finding.on_the_spot,
      at: finding.created_at.toISOString(),
    });
  }
  return {
    ...presentPatrol(row, actor),
    checkins: checkins.map((c) => presentCheckin(c, app.fieldCipher)),
    findings: cases,
  };
}

import type { App } from '../../app.ts';
import { errors } from '../../errors.ts';
import type { Actor } from '../../policy/index.ts';
import { canReadCase, canRevealReporterContact, cannotSee } from './policy.ts';
import { findCase, logContactRead, reporterPhoneOf } from './repository.ts';
import { accessOf, notFound } from './transition-case.ts';

/**
 * The reporter's full name and phone for the admin or grid worker who must call back or visit.
 * Every other view shows them masked; each read here is written to the access log with its purpose.
 */
export async function revealReporterContact(
  app: App,
  actor: Actor,
  caseId: string,
  request: { purpose: string; ip: string | null },
): Promise<{ name: string | null; phone: string | null }> {
  const row = await findCase(app.db, caseId);
  if (!row) throw notFound();
  if (!canReadCase(actor, accessOf(row))) throw cannotSee(actor);
  if (!canRevealReporterContact(actor, accessOf(row))) throw errors.forbidden();
  const encrypted =
    row.reporter_phone_enc ?? (row.reporter_id ? await reporterPhoneOf(app.db, row.reporter_id) : null);
  await logContactRead(app.db, { actorId: actor.userId, caseId, purpose: request.purpose, ip: request.ip });
  return { name: row.reporter_name, phone: encrypted ? app.fieldCipher.decrypt(encrypted) : null };
}

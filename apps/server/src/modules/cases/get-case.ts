import type { CaseDetail, PhotoStage } from '@minqing/contract';
import type { App } from '../../app.ts';
import type { Actor } from '../../policy/index.ts';
import { CategoryStore } from './category-store.ts';
import { photoDescriptor, workingCalendar } from './collaborators.ts';
import { canReadCase, cannotSee } from './policy.ts';
import { presentCase, presentTimeline } from './present.ts';
import { findCaseWithNames, readPhotos, readTimeline } from './repository.ts';
import { accessOf, notFound } from './transition-case.ts';

/** A case with its full timeline from the journal, its photos and what the caller may do now. */
export async function getCase(app: App, actor: Actor | null, caseId: string): Promise<CaseDetail> {
  const row = await findCaseWithNames(app.db, caseId);
  if (!row) throw notFound();
  if (!canReadCase(actor, accessOf(row))) throw cannotSee(actor);
  const [timeline, photos, calendar, categories] = await Promise.all([
    readTimeline(app.db, caseId),
    readPhotos(app.db, caseId),
    workingCalendar(app),
    CategoryStore.of(app.db).all(),
  ]);
  return {
    ...presentCase(row, { actor, calendar, categories, now: new Date() }),
    timeline: presentTimeline(timeline, actor),
    photos: photos.map((photo) => ({
      ...photoDescriptor({ id: photo.upload_id, sha256: photo.sha256 }, photo.stage as PhotoStage),
      addedAt: photo.added_at.toISOString(),
    })),
    closureStandard: categories.get(row.category_code)?.closureStandard ?? '',
  };
}

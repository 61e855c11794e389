import type { PhotoDescriptor, PhotoStage } from '@minqing/contract';
import type { Db } from '../../db/database.ts';
import { errors } from '../../errors.ts';
import { describePhoto } from './present.ts';
import { findUploads, insertCasePhotos, isStaffUser, setUploadsStreetFromCase } from './repository.ts';

export interface AttachPhotosInput {
  caseId: string;
  uploadIds: string[];
  stage: PhotoStage;
  /** Who attaches them; null for a report by the public. */
  actorId: string | null;
}

/**
 * Links uploaded photos to a case at a stage of its workflow, in the caller's transaction, and
 * returns what the case's journal entry records of each (id, sha256, urls). The uploads must exist and
 * be the actor's own — staff may attach anyone's (a hotline operator forwarding a resident's photo) —
 * otherwise 422 photos_not_found names them, without saying which exist. A photo already on the case
 * is not linked twice.
 */
export async function attachPhotos(trx: Db, input: AttachPhotosInput): Promise<PhotoDescriptor[]> {
  const ids = [...new Set(input.uploadIds)];
  if (ids.length === 0) return [];
  const rows = await findUploads(trx, ids);
  const actorIsStaff = input.actorId ? await isStaffUser(trx, input.actorId) : false;
  const usable = new Map(
    rows.filter((row) => actorIsStaff || row.uploaded_by === input.actorId).map((row) => [row.id, row]),
  );
  const refused = ids.filter((id) => !usable.has(id));
  if (refused.length > 0) {
    throw errors.unprocessable(
      'photos_not_found',
      {
        zh: '部分照片不存在或不是您上传的，请重新上传',
        en: 'Some photos do not exist or were not uploaded by you; upload them again',
      },
      { uploadIds: refused },
    );
  }
  await insertCasePhotos(
    trx,
    ids.map((uploadId) => ({ caseId: input.caseId, uploadId, stage: input.stage, addedBy: input.actorId })),
  );
  await setUploadsStreetFromCase(trx, ids, input.caseId);
  return ids.map((id) => describePhoto(usable.get(id)!, input.stage));
}

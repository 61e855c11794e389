import { sql, type Selectable } from 'kysely';
import type { Db } from '../../db/database.ts';
import type { UploadsTable } from '../../db/schema.generated.ts';

/** The SQL of the uploads module. Nothing else in the module writes a query. */

export type UploadRow = Selectable<UploadsTable>;

export async function findUpload(db: Db, id: string): Promise<UploadRow | undefined> {
  return db.selectFrom('uploads').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function findUploads(db: Db, ids: string[]): Promise<UploadRow[]> {
  if (ids.length === 0) return [];
  return db.selectFrom('uploads').selectAll().where('id', 'in', ids).execute();
}

/** The upload of these bytes by this person (null: the public), if they already sent them. */
export async function findOwnUpload(
  db: Db,
  sha256: string,
  uploadedBy: string | null,
): Promise<UploadRow | undefined> {
  return db
    .selectFrom('uploads')
    .selectAll()
    .where('sha256', '=', sha256)
    .where(sql<boolean>`uploaded_by IS NOT DISTINCT FROM ${uploadedBy}`)
    .executeTakeFirst();
}

/**
 * Inserts an upload; when the same person's same bytes won a race to the unique index first, inserts
 * nothing and returns undefined (the caller reads the winner).
 */
export async function insertUpload(trx: Db, row: UploadRow): Promise<UploadRow | undefined> {
  return trx
    .insertInto('uploads')
    .values(row)
    .onConflict((oc) => oc.columns(['sha256', 'uploaded_by']).doNothing())
    .returningAll()
    .executeTakeFirst();
}

/** Is this person a staff account? Staff may attach anybody's upload (a hotline operator, an admin). */
export async function isStaffUser(db: Db, userId: string): Promise<boolean> {
  const row = await db.selectFrom('users').select('kind').where('id', '=', userId).executeTakeFirst();
  return row?.kind === 'staff';
}

export interface NewCasePhoto {
  caseId: string;
  uploadId: string;
  stage: string;
  addedBy: string | null;
}

/** Links photos to a case; a photo already linked to the case keeps its first stage. */
export async function insertCasePhotos(trx: Db, photos: NewCasePhoto[]): Promise<void> {
  if (photos.length === 0) return;
  await trx
    .insertInto('case_photos')
    .values(
      photos.map((photo) => ({
        case_id: photo.caseId,
        upload_id: photo.uploadId,
        stage: photo.stage,
        added_by: photo.addedBy,
      })),
    )
    .onConflict((oc) => oc.columns(['case_id', 'upload_id']).doNothing())
    .execute();
}

/** Uploads without a street take the street of the case they were attached to (Citus distribution key). */
export async function setUploadsStreetFromCase(trx: Db, uploadIds: string[], caseId: string): Promise<void> {
  if (uploadIds.length === 0) return;
  await trx
    .updateTable('uploads')
    .set((eb) => ({
      street_id: eb.selectFrom('cases').select('cases.street_id').where('cases.id', '=', caseId),
    }))
    .where('id', 'in', uploadIds)
    .where('street_id', 'is', null)
    .execute();
}

/** The cases showing an upload: whoever may see one of them may see its public copy. */
export async function casesShowingUpload(db: Db, uploadId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('case_photos')
    .select('case_id')
    .where('upload_id', '=', uploadId)
    .orderBy('added_at')
    .execute();
  return rows.map((row) => row.case_id);
}

/** Records a read of an original (it may carry the reporter's location); kept with the access log. */
export async function logOriginalRead(
  db: Db,
  entry: { actorId: string; uploadId: string; hadLocation: boolean; purpose: string; ip: string | null },
): Promise<void> {
  await db
    .insertInto('access_log')
    .values({
      actor_id: entry.actorId,
      action: 'read_upload_original',
      record_type: 'upload',
      record_id: entry.uploadId,
      fields: entry.hadLocation ? ['original', 'location'] : ['original'],
      purpose: entry.purpose,
      ip: entry.ip,
    })
    .execute();
}

import { errors } from '../../errors.ts';
import { hasRole, STAFF_ROLES, type Actor } from '../../policy/index.ts';
import { canReadCase, type CaseAccess } from '../cases/policy.ts';
import type { UploadRow } from './repository.ts';

/**
 * Who may upload and who may see which copy of a photo. A photo's visibility follows the cases it is
 * attached to: whoever may see one of them sees its public copy and thumbnail; the original (with
 * whatever metadata the camera wrote, GPS included) is for staff who may see such a case.
 */

export function isStaff(actor: Actor | null): boolean {
  return hasRole(actor, STAFF_ROLES);
}

/** Signed-in people may upload; the public only when public reports are allowed. */
export function authorizeUpload(actor: Actor | null, publicReports: boolean): void {
  if (!actor && !publicReports) throw errors.unauthenticated();
}

function isUploader(actor: Actor | null, upload: UploadRow): boolean {
  return !!actor && upload.uploaded_by === actor.userId;
}

export function mayViewCopies(actor: Actor | null, upload: UploadRow, cases: CaseAccess[]): boolean {
  return isUploader(actor, upload) || cases.some((row) => canReadCase(actor, row));
}

export function mayViewOriginal(actor: Actor | null, upload: UploadRow, cases: CaseAccess[]): boolean {
  return isStaff(actor) && mayViewCopies(actor, upload, cases);
}

/**
 * The answer to someone who may not see a photo: staff learn they lack the right (403); a resident or
 * the public cannot tell whether the upload exists (404).
 */
export function cannotSee(actor: Actor | null) {
  return isStaff(actor) ? errors.forbidden() : errors.notFound({ zh: '照片', en: 'Photo' });
}

/** What the uploader may do with a fresh upload. */
export function uploadActions(actor: Actor | null): string[] {
  if (!actor) return ['attach'];
  return isStaff(actor) ? ['view', 'attach', 'view_original'] : ['view', 'attach'];
}

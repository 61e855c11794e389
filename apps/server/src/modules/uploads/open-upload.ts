import type { CaseSource, CaseState } from '@minqing/contract';
import type { Readable } from 'node:stream';
import type { App } from '../../app.ts';
import { errors } from '../../errors.ts';
import type { Actor } from '../../policy/index.ts';
import type { CaseAccess } from '../cases/policy.ts';
import { findCase } from '../cases/repository.ts';
import type { BlobStore } from './blob-store.ts';
import { cannotSee, mayViewCopies, mayViewOriginal } from './policy.ts';
import { casesShowingUpload, findUpload, logOriginalRead, type UploadRow } from './repository.ts';

export interface OpenedBlob {
  stream: Readable;
  size: number;
  mime: string;
  /** The blob's content hash, a strong validator for caches. */
  etag: string;
}

const photoNotFound = () => errors.notFound({ zh: '照片', en: 'Photo' });

/** The upload and the cases it is attached to, as the policy needs them. */
async function loadWithCases(
  app: App,
  id: string,
): Promise<{ upload: UploadRow; cases: CaseAccess[] } | null> {
  const upload = await findUpload(app.db, id);
  if (!upload) return null;
  const cases: CaseAccess[] = [];
  for (const caseId of await casesShowingUpload(app.db, id)) {
    const row = await findCase(app.db, caseId);
    if (row) cases.push({ ...row, state: row.state as CaseState, source: row.source as CaseSource });
  }
  return { upload, cases };
}

async function openBlob(app: App, blobs: BlobStore, key: string, mime: string): Promise<OpenedBlob> {
  const blob = await blobs.open(key);
  if (!blob) {
    // The row says the file exists: a lost file is an operator's problem to see in the log.
    app.log.error({ key }, 'upload blob missing from the store');
    throw photoNotFound();
  }
  return { ...blob, mime, etag: `"${key.slice(key.lastIndexOf('/') + 1)}"` };
}

/**
 * The public copy or the thumbnail of a photo, for its uploader and for whoever may see a case it is
 * attached to. Neither carries metadata. 404 (403 for staff) for anyone else.
 */
export async function openUploadCopy(
  app: App,
  blobs: BlobStore,
  actor: Actor | null,
  id: string,
  variant: 'public' | 'thumb',
): Promise<OpenedBlob> {
  const found = await loadWithCases(app, id);
  if (!found) throw photoNotFound();
  if (!mayViewCopies(actor, found.upload, found.cases)) throw cannotSee(actor);
  return variant === 'public'
    ? openBlob(app, blobs, found.upload.public_key, found.upload.mime)
    : openBlob(app, blobs, found.upload.thumb_key, 'image/jpeg');
}

/**
 * The untouched original (evidence: the camera's own metadata, GPS included) for staff who may see
 * the photo. Every read is written to the access log with its purpose before a byte is sent.
 */
export async function openUploadOriginal(
  app: App,
  blobs: BlobStore,
  actor: Actor | null,
  id: string,
  read: { purpose: string; ip: string | null },
): Promise<OpenedBlob> {
  if (!actor) throw errors.unauthenticated();
  const found = await loadWithCases(app, id);
  if (!found) throw photoNotFound();
  if (!mayViewOriginal(actor, found.upload, found.cases)) throw cannotSee(actor);
  await logOriginalRead(app.db, {
    actorId: actor.userId,
    uploadId: id,
    hadLocation: found.upload.had_location,
    purpose: read.purpose,
    ip: read.ip,
  });
  return openBlob(app, blobs, found.upload.original_key, found.upload.mime);
}

import type { PhotoDescriptor, PhotoStage, Upload } from '@minqing/contract';
import type { Actor } from '../../policy/index.ts';
import { isStaff, uploadActions } from './policy.ts';
import type { UploadRow } from './repository.ts';

export function uploadUrls(id: string) {
  return { public: `/api/uploads/${id}/public`, thumb: `/api/uploads/${id}/thumb` };
}

export function presentUpload(row: UploadRow, actor: Actor | null, deduplicated: boolean): Upload {
  return {
    id: row.id,
    sha256: row.sha256,
    mime: row.mime as Upload['mime'],
    bytes: row.bytes,
    width: row.width,
    height: row.height,
    hadLocation: row.had_location,
    deduplicated,
    urls: { ...uploadUrls(row.id), original: isStaff(actor) ? `/api/uploads/${row.id}/original` : null },
    createdAt: row.created_at.toISOString(),
    allowedActions: uploadActions(actor),
  };
}

export function describePhoto(row: Pick<UploadRow, 'id' | 'sha256'>, stage: PhotoStage): PhotoDescriptor {
  return { id: row.id, sha256: row.sha256, stage, urls: uploadUrls(row.id) };
}

import { sha256Hex } from '../../crypto/index.ts';
import type { Db } from '../../db/database.ts';
import type { Actor } from '../../policy/index.ts';
import { blobKey, type BlobStore } from './blob-store.ts';
import { processImage } from './image-processing.ts';
import { findOwnUpload, insertUpload, type UploadRow } from './repository.ts';

/**
 * Stores a photo: checks it by content (415 not an image we take, 400 damaged, 413 too many pixels),
 * keeps the original as evidence, and writes a metadata-free public copy and thumbnail, all under
 * content addresses. The same bytes sent again by the same person (or by the public) return the
 * first upload instead of a second one, without decoding them again.
 */
export async function createUpload(
  db: Db,
  blobs: BlobStore,
  actor: Actor | null,
  bytes: Buffer,
): Promise<{ upload: UploadRow; created: boolean }> {
  const sha256 = sha256Hex(bytes);
  const uploadedBy = actor?.userId ?? null;
  const earlier = await findOwnUpload(db, sha256, uploadedBy);
  if (earlier) return { upload: earlier, created: false };

  const image = await processImage(bytes);
  const originalKey = blobKey('original', sha256);
  const publicKey = blobKey('public', sha256Hex(image.publicCopy.bytes));
  const thumbKey = blobKey('thumb', sha256Hex(image.thumbnail.bytes));
  // Blobs first, row second: a row never points at a missing blob, and a blob without a row (after a
  // crash) is harmless and reused by the next upload of the same bytes.
  await Promise.all([
    blobs.put(originalKey, bytes),
    blobs.put(publicKey, image.publicCopy.bytes),
    blobs.put(thumbKey, image.thumbnail.bytes),
  ]);
  const inserted = await insertUpload(db, {
    id: crypto.randomUUID(),
    sha256,
    mime: image.mime,
    bytes: bytes.length,
    width: image.width,
    height: image.height,
    original_key: originalKey,
    public_key: publicKey,
    thumb_key: thumbKey,
    had_location: image.hadLocation,
    uploaded_by: uploadedBy,
    street_id: null,
    created_at: new Date(),
  });
  if (inserted) return { upload: inserted, created: true };
  // The same person's same bytes in a concurrent request won the unique index.
  const winner = await findOwnUpload(db, sha256, uploadedBy);
  return { upload: winner!, created: false };
}

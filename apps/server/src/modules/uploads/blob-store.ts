import { createReadStream } from 'node:fs';
import { mkdir, rename, stat, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Readable } from 'node:stream';

/**
 * Where upload bytes live. Keys are content addresses (`<namespace>/ab/cd/<sha256>`): the same bytes
 * always land on the same key, so a write is idempotent, nothing is ever overwritten with different
 * content, and a backup or a replica can copy blobs in any order. The filesystem store below is the
 * default; an S3-compatible store (MinIO, OSS, COS, OBS) implements the same three methods with
 * PutObject / GetObject / HeadObject on the same keys (see docs/decisions/0501-photo-uploads.md).
 */
export interface BlobStore {
  /** Stores `bytes` under `key` unless a blob is already there (same key, same content). */
  put(key: string, bytes: Buffer): Promise<void>;
  /** The blob's bytes as a stream and its length, or null when there is none. */
  open(key: string): Promise<{ stream: Readable; size: number } | null>;
  has(key: string): Promise<boolean>;
}

/** document: a PDF kept as sent (a voucher's contract; see docs/decisions/0703). */
export type BlobNamespace = 'original' | 'public' | 'thumb' | 'document';

/** The content address of `sha256` in a namespace, fanned out by the first two bytes (65,536 folders). */
export function blobKey(namespace: BlobNamespace, sha256: string): string {
  if (!/^[0-9a-f]{64}$/.test(sha256)) throw new Error(`not a sha256 hex digest: ${sha256}`);
  return `${namespace}/${sha256.slice(0, 2)}/${sha256.slice(2, 4)}/${sha256}`;
}

const KEY = /^(original|public|thumb|document)\/[0-9a-f]{2}\/[0-9a-f]{2}\/[0-9a-f]{64}$/;

/** Blobs as files under a root folder (DATA_DIR/uploads by default). */
export class FileBlobStore implements BlobStore {
  constructor(private readonly root: string) {}

  private pathOf(key: string): string {
    // Keys come from our own hashes, but a path is a path: refuse anything that is not one.
    if (!KEY.test(key)) throw new Error(`invalid blob key: ${key}`);
    return join(this.root, key);
  }

  async put(key: string, bytes: Buffer): Promise<void> {
    const path = this.pathOf(key);
    if (await this.has(key)) return;
    await mkdir(dirname(path), { recursive: true });
    // Write aside and rename: a reader never sees half a file, and a crash leaves at most a stray temp file.
    const temp = `${path}.${process.pid}.${crypto.randomUUID()}.tmp`;
    await writeFile(temp, bytes, { mode: 0o640 });
    await rename(temp, path);
  }

  async open(key: string): Promise<{ stream: Readable; size: number } | null> {
    const path = this.pathOf(key);
    try {
      const { size } = await stat(path);
      return { stream: createReadStream(path), size };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw error;
    }
  }

  async has(key: string): Promise<boolean> {
    try {
      await stat(this.pathOf(key));
      return true;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
      throw error;
    }
  }
}

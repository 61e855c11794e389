import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, mkdtemp, readdir, rename, rm, stat } from 'node:fs/promises';
import { dirname, join, relative, sep } from 'node:path';
import { once } from 'node:events';
import { createGzip } from 'node:zlib';
import type { Database } from '../../db/database.ts';
import { BACKUP_FORMAT, BACKUP_VERSION, MANIFEST_PATH, type BackupManifest } from './manifest.ts';
import {
  appliedMigrations,
  beginSnapshot,
  describeTables,
  inSessionTransaction,
  loadOrder,
  readSequences,
  readTableRows,
} from './repository.ts';
import { TarWriter } from './tar.ts';

export interface CreateBackupOptions {
  /** The archive to write (.tar.gz); written beside under a temporary name, then renamed. */
  file: string;
  uploadsDir: string;
  appVersion: string;
  fieldKeyFingerprint: string | null;
  onProgress?: ((line: string) => void) | undefined;
}

export interface BackupResult {
  file: string;
  bytes: number;
  manifest: BackupManifest;
  durationMs: number;
}

/**
 * Writes one archive of the whole instance: every table's rows as NDJSON taken in one snapshot
 * (REPEATABLE READ on PostgreSQL; PGlite's single connection is held for the transaction), the
 * uploads folder, and a manifest with the migrations applied, row counts and a SHA-256 per part.
 * The same code reads PGlite and PostgreSQL, so either can be restored into the other.
 */
export async function createBackup(database: Database, options: CreateBackupOptions): Promise<BackupResult> {
  const started = performance.now();
  const progress = options.onProgress ?? (() => {});
  await mkdir(dirname(options.file), { recursive: true });
  const work = await mkdtemp(join(dirname(options.file), '.minqing-backup-'));
  try {
    const snapshot = await inSessionTransaction(database, async (session) => {
      await beginSnapshot(session);
      const migrations = await appliedMigrations(session);
      const tables = [];
      for (const table of loadOrder(await describeTables(session))) {
        const path = `tables/${table.name}.ndjson`;
        const file = join(work, path);
        await mkdir(dirname(file), { recursive: true });
        const out = createWriteStream(file);
        const hash = createHash('sha256');
        let rows = 0;
        let bytes = 0;
        for await (const page of readTableRows(session, table.name)) {
          const chunk = Buffer.from(page.join('\n') + '\n', 'utf8');
          hash.update(chunk);
          bytes += chunk.length;
          rows += page.length;
          if (!out.write(chunk)) await once(out, 'drain');
        }
        out.end();
        await once(out, 'finish');
        tables.push({ name: table.name, path, rows, bytes, sha256: hash.digest('hex') });
        progress(`表 table ${table.name}: ${rows}`);
      }
      return { migrations, tables, sequences: await readSequences(session) };
    });

    const uploads = await listUploads(options.uploadsDir);
    progress(`上传文件 uploads: ${uploads.length}`);
    const manifest: BackupManifest = {
      format: BACKUP_FORMAT,
      version: BACKUP_VERSION,
      createdAt: new Date().toISOString(),
      appVersion: options.appVersion,
      engine: database.kind,
      migrations: snapshot.migrations,
      tables: snapshot.tables,
      sequences: snapshot.sequences,
      uploads: uploads.map(({ path, bytes, sha256 }) => ({ path, bytes, sha256 })),
      fieldKeyFingerprint: options.fieldKeyFingerprint,
    };

    const partial = join(work, 'archive.tar.gz');
    const gzip = createGzip({ level: 6 });
    const sink = createWriteStream(partial);
    gzip.pipe(sink);
    const tar = new TarWriter(gzip);
    await tar.addBuffer(MANIFEST_PATH, Buffer.from(JSON.stringify(manifest, null, 2) + '\n', 'utf8'));
    for (const table of snapshot.tables) await tar.addFile(table.path, join(work, table.path), table.bytes);
    for (const upload of uploads) await tar.addFile(upload.path, upload.file, upload.bytes);
    await tar.finish();
    if (!sink.writableFinished) await once(sink, 'finish');
    // Renamed into place only when complete: a crash never leaves a truncated archive under the name.
    await rename(partial, options.file);
    const { size } = await stat(options.file);
    return { file: options.file, bytes: size, manifest, durationMs: Math.round(performance.now() - started) };
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

/** Every regular file under the uploads folder, with its size and SHA-256 (symbolic links are not followed). */
async function listUploads(
  dir: string,
): Promise<{ path: string; file: string; bytes: number; sha256: string }[]> {
  let names: string[];
  try {
    names = (await readdir(dir, { recursive: true, withFileTypes: true }))
      .filter((entry) => entry.isFile())
      .map((entry) => join(entry.parentPath, entry.name));
  } catch (error) {
    if ((error as { code?: string }).code === 'ENOENT') return [];
    throw error;
  }
  const uploads = [];
  for (const file of names.sort()) {
    const hash = createHash('sha256');
    let bytes = 0;
    for await (const chunk of createReadStream(file) as AsyncIterable<Buffer>) {
      hash.update(chunk);
      bytes += chunk.length;
    }
    uploads.push({
      path: `uploads/${relative(dir, file).split(sep).join('/')}`,
      file,
      bytes,
      sha256: hash.digest('hex'),
    });
  }
  return uploads;
}

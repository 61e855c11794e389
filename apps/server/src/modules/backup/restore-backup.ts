import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, mkdtemp, readFile, rename, rm, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { createGunzip } from 'node:zlib';
import type { Database } from '../../db/database.ts';
import { migrate, readMigrations } from '../../db/migrate.ts';
import type { LocalizedText } from '../../errors.ts';
import { verifyJournal, type VerifyReport } from '../journal/verify-journal.ts';
import { MANIFEST_PATH, ZBackupManifest, type BackupManifest } from './manifest.ts';
import {
  createMigrationsTable,
  describeTables,
  dropSchema,
  inSessionTransaction,
  insertRows,
  linkSelfReferences,
  recordMigration,
  restoreSequence,
  setTriggers,
  tablesWithData,
  type TableInfo,
} from './repository.ts';
import { extractTar } from './tar.ts';

export interface RestoreBackupOptions {
  file: string;
  uploadsDir: string;
  /** Replace the data of a database that is in use; without it such a database is left untouched. */
  force: boolean;
  fieldKeyFingerprint: string | null;
  onProgress?: ((line: string) => void) | undefined;
}

export interface RestoreReport {
  manifest: BackupManifest;
  tables: { name: string; rows: number }[];
  uploads: number;
  /** Migrations of this version of minqing that the backup did not have yet, applied after the rows. */
  migrationsApplied: string[];
  warnings: LocalizedText[];
  verification: VerifyReport;
  durationMs: number;
}

/** Restore stopped before it wrote anything, for a reason the operator can act on. */
export class RestoreRefused extends Error {
  constructor(
    readonly code: 'target_in_use' | 'bad_archive' | 'unknown_migrations',
    readonly text: LocalizedText,
    readonly details: Record<string, unknown> = {},
  ) {
    super(text.en);
    this.name = 'RestoreRefused';
  }
}

const INSERT_CHUNK = 1000;

/**
 * Restores an archive written by createBackup into this database, on either engine. Refuses a
 * database that holds data unless `force`; checks every part's size and SHA-256 and the schema's
 * migrations before touching anything; then, in one transaction, rebuilds the schema at the backup's
 * migrations, loads every table in dependency order and restores the sequences. Newer migrations of
 * this code run afterwards, the uploads folder is swapped in, and the journal is verified.
 */
export async function restoreBackup(
  database: Database,
  options: RestoreBackupOptions,
): Promise<RestoreReport> {
  const started = performance.now();
  const progress = options.onProgress ?? (() => {});
  const inUse = await inSessionTransaction(database, (session) => tablesWithData(session));
  if (inUse.length > 0 && !options.force) {
    throw new RestoreRefused(
      'target_in_use',
      {
        zh: `目标数据库已有数据（${inUse.slice(0, 6).join('、')}${inUse.length > 6 ? ' 等' : ''}），未做任何改动；确需用备份替换全部数据时请加 --force`,
        en: `the database already holds data (${inUse.slice(0, 6).join(', ')}${inUse.length > 6 ? ', …' : ''}); nothing was changed. Add --force to replace all of it with the backup`,
      },
      { tables: inUse },
    );
  }

  await mkdir(dirname(options.uploadsDir), { recursive: true });
  const staging = await mkdtemp(join(dirname(options.uploadsDir), '.minqing-restore-'));
  try {
    progress('解压并校验备份 unpacking and checking the archive');
    const manifest = await unpack(options.file, staging);
    const migrations = matchMigrations(manifest);

    const tables: { name: string; rows: number }[] = [];
    await inSessionTransaction(database, async (session) => {
      await dropSchema(session);
      await createMigrationsTable(session);
      for (const migration of migrations) {
        await session.script(migration.sql);
        await recordMigration(session, migration);
      }
      const schema = new Map((await describeTables(session)).map((table) => [table.name, table]));
      const missing = manifest.tables.filter((part) => !schema.has(part.name)).map((part) => part.name);
      if (missing.length > 0) {
        throw new RestoreRefused('bad_archive', {
          zh: `备份中的表在其迁移版本的结构中不存在：${missing.join('、')}`,
          en: `the backup holds tables its migrations do not create: ${missing.join(', ')}`,
        });
      }
      // Rows come back as they were: no trigger may stamp, announce or refuse them on the way in.
      await setTriggers(session, [...schema.keys()], false);
      for (const part of manifest.tables) {
        const table = schema.get(part.name)!;
        const rows = await loadTable(session, table, join(staging, part.path));
        if (rows !== part.rows) {
          throw new RestoreRefused('bad_archive', {
            zh: `表 ${part.name} 应有 ${part.rows} 行，实际载入 ${rows} 行`,
            en: `table ${part.name} should have ${part.rows} rows; ${rows} were loaded`,
          });
        }
        tables.push({ name: part.name, rows });
        progress(`表 table ${part.name}: ${rows}`);
      }
      for (const sequence of manifest.sequences) await restoreSequence(session, sequence);
      await setTriggers(session, [...schema.keys()], true);
    });

    const migrationsApplied = await migrate(database);
    await swapUploads(join(staging, 'uploads'), options.uploadsDir, staging);
    progress('核验日志 verifying the journal');
    const verification = await verifyJournal(database.db, {
      onProgress: (p) => progress(`… ${p.phase} ${p.checked}/${p.total}`),
    });

    const warnings: LocalizedText[] = [];
    if (manifest.fieldKeyFingerprint && manifest.fieldKeyFingerprint !== options.fieldKeyFingerprint) {
      warnings.push({
        zh: '备份中的个人信息是用另一把字段加密密钥加密的：请把原实例的 DATA_DIR/keys/field.key（或 FIELD_ENCRYPTION_KEY）复制过来，否则手机号等无法解密',
        en: 'personal data in the backup was encrypted with another field key: copy the old instance’s DATA_DIR/keys/field.key (or FIELD_ENCRYPTION_KEY), or phone numbers cannot be decrypted',
      });
    }
    return {
      manifest,
      tables,
      uploads: manifest.uploads.length,
      migrationsApplied,
      warnings,
      verification,
      durationMs: Math.round(performance.now() - started),
    };
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}

/** Extracts the archive and checks the manifest and every part against it. */
async function unpack(file: string, staging: string): Promise<BackupManifest> {
  const bad = (zh: string, en: string, details: Record<string, unknown> = {}) =>
    new RestoreRefused(
      'bad_archive',
      { zh: `备份文件无效：${zh}`, en: `not a valid backup: ${en}` },
      details,
    );
  try {
    await extractTar(createReadStream(file).pipe(createGunzip()), staging);
  } catch (error) {
    throw bad('无法解压', `cannot unpack it (${(error as Error).message})`);
  }
  let manifest: BackupManifest;
  try {
    manifest = ZBackupManifest.parse(JSON.parse(await readFile(join(staging, MANIFEST_PATH), 'utf8')));
  } catch (error) {
    throw bad(
      '缺少或无法读取清单 manifest.json',
      `manifest.json is missing or unreadable (${(error as Error).message})`,
    );
  }
  for (const part of [...manifest.tables, ...manifest.uploads]) {
    const path = join(staging, part.path);
    const size = await stat(path).then(
      (s) => s.size,
      () => -1,
    );
    const hash = size < 0 ? '' : await sha256File(path);
    if (size !== part.bytes || hash !== part.sha256) {
      throw bad(
        `${part.path} 与清单不符（缺失或被改动）`,
        `${part.path} does not match the manifest (missing or altered)`,
        {
          part: part.path,
        },
      );
    }
  }
  return manifest;
}

async function sha256File(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path) as AsyncIterable<Buffer>) hash.update(chunk);
  return hash.digest('hex');
}

/**
 * Every migration the backup's schema had must be one of this code's, unchanged: then its rows fit
 * the schema rebuilt from them, and this code's other migrations can follow as on any upgrade.
 */
function matchMigrations(manifest: BackupManifest) {
  const known = new Map(readMigrations().map((migration) => [migration.version, migration]));
  return manifest.migrations.map((migration) => {
    const local = known.get(migration.version);
    if (!local || local.checksum !== migration.checksum) {
      throw new RestoreRefused(
        'unknown_migrations',
        {
          zh: `备份来自不同版本的数据库结构（迁移 ${migration.version}_${migration.name} 与本程序不符），请用生成该备份的 minqing 版本或更新版本恢复`,
          en: `the backup's schema differs from this version's (migration ${migration.version}_${migration.name}); restore it with the minqing version that wrote it, or a later one`,
        },
        { migration: migration.version },
      );
    }
    return local;
  });
}

/**
 * Loads one table from its NDJSON, a chunk at a time. Columns that reference the table itself are
 * filled in a second pass, so that rows may come in any order.
 */
async function loadTable(
  session: Parameters<Parameters<typeof inSessionTransaction>[1]>[0],
  table: TableInfo,
  file: string,
): Promise<number> {
  const deferred = table.hasIdKey ? table.selfReferences : [];
  let rows = 0;
  for await (const chunk of ndjsonChunks(file)) rows += await insertRows(session, table, chunk, deferred);
  if (deferred.length > 0) {
    for await (const chunk of ndjsonChunks(file)) await linkSelfReferences(session, table, chunk, deferred);
  }
  return rows;
}

async function* ndjsonChunks(file: string): AsyncGenerator<string[]> {
  let chunk: string[] = [];
  for await (const line of createInterface({ input: createReadStream(file, 'utf8'), crlfDelay: Infinity })) {
    if (line === '') continue;
    chunk.push(line);
    if (chunk.length >= INSERT_CHUNK) {
      yield chunk;
      chunk = [];
    }
  }
  if (chunk.length > 0) yield chunk;
}

/** Puts the restored uploads in place of the current folder (the old one goes only once the new one is in). */
async function swapUploads(restored: string, uploadsDir: string, staging: string): Promise<void> {
  await mkdir(restored, { recursive: true });
  const previous = join(staging, 'previous-uploads');
  const hadUploads = await stat(uploadsDir).then(
    () => true,
    () => false,
  );
  if (hadUploads) await rename(uploadsDir, previous);
  await rename(restored, uploadsDir);
}

import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { Config } from '../../config.ts';
import { FieldCipher } from '../../crypto/index.ts';
import type { Database } from '../../db/database.ts';
import { APP_VERSION } from '../../version.ts';
import { formatVerifyReport } from '../journal/verify-command.ts';
import { createBackup } from './create-backup.ts';
import { RestoreRefused, restoreBackup } from './restore-backup.ts';

export interface BackupIo {
  database: Database;
  config: Pick<Config, 'dataDir' | 'uploadsDir' | 'fieldEncryptionKey'>;
  print: (line: string) => void;
  progress: (line: string) => void;
}

/**
 * A fingerprint of the field-encryption key (never the key): restore compares it to tell the operator
 * when personal data will not decrypt with the key at hand. Null when this instance has no key yet.
 */
export function fieldKeyFingerprint(config: BackupIo['config']): string | null {
  const file = resolve(config.dataDir, 'keys/field.key');
  const key = config.fieldEncryptionKey
    ? Buffer.from(config.fieldEncryptionKey, 'base64')
    : existsSync(file)
      ? Buffer.from(readFileSync(file, 'utf8').trim(), 'base64')
      : null;
  return key ? new FieldCipher(key).blindIndex('minqing backup key fingerprint') : null;
}

/**
 * The embedded engine has no lock of its own: a second process opening the folder a server is using
 * would corrupt it. PGlite keeps postmaster.pid there while it is open.
 */
export function embeddedDatabaseInUse(config: Pick<Config, 'dataDir' | 'databaseUrl'>): boolean {
  return !config.databaseUrl && existsSync(resolve(config.dataDir, 'pglite/postmaster.pid'));
}

export const EMBEDDED_IN_USE =
  '内置数据库正被运行中的 minqing 使用：请先停止服务器再备份或恢复（若服务器已异常退出，启动并正常停止一次即可）\n' +
  'the embedded database is open in a running minqing: stop the server first (after a crash, start and stop it once)';

const BACKUP_USAGE = 'usage: minqing backup FILE.tar.gz';
const RESTORE_USAGE = 'usage: minqing restore FILE.tar.gz [--force]';

/** `minqing backup FILE`: 0 when written, 1 when it failed, 2 for a wrong command line. */
export async function runBackupCommand(args: string[], io: BackupIo): Promise<number> {
  let file: string | undefined;
  try {
    file = parseArgs({ args, allowPositionals: true, options: {} }).positionals[0];
  } catch (error) {
    io.print(`${(error as Error).message}\n${BACKUP_USAGE}`);
    return 2;
  }
  if (!file) {
    io.print(BACKUP_USAGE);
    return 2;
  }
  const result = await createBackup(io.database, {
    file: resolve(file),
    uploadsDir: io.config.uploadsDir,
    appVersion: APP_VERSION,
    fieldKeyFingerprint: fieldKeyFingerprint(io.config),
    onProgress: io.progress,
  });
  const rows = result.manifest.tables.reduce((sum, table) => sum + table.rows, 0);
  io.print(`备份已写入 backup written: ${result.file} (${(result.bytes / 1024 / 1024).toFixed(1)} MB)`);
  io.print(
    `表 tables ${result.manifest.tables.length}，行 rows ${rows}，上传文件 uploads ${result.manifest.uploads.length}，` +
      `迁移 migrations ${result.manifest.migrations.map((m) => m.version).join(' ')}，用时 took ${(result.durationMs / 1000).toFixed(1)} s`,
  );
  io.print(
    '注意：密钥不在备份中，请另行保管 DATA_DIR/keys / keys are not in the backup: keep DATA_DIR/keys safe separately',
  );
  return 0;
}

/**
 * `minqing restore FILE [--force]`: 0 when restored and the journal verifies, 1 when refused, failed
 * or not verified, 2 for a wrong command line.
 */
export async function runRestoreCommand(args: string[], io: BackupIo): Promise<number> {
  let file: string | undefined;
  let force = false;
  try {
    const parsed = parseArgs({
      args,
      allowPositionals: true,
      options: { force: { type: 'boolean', default: false } },
    });
    file = parsed.positionals[0];
    force = parsed.values.force;
  } catch (error) {
    io.print(`${(error as Error).message}\n${RESTORE_USAGE}`);
    return 2;
  }
  if (!file) {
    io.print(RESTORE_USAGE);
    return 2;
  }
  if (!existsSync(file)) {
    io.print(`找不到备份文件 / no such backup file: ${file}`);
    return 1;
  }
  try {
    const report = await restoreBackup(io.database, {
      file: resolve(file),
      uploadsDir: io.config.uploadsDir,
      force,
      fieldKeyFingerprint: fieldKeyFingerprint(io.config),
      onProgress: io.progress,
    });
    const rows = report.tables.reduce((sum, table) => sum + table.rows, 0);
    io.print(
      `已恢复 restored: ${report.tables.length} 表 tables，${rows} 行 rows，${report.uploads} 个上传文件 uploads ` +
        `（备份于 taken ${report.manifest.createdAt}，${report.manifest.engine} → ${io.database.kind}）`,
    );
    if (report.migrationsApplied.length > 0)
      io.print(`随后应用的迁移 then migrated: ${report.migrationsApplied.join(', ')}`);
    for (const warning of report.warnings) io.print(`警告 warning: ${warning.zh}\n  ${warning.en}`);
    for (const line of formatVerifyReport(report.verification)) io.print(line);
    return report.verification.isValid ? 0 : 1;
  } catch (error) {
    if (error instanceof RestoreRefused) {
      io.print(`未恢复 not restored: ${error.text.zh}\n  ${error.text.en}`);
      return 1;
    }
    throw error;
  }
}

import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { once } from 'node:events';
import { createReadStream, createWriteStream } from 'node:fs';
import { createGunzip, createGzip } from 'node:zlib';
import { sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { buildApp, type App } from '../../app.ts';
import { openDatabase, type Database } from '../../db/database.ts';
import { buildCommunity, type TestCommunity } from '../../../test/factories.ts';
import { Client, testConfig, testDataDir } from '../../../test/harness.ts';
import { act, report } from '../cases/case-test-helpers.ts';
import { sealOnce } from '../journal/sealer.ts';
import { runBackupCommand, runRestoreCommand } from './backup-command.ts';
import { createBackup } from './create-backup.ts';
import { RestoreRefused, restoreBackup } from './restore-backup.ts';
import { extractTar, TarWriter } from './tar.ts';

const postgresAdminUrl = process.env.TEST_DATABASE_URL;
const engines: ('pglite' | 'postgres')[] = ['pglite', ...(postgresAdminUrl ? (['postgres'] as const) : [])];

interface Scratch {
  database: Database;
  drop: () => Promise<void>;
}

/** A database of its own (the shared test database holds every other test's data and tampering). */
async function scratchDatabase(
  kind: 'pglite' | 'postgres',
  { migrated }: { migrated: boolean },
): Promise<Scratch> {
  if (kind === 'pglite') {
    const database = await openDatabase({
      dataDir: 'memory://',
      loadDataDir: migrated ? new Blob([readFileSync(inject('pgliteTemplate'))]) : undefined,
    });
    return { database, drop: () => database.close() };
  }
  const name = `minqing_backup_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
  const admin = new pg.Client({ connectionString: postgresAdminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(postgresAdminUrl!);
  url.pathname = `/${name}`;
  const database = await openDatabase({ databaseUrl: url.toString(), poolSize: 4 });
  if (migrated) {
    const { migrate } = await import('../../db/migrate.ts');
    const { loadReferenceData } = await import('../../reference-data.ts');
    await migrate(database);
    await loadReferenceData(database.db);
  }
  return {
    database,
    drop: async () => {
      await database.close();
      const client = new pg.Client({ connectionString: postgresAdminUrl });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await client.end();
    },
  };
}

async function rowCounts(database: Database): Promise<Record<string, number>> {
  const tables = await sql<{ name: string }>`
    SELECT table_name AS name FROM information_schema.tables
     WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' AND table_name <> 'schema_migrations'`.execute(
    database.db,
  );
  const counts: Record<string, number> = {};
  for (const { name } of tables.rows) {
    const result = await sql<{ n: number }>`SELECT count(*)::int8 AS n FROM ${sql.table(name)}`.execute(
      database.db,
    );
    counts[name] = Number(result.rows[0]!.n);
  }
  return counts;
}

async function sequenceValues(database: Database): Promise<Record<string, number | null>> {
  const result = await sql<{ name: string; last_value: number | null }>`
    SELECT sequencename AS name, last_value FROM pg_sequences WHERE schemaname = current_schema()`.execute(
    database.db,
  );
  return Object.fromEntries(
    result.rows.map((row) => [row.name, row.last_value === null ? null : Number(row.last_value)]),
  );
}

// Restores open fresh databases (PGlite's initdb alone takes seconds): a wider limit than the suite's.
describe('backup and restore', { timeout: 240_000 }, () => {
  const sourceKind = (process.env.MINQING_TEST_BACKEND ?? 'pglite') as 'pglite' | 'postgres';
  let source: Scratch;
  let app: App;
  let c: TestCommunity;
  let caseId: string;
  let work: string;
  let uploadsDir: string;
  let archive: string;

  beforeAll(async () => {
    source = await scratchDatabase(sourceKind, { migrated: true });
    app = await buildApp({ config: testConfig(), database: source.database });
    await app.ready();
    c = await buildCommunity(app);
    const first = await report(c.people.resident.client, c, { description: '小区东门路灯不亮' });
    const second = await report(c.people.otherResident.client, c, { description: '楼道堆放杂物' });
    caseId = first.body.id;
    await act(c.people.communityAdmin.client, caseId, 'accept', {});
    await act(c.people.communityAdmin.client, caseId, 'dispatch', {});
    await act(c.people.communityAdmin.client, second.body.id, 'reject', { reason: '不属于本社区管辖范围' });
    await sealOnce(app);
    // One entry still waits for the sealer when the backup is taken.
    await act(c.people.handler.client, caseId, 'start', {});

    work = mkdtempSync(join(testDataDir(), 'backup-'));
    uploadsDir = join(work, 'uploads');
    mkdirSync(join(uploadsDir, 'ab', 'cd'), { recursive: true });
    writeFileSync(
      join(uploadsDir, 'ab', 'cd', 'abcd1234.jpg'),
      Buffer.from([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3]),
    );
    writeFileSync(join(uploadsDir, 'ab', 'abcd1234-thumb.webp'), Buffer.from('RIFF....WEBP', 'latin1'));
    archive = join(work, 'minqing.tar.gz');
    const written = await createBackup(source.database, {
      file: archive,
      uploadsDir,
      appVersion: 'test',
      fieldKeyFingerprint: 'fingerprint-of-the-test-key',
    });
    expect(written.bytes).toBeGreaterThan(0);
  });

  afterAll(async () => {
    await app.close();
    await source.drop();
  });

  it('writes a manifest with the migrations, row counts and a checksum for every part', async () => {
    const unpacked = mkdtempSync(join(work, 'unpacked-'));
    const paths = await extractTar(createReadStream(archive).pipe(createGunzip()), unpacked);
    expect(paths[0]).toBe('manifest.json');
    const manifest = JSON.parse(readFileSync(join(unpacked, 'manifest.json'), 'utf8'));
    const counts = await rowCounts(source.database);
    expect(manifest).toMatchObject({ format: 'minqing-backup', version: 1, engine: sourceKind });
    const migrations = await sql<{
      version: string;
    }>`SELECT version FROM schema_migrations ORDER BY version`.execute(source.database.db);
    expect(manifest.migrations.map((m: { version: string }) => m.version)).toEqual(
      migrations.rows.map((m) => m.version),
    );
    expect(
      Object.fromEntries(manifest.tables.map((t: { name: string; rows: number }) => [t.name, t.rows])),
    ).toEqual(counts);
    const order = manifest.tables.map((t: { name: string }) => t.name);
    expect(order.indexOf('units')).toBeLessThan(order.indexOf('cases'));
    expect(order.indexOf('users')).toBeLessThan(order.indexOf('role_assignments'));
    expect(manifest.uploads.map((u: { path: string }) => u.path).sort()).toEqual([
      'uploads/ab/abcd1234-thumb.webp',
      'uploads/ab/cd/abcd1234.jpg',
    ]);
    const journal = readFileSync(join(unpacked, 'tables/journal_entries.ndjson'), 'utf8').trim().split('\n');
    expect(journal).toHaveLength(counts.journal_entries!);
    expect(JSON.parse(journal[0]!)).toHaveProperty('hash');
  });

  it('writes an archive from the command line and says what it holds', async () => {
    const lines: string[] = [];
    const io = {
      database: source.database,
      config: { dataDir: work, uploadsDir, fieldEncryptionKey: undefined },
      print: (line: string) => lines.push(line),
      progress: () => {},
    };
    const file = join(work, 'from-command.tar.gz');
    expect(await runBackupCommand([file], io)).toBe(0);
    expect(readFileSync(file).subarray(0, 2)).toEqual(Buffer.from([0x1f, 0x8b]));
    expect(lines.join('\n')).toContain(`备份已写入 backup written: ${file}`);
    expect(lines.join('\n')).toMatch(/上传文件 uploads 2/);
    expect(lines.join('\n')).toContain('keys are not in the backup');
    expect(await runBackupCommand([], io)).toBe(2);
    expect(await runBackupCommand(['--everything'], io)).toBe(2);
  });

  for (const target of engines) {
    it(`restores into a fresh ${target} database: rows, sequences, uploads and sessions come back, and the journal verifies`, async () => {
      const fresh = await scratchDatabase(target, { migrated: false });
      const restoredUploads = join(work, `restored-uploads-${target}`);
      try {
        const result = await restoreBackup(fresh.database, {
          file: archive,
          uploadsDir: restoredUploads,
          force: false,
          fieldKeyFingerprint: 'fingerprint-of-the-test-key',
        });
        expect(result.verification.problems).toEqual([]);
        expect(result.verification).toMatchObject({ isValid: true, unsealedEntries: 1 });
        expect(result.verification.records).toBeGreaterThanOrEqual(2);
        expect(result.warnings).toEqual([]);
        expect(await rowCounts(fresh.database)).toEqual(await rowCounts(source.database));
        expect(await sequenceValues(fresh.database)).toEqual(await sequenceValues(source.database));
        expect(readFileSync(join(restoredUploads, 'ab', 'cd', 'abcd1234.jpg'))).toEqual(
          readFileSync(join(uploadsDir, 'ab', 'cd', 'abcd1234.jpg')),
        );

        // The restored instance serves the same people and cases; new entries continue the chains.
        const restored = await buildApp({ config: testConfig(), database: fresh.database });
        await restored.ready();
        try {
          const admin = new Client(restored, c.people.communityAdmin.client.cookie);
          const detail = await admin.get(`/api/cases/${caseId}`);
          expect(detail.status).toBe(200);
          expect(detail.body).toMatchObject({ id: caseId, state: 'in_progress' });
          const handler = new Client(restored, c.people.handler.client.cookie);
          const submitted = await handler.post(`/api/cases/${caseId}/submit`, { result: '已更换路灯' });
          expect(submitted.status).toBe(200);
          await sealOnce(restored);
          const { verifyJournal } = await import('../journal/verify-journal.ts');
          expect((await verifyJournal(fresh.database.db)).problems).toEqual([]);
        } finally {
          await restored.close();
        }
      } finally {
        await fresh.drop();
      }
    });
  }

  it('refuses to restore over a database in use without --force, changing nothing', async () => {
    const before = await rowCounts(source.database);
    const lines: string[] = [];
    const status = await runRestoreCommand([archive], {
      database: source.database,
      config: { dataDir: work, uploadsDir: join(work, 'kept-uploads'), fieldEncryptionKey: undefined },
      print: (line) => lines.push(line),
      progress: () => {},
    });
    expect(status).toBe(1);
    expect(lines.join('\n')).toMatch(/目标数据库已有数据（.*）.*--force/);
    expect(lines.join('\n')).toMatch(/already holds data .* Add --force/);
    await expect(
      restoreBackup(source.database, { file: archive, uploadsDir, force: false, fieldKeyFingerprint: null }),
    ).rejects.toMatchObject({
      code: 'target_in_use',
      details: { tables: expect.arrayContaining(['cases', 'units']) },
    });
    expect(await rowCounts(source.database)).toEqual(before);
  });

  it('replaces the data of a database in use with --force', async () => {
    const target = await scratchDatabase(sourceKind, { migrated: true });
    try {
      const other = await buildApp({ config: testConfig(), database: target.database });
      await other.ready();
      const stranger = await buildCommunity(other);
      await report(stranger.people.resident.client, stranger);
      await other.close();

      const result = await restoreBackup(target.database, {
        file: archive,
        uploadsDir: join(work, 'forced-uploads'),
        force: true,
        fieldKeyFingerprint: 'another-key',
      });
      expect(result.verification.isValid).toBe(true);
      expect(await rowCounts(target.database)).toEqual(await rowCounts(source.database));
      const gone = await target.database.db
        .selectFrom('units')
        .select('id')
        .where('id', '=', stranger.street.id)
        .execute();
      expect(gone).toEqual([]);
      expect(result.warnings[0]?.en).toMatch(/another field key/);
    } finally {
      await target.drop();
    }
  });

  it('refuses an archive whose part does not match its manifest, before writing anything', async () => {
    const unpacked = mkdtempSync(join(work, 'tamper-'));
    await extractTar(createReadStream(archive).pipe(createGunzip()), unpacked);
    const journalFile = join(unpacked, 'tables/journal_entries.ndjson');
    writeFileSync(journalFile, readFileSync(journalFile, 'utf8').replace('"report"', '"reject"'));
    const tampered = join(work, 'tampered.tar.gz');
    const gzip = createGzip();
    const sink = createWriteStream(tampered);
    gzip.pipe(sink);
    const tar = new TarWriter(gzip);
    const manifest = JSON.parse(readFileSync(join(unpacked, 'manifest.json'), 'utf8'));
    await tar.addBuffer('manifest.json', readFileSync(join(unpacked, 'manifest.json')));
    for (const part of [...manifest.tables, ...manifest.uploads]) {
      const content = readFileSync(join(unpacked, part.path));
      await tar.addBuffer(part.path, content);
    }
    await tar.finish();
    if (!sink.writableFinished) await once(sink, 'finish');

    const fresh = await scratchDatabase(sourceKind, { migrated: true });
    const before = await rowCounts(fresh.database);
    try {
      const error = await restoreBackup(fresh.database, {
        file: tampered,
        uploadsDir: join(work, 'never'),
        force: false,
        fieldKeyFingerprint: null,
      }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(RestoreRefused);
      expect(error).toMatchObject({
        code: 'bad_archive',
        details: { part: 'tables/journal_entries.ndjson' },
      });
      expect((error as RestoreRefused).text.zh).toContain('与清单不符');
      expect(await rowCounts(fresh.database)).toEqual(before);
    } finally {
      await fresh.drop();
    }
  });
});

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { openDatabase } from '../src/db/database.ts';
import { migrate } from '../src/db/migrate.ts';
import { loadReferenceData } from '../src/reference-data.ts';

/**
 * Migrates once per run: a PGlite data folder dumped to a file that every worker loads (~1 s instead
 * of ~4 s), and, with TEST_DATABASE_URL, a fresh PostgreSQL database that is dropped at the end.
 */
export default async function setup(project: TestProject) {
  const backend = project.config.env?.MINQING_TEST_BACKEND ?? 'pglite';
  const workDir = mkdtempSync(join(tmpdir(), 'minqing-test-'));
  project.provide('testWorkDir', workDir);
  if (backend === 'pglite') {
    const database = await openDatabase({ dataDir: 'memory://' });
    await migrate(database);
    await loadReferenceData(database.db);
    const dump = await database.pglite!.dumpDataDir('none');
    const file = join(workDir, 'template.tar');
    writeFileSync(file, Buffer.from(await dump.arrayBuffer()));
    await database.close();
    project.provide('pgliteTemplate', file);
    return () => rmSync(workDir, { recursive: true, force: true });
  }
  const adminUrl = process.env.TEST_DATABASE_URL!;
  const name = `minqing_test_${process.pid}_${Date.now().toString(36)}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const database = await openDatabase({ databaseUrl: url.toString() });
  await migrate(database);
  await loadReferenceData(database.db);
  await database.close();
  project.provide('postgresUrl', url.toString());
  return async () => {
    const drop = new pg.Client({ connectionString: adminUrl });
    await drop.connect();
    await drop.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await drop.end();
    rmSync(workDir, { recursive: true, force: true });
  };
}

declare module 'vitest' {
  export interface ProvidedContext {
    testWorkDir: string;
    pgliteTemplate: string;
    postgresUrl: string;
  }
}

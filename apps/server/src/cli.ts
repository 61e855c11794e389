#!/usr/bin/env node
/**
 * The minqing command line: serve | migrate | seed-demo | verify | backup | restore | import-grids.
 * Each command is a capability's use-case; this file only parses arguments and reports.
 */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig } from './config.ts';
import { FieldCipher, loadOrCreateFieldKey } from './crypto/index.ts';
import { openDatabase } from './db/database.ts';
import { migrate } from './db/migrate.ts';
import { runImportGridsCommand } from './modules/areas/import-grids-command.ts';
import {
  EMBEDDED_IN_USE,
  embeddedDatabaseInUse,
  runBackupCommand,
  runRestoreCommand,
} from './modules/backup/backup-command.ts';
import { runImportCalendarCommand } from './modules/calendar/import-calendar-command.ts';
import { runVerifyCommand } from './modules/journal/verify-command.ts';
import { readPasswordFromStdin, runCreateAdminCommand } from './modules/people/create-admin-command.ts';
import { startServer } from './server.ts';

type Command = (args: string[]) => Promise<number>;

export const commands: Record<string, { summary: string; run: Command }> = {
  serve: {
    summary: 'start the server (embedded PostgreSQL unless DATABASE_URL is set)',
    run: async () => {
      const server = await startServer(loadConfig());
      const shutdown = () => {
        void server.stop().then(() => process.exit(0));
      };
      process.once('SIGINT', shutdown);
      process.once('SIGTERM', shutdown);
      return new Promise<number>(() => {});
    },
  },
  migrate: {
    summary: 'apply database migrations and exit',
    run: async () => {
      const config = loadConfig();
      const database = await openDatabase({
        databaseUrl: config.databaseUrl,
        dataDir: `${config.dataDir}/pglite`,
      });
      try {
        const applied = await migrate(database);
        print(applied.length ? `applied: ${applied.join(', ')}` : 'database is up to date / 数据库已是最新');
        return 0;
      } finally {
        await database.close();
      }
    },
  },
  verify: {
    summary: 'verify the journal: hashes, chains, signed batches, projections: verify [--street ID] [--json]',
    run: async (args) => {
      const config = loadConfig();
      const database = await openDatabase({
        databaseUrl: config.databaseUrl,
        dataDir: `${config.dataDir}/pglite`,
      });
      try {
        await migrate(database);
        return await runVerifyCommand(args, {
          db: database.db,
          print,
          progress: printProgress,
        });
      } finally {
        await database.close();
      }
    },
  },
  backup: {
    summary: 'write one archive of the database and the uploads: backup FILE.tar.gz',
    run: async (args) => {
      const config = loadConfig();
      if (embeddedDatabaseInUse(config)) {
        print(EMBEDDED_IN_USE);
        return 1;
      }
      const database = await openDatabase({
        databaseUrl: config.databaseUrl,
        dataDir: `${config.dataDir}/pglite`,
      });
      try {
        return await runBackupCommand(args, { database, config, print, progress: printProgress });
      } finally {
        await database.close();
      }
    },
  },
  restore: {
    summary: 'restore an archive, then verify the journal: restore FILE.tar.gz [--force]',
    run: async (args) => {
      const config = loadConfig();
      if (embeddedDatabaseInUse(config)) {
        print(EMBEDDED_IN_USE);
        return 1;
      }
      const database = await openDatabase({
        databaseUrl: config.databaseUrl,
        dataDir: `${config.dataDir}/pglite`,
      });
      try {
        return await runRestoreCommand(args, { database, config, print, progress: printProgress });
      } finally {
        await database.close();
      }
    },
  },
  'import-grids': {
    summary: 'import grid outlines from GeoJSON: import-grids FILE.geojson [--dry-run]',
    run: async (args) => {
      const config = loadConfig();
      const database = await openDatabase({
        databaseUrl: config.databaseUrl,
        dataDir: `${config.dataDir}/pglite`,
      });
      try {
        await migrate(database);
        return await runImportGridsCommand(args, { db: database.db, print });
      } finally {
        await database.close();
      }
    },
  },
  'import-calendar': {
    summary: "import a year's holidays and make-up working days: import-calendar FILE.json",
    run: async (args) => {
      const config = loadConfig();
      const database = await openDatabase({
        databaseUrl: config.databaseUrl,
        dataDir: `${config.dataDir}/pglite`,
      });
      try {
        await migrate(database);
        return await runImportCalendarCommand(args, { db: database.db, print });
      } finally {
        await database.close();
      }
    },
  },
  'create-admin': {
    summary:
      'create an administrator, security officer or auditor: create-admin --username … --name … --unit CODE',
    run: async (args) => {
      const config = loadConfig();
      const database = await openDatabase({
        databaseUrl: config.databaseUrl,
        dataDir: `${config.dataDir}/pglite`,
      });
      try {
        await migrate(database);
        const cipher = new FieldCipher(
          loadOrCreateFieldKey(config.fieldEncryptionKey, resolve(config.dataDir, 'keys/field.key')),
        );
        return await runCreateAdminCommand(args, {
          db: database.db,
          cipher,
          print,
          readPassword: readPasswordFromStdin,
        });
      } finally {
        await database.close();
      }
    },
  },
};

function print(line: string): void {
  process.stdout.write(line + '\n');
}

/** Progress of long commands goes to stderr, so that their output can be redirected cleanly. */
function printProgress(line: string): void {
  process.stderr.write(line + '\n');
}

function usage(): void {
  print('usage: minqing <command> [options]\n');
  for (const [name, { summary }] of Object.entries(commands)) print(`  ${name.padEnd(14)} ${summary}`);
}

async function main(): Promise<void> {
  const { positionals } = parseArgs({ allowPositionals: true, strict: false });
  const name = positionals[0] ?? 'serve';
  const command = commands[name];
  if (!command || name === 'help') {
    usage();
    process.exitCode = name === 'help' ? 0 : 2;
    return;
  }
  // Each command parses its own options from what follows its name.
  process.exitCode = await command.run(process.argv.slice(process.argv.indexOf(name) + 1));
}

await main();

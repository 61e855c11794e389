import { resolve } from 'node:path';
import fp from 'fastify-plugin';
import type { Config } from '../config.ts';
import {
  FieldCipher,
  loadOrCreateFieldKey,
  loadOrCreateSigningKey,
  type SigningKey,
} from '../crypto/index.ts';
import type { Database, Db } from '../db/database.ts';
import { SessionStore } from '../modules/people/sessions.ts';

declare module 'fastify' {
  interface FastifyInstance {
    config: Config;
    database: Database;
    db: Db;
    fieldCipher: FieldCipher;
    signingKey: SigningKey;
    sessions: SessionStore;
  }
}

export interface CorePluginOptions {
  config: Config;
  database: Database;
}

/** The shared capabilities every module uses: configuration, the database, keys, sessions. */
export const corePlugin = fp<CorePluginOptions>(
  async (app, { config, database }) => {
    app.decorate('config', config);
    app.decorate('database', database);
    app.decorate('db', database.db);
    app.decorate(
      'fieldCipher',
      new FieldCipher(
        loadOrCreateFieldKey(config.fieldEncryptionKey, resolve(config.dataDir, 'keys/field.key')),
      ),
    );
    app.decorate('signingKey', loadOrCreateSigningKey(config.signingKeyFile));
    app.decorate('sessions', new SessionStore(database.db));
  },
  { name: 'core' },
);

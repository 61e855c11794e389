import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../app.ts';
import { buildTestApp } from '../../../test/harness.ts';
import { buildCommunity, testPhone } from '../../../test/factories.ts';
import { clientAt, uniqueIp } from './people-test-helpers.ts';
import { purgeSignInRecords } from './purge-sign-in-records.ts';

describe('purging spent sign-in records', () => {
  let app: App;
  beforeAll(async () => {
    app = await buildTestApp({ trustProxy: true });
  });
  afterAll(() => app.close());

  it('removes old codes, stale name counters and long-ended sessions, and keeps what still counts', async () => {
    const community = await buildCommunity(app);
    const publicClient = clientAt(app, uniqueIp());
    const oldPhone = testPhone();
    const freshPhone = testPhone();
    await publicClient.post('/api/auth/sms-code', { phone: oldPhone });
    await publicClient.post('/api/auth/sms-code', { phone: freshPhone });
    await app.db
      .updateTable('login_codes')
      .set({ created_at: sql`now() - interval '2 days'`, expires_at: sql`now() - interval '2 days'` })
      .where('phone_index', '=', app.fieldCipher.blindIndex(oldPhone))
      .execute();
    const staleName = `stale${Date.now()}`;
    const lockedName = `locked${Date.now()}`;
    for (let attempt = 0; attempt < 5; attempt++) await publicClient.login(lockedName, 'Wrong#Password1');
    await publicClient.login(staleName, 'Wrong#Password1');
    await app.db
      .updateTable('login_throttle')
      .set({ updated_at: sql`now() - interval '2 days'` })
      .where('login_key', 'in', [
        app.fieldCipher.blindIndex(`login:name:${staleName}`),
        app.fieldCipher.blindIndex(`login:name:${lockedName}`),
      ])
      .execute();
    await app.db
      .updateTable('sessions')
      .set({ revoked_at: sql`now() - interval '40 days'` })
      .where('user_id', '=', community.people.gridWorker.id)
      .execute();

    const purged = await purgeSignInRecords(app.db);
    expect(purged.codes).toBeGreaterThanOrEqual(1);
    expect(purged.throttles).toBeGreaterThanOrEqual(1);
    expect(purged.sessions).toBeGreaterThanOrEqual(1);

    const codes = async (phone: string) =>
      app.db
        .selectFrom('login_codes')
        .select('id')
        .where('phone_index', '=', app.fieldCipher.blindIndex(phone))
        .execute();
    expect(await codes(oldPhone)).toHaveLength(0);
    expect(await codes(freshPhone)).toHaveLength(1);
    const throttle = async (name: string) =>
      app.db
        .selectFrom('login_throttle')
        .select('failures')
        .where('login_key', '=', app.fieldCipher.blindIndex(`login:name:${name}`))
        .execute();
    expect(await throttle(staleName)).toHaveLength(0);
    // A lock still running is kept, whatever its age.
    expect(await throttle(lockedName)).toHaveLength(1);
    const sessions = await app.db
      .selectFrom('sessions')
      .select('token_hash')
      .where('user_id', '=', community.people.gridWorker.id)
      .execute();
    expect(sessions).toHaveLength(0);
    const others = await app.db
      .selectFrom('sessions')
      .select('token_hash')
      .where('user_id', '=', community.people.resident.id)
      .execute();
    expect(others).toHaveLength(1);
  });
});

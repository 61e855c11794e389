import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../app.ts';
import { buildTestApp } from '../../../test/harness.ts';
import { listen, SseReader } from '../live/live-test-helpers.ts';
import { buildVillageBooks, closeAndSeal, postVoucher, rentVoucher } from './finance-test-helpers.ts';

describe('books published on the live stream (GET /api/live?types=books)', () => {
  let app: App;
  let base: string;
  const readers: SseReader[] = [];
  const open = async (path: string, options: { cookie?: string; lastEventId?: string | number } = {}) => {
    const reader = await SseReader.open(`${base}${path}`, options);
    readers.push(reader);
    return reader;
  };

  beforeAll(async () => {
    app = await buildTestApp({ live: { heartbeatMs: 200 } });
    base = await listen(app);
  });
  afterAll(async () => {
    for (const reader of readers) reader.close();
    await app.close();
  });

  it('tells every villager, signed in or not, the moment a disclosure is sealed — and nothing before', async () => {
    const books = await buildVillageBooks(app);
    const villager = await open('/api/live?types=books');
    expect(villager.status).toBe(200);
    expect((await villager.ready()).data).toMatchObject({ audience: 'public' });
    const followingStreet = await open(`/api/live?types=books&unitId=${books.c.street.id}`, {
      cookie: books.c.people.resident.client.cookie,
    });
    await followingStreet.ready();
    // A stream that did not ask for books (the map, the big screen) does not get them.
    const map = await open(`/api/live?unitId=${books.c.street.id}`);
    await map.ready();

    await postVoucher(books, rentVoucher('2025-01-10', 8_000_00));
    const sealed = await closeAndSeal(books, '2025-01');

    const event = await villager.waitFor((m) => m.event === 'books' && m.data.disclosureId === sealed.id);
    expect(event.data).toEqual({
      kind: 'books',
      entryId: Number(event.id),
      at: expect.any(String),
      audience: 'public',
      bookId: books.bookId,
      unitId: books.c.community.id,
      streetId: books.c.street.id,
      disclosureId: sealed.id,
      label: '2025-01',
    });
    // Only the seal: preparing and reviewing the disclosure, posting vouchers send nothing.
    expect(villager.messages.filter((m) => m.event === 'books')).toHaveLength(1);
    const street = await followingStreet.waitFor((m) => m.event === 'books');
    expect(street.data.disclosureId).toBe(sealed.id);

    // The seal's entry id resumes a stream: a villager who reconnects after it misses nothing.
    const resumed = await open('/api/live?types=books', { lastEventId: Number(event.id) - 1 });
    const replayed = await resumed.waitFor((m) => m.event === 'books' && m.data.disclosureId === sealed.id);
    expect(replayed.id).toBe(event.id);

    // Let the map stream hear the same bursts (two heartbeats after the seal), then check it got no books.
    const heard = map.comments.length;
    while (map.comments.length < heard + 2) {
      if (map.ended) throw new Error('the map stream ended');
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(map.messages.filter((m) => m.event === 'books')).toEqual([]);
  });

  it('refuses an unknown event type, naming the ones there are', async () => {
    const reply = await app.inject({ method: 'GET', url: '/api/live?types=books,ledgers' });
    expect(reply.statusCode).toBe(400);
    expect(reply.body).toContain('books');
  });
});

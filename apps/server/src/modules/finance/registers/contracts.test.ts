import type { Contract, OverdueRentList, Resource } from '@minqing/contract';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../../app.ts';
import { buildTestApp } from '../../../../test/harness.ts';
import {
  buildVillageBooks,
  postVoucher,
  rentVoucher,
  verifyStreetOf,
  type VillageBooks,
} from '../finance-test-helpers.ts';

let app: App;
beforeAll(async () => {
  app = await buildTestApp();
});
afterAll(async () => {
  await app.close();
});

/** A small square field (about 0.001° a side) near point (lng, lat). */
function field(lng: number, lat: number, side = 0.001) {
  return {
    type: 'Polygon' as const,
    coordinates: [
      [
        [lng, lat],
        [lng + side, lat],
        [lng + side, lat + side],
        [lng, lat + side],
        [lng, lat],
      ] as [number, number][],
    ],
  };
}

async function addResource(books: VillageBooks, code: string, extra: object = {}) {
  const at = books.c.pointIn(0);
  const reply = await books.bookkeeper.client.post<Resource>(`/api/finance/books/${books.bookId}/resources`, {
    code,
    name: `${code} 号鱼塘`,
    kind: 'water',
    areaMu: 12.5,
    geometry: field(at.lng, at.lat),
    certificateNo: '集体土地所有权证 0012',
    letHow: 'contracted',
    ...extra,
  });
  expect(reply.status, JSON.stringify(reply.body)).toBe(201);
  return reply.body;
}

function contractInput(resourceId: string, extra: object = {}) {
  return {
    code: `HT-${Math.random().toString(36).slice(2, 8)}`,
    title: '鱼塘承包合同',
    counterpartyName: '张三丰',
    counterpartyKind: 'person',
    counterpartyIdNo: '11010519491231002X',
    counterpartyPhone: '13812345678',
    resourceId,
    startDate: '2024-01-01',
    endDate: '2026-12-31',
    totalRent: 1_000_001,
    frequency: 'quarter',
    ...extra,
  };
}

describe('resource register', () => {
  it('registers a resource with its outline, and refuses bad outlines naming the field', async () => {
    const books = await buildVillageBooks(app);
    const resource = await addResource(books, 'ZY-01');
    expect(resource).toMatchObject({ code: 'ZY-01', areaMu: 12.5, kind: 'water', letHow: 'contracted' });
    expect(resource.geometry?.type).toBe('Polygon');

    const at = books.c.pointIn(0);
    const url = `/api/finance/books/${books.bookId}/resources`;
    const base = { code: 'ZY-02', name: '坏地块', kind: 'cultivated', areaMu: 1, letHow: 'unlet' };
    const open = field(at.lng, at.lat);
    open.coordinates[0]![4] = [at.lng + 0.0001, at.lat];
    const notClosed = await books.bookkeeper.client.post(url, { ...base, geometry: open });
    expect(notClosed.status).toBe(422);
    expect(notClosed.body.error.code).toBe('geometry_invalid');
    expect(notClosed.body.error.details.field).toBe('geometry.coordinates.0');

    const bowTie = {
      type: 'Polygon',
      coordinates: [
        [
          [at.lng, at.lat],
          [at.lng + 0.001, at.lat + 0.001],
          [at.lng + 0.001, at.lat],
          [at.lng, at.lat + 0.001],
          [at.lng, at.lat],
        ],
      ],
    };
    const crossing = await books.bookkeeper.client.post(url, { ...base, geometry: bowTie });
    expect(crossing.status).toBe(422);
    expect(crossing.body.error.messages.zh).toContain('自相交');

    const faraway = await books.bookkeeper.client.post(url, {
      ...base,
      geometry: field(at.lng + 1, at.lat + 1),
    });
    expect(faraway.status).toBe(422);
    expect(faraway.body.error.details.field).toBe('geometry.coordinates.0.0');

    const flat = {
      type: 'Polygon',
      coordinates: [
        [
          [at.lng, at.lat],
          [at.lng + 0.001, at.lat],
          [at.lng + 0.002, at.lat],
          [at.lng, at.lat],
        ],
      ],
    };
    expect((await books.bookkeeper.client.post(url, { ...base, geometry: flat })).status).toBe(422);
    const tooFine = await books.bookkeeper.client.post(url, { ...base, areaMu: 1.234 });
    expect(tooFine.status).toBe(400);
    // nothing half-written
    const list = await books.bookkeeper.client.get<{ items: Resource[] }>(url);
    expect(list.body.items.map((item) => item.code)).toEqual(['ZY-01']);
    expect(await verifyStreetOf(app, books.c)).toEqual([]);
  });

  it('is for the bookkeeper to change, read by the committee, hidden from residents', async () => {
    const books = await buildVillageBooks(app);
    const resource = await addResource(books, 'ZY-01');
    const changed = await books.bookkeeper.client.patch<Resource>(`/api/finance/resources/${resource.id}`, {
      expectedVersion: 1,
      areaMu: 13,
      letHow: 'leased',
    });
    expect(changed.status, JSON.stringify(changed.body)).toBe(200);
    expect(changed.body).toMatchObject({ areaMu: 13, letHow: 'leased', version: 2 });
    const stale = await books.bookkeeper.client.patch(`/api/finance/resources/${resource.id}`, {
      expectedVersion: 1,
      note: 'x',
    });
    expect(stale.status).toBe(409);
    expect((await books.approver.client.get(`/api/finance/books/${books.bookId}/resources`)).status).toBe(
      200,
    );
    expect(
      (await books.approver.client.patch(`/api/finance/resources/${resource.id}`, { note: 'x' })).status,
    ).toBe(403);
    expect(
      (await books.c.people.resident.client.get(`/api/finance/books/${books.bookId}/resources`)).status,
    ).toBe(404);
  });
});

describe('contracts and rent schedules', () => {
  it('generates yearly, half-yearly and quarterly schedules that add up to the total to the fen', async () => {
    const books = await buildVillageBooks(app);
    const resource = await addResource(books, 'ZY-01');
    const url = `/api/finance/books/${books.bookId}/contracts`;
    for (const [frequency, count] of [
      ['year', 3],
      ['half_year', 6],
      ['quarter', 12],
    ] as const) {
      const reply = await books.bookkeeper.client.post<Contract>(
        url,
        contractInput(resource.id, { frequency, totalRent: 1_000_001 }),
      );
      expect(reply.status, JSON.stringify(reply.body)).toBe(201);
      const schedule = reply.body.schedule;
      expect(schedule).toHaveLength(count);
      expect(schedule.reduce((sum, entry) => sum + entry.amount, 0)).toBe(1_000_001);
      expect(
        Math.max(...schedule.map((e) => e.amount)) - Math.min(...schedule.map((e) => e.amount)),
      ).toBeLessThanOrEqual(1);
      expect(schedule[0]!.dueDate).toBe('2024-01-01');
      expect(reply.body.annualRent).toBe(333_334);
    }
    // a custom schedule must add up and stay in the term
    const custom = contractInput(resource.id, {
      frequency: 'custom',
      totalRent: 3000,
      schedule: [
        { dueDate: '2024-03-01', amount: 1000 },
        { dueDate: '2025-03-01', amount: 1000 },
      ],
    });
    const mismatch = await books.bookkeeper.client.post(url, custom);
    expect(mismatch.status).toBe(422);
    expect(mismatch.body.error.code).toBe('schedule_total_mismatch');
    const outside = await books.bookkeeper.client.post(url, {
      ...custom,
      schedule: [
        { dueDate: '2024-03-01', amount: 2000 },
        { dueDate: '2027-03-01', amount: 1000 },
      ],
    });
    expect(outside.status).toBe(422);
    expect(outside.body.error.details.field).toBe('schedule.1.dueDate');
  });

  it('refuses bad terms, subjects and amounts with a field named, writing nothing', async () => {
    const books = await buildVillageBooks(app);
    const resource = await addResource(books, 'ZY-01');
    const url = `/api/finance/books/${books.bookId}/contracts`;
    const backwards = await books.bookkeeper.client.post(
      url,
      contractInput(resource.id, { startDate: '2026-01-01', endDate: '2025-12-31' }),
    );
    expect(backwards.status).toBe(400);
    expect(JSON.stringify(backwards.body)).toContain('endDate');
    const tooLong = await books.bookkeeper.client.post(
      url,
      contractInput(resource.id, { endDate: '2099-12-31' }),
    );
    expect(tooLong.status).toBe(400);
    const noSubject = await books.bookkeeper.client.post(url, contractInput('', { resourceId: undefined }));
    expect(noSubject.status).toBe(400);
    const fraction = await books.bookkeeper.client.post(
      url,
      contractInput(resource.id, { totalRent: 100.5 }),
    );
    expect(fraction.status).toBe(400);
    const tiny = await books.bookkeeper.client.post(url, contractInput(resource.id, { totalRent: 5 }));
    expect(tiny.status).toBe(422);
    expect(tiny.body.error.details.field).toBe('totalRent');
    const other = await buildVillageBooks(app);
    const foreign = await addResource(other, 'ZY-09');
    const elsewhere = await books.bookkeeper.client.post(url, contractInput(foreign.id));
    expect(elsewhere.status).toBe(422);
    expect(elsewhere.body.error.details.field).toBe('resourceId');
    const badId = await books.bookkeeper.client.post(
      url,
      contractInput(resource.id, { counterpartyIdNo: '123' }),
    );
    expect(badId.status).toBe(400);
    expect((await books.bookkeeper.client.get(url)).body.items).toEqual([]);
    const rows = await app.db
      .selectFrom('finance_rent_schedule')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('book_id', '=', books.bookId)
      .executeTakeFirstOrThrow();
    expect(Number(rows.n)).toBe(0);
  });

  it('keeps the holder encrypted at rest, in full for the finance people, and links the resource', async () => {
    const books = await buildVillageBooks(app);
    const resource = await addResource(books, 'ZY-01', { letHow: 'unlet' });
    const created = await books.bookkeeper.client.post<Contract>(
      `/api/finance/books/${books.bookId}/contracts`,
      contractInput(resource.id),
    );
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      counterpartyName: '张三丰',
      counterpartyIdNo: '11010519491231002X',
      counterpartyPhone: '13812345678',
      resource: { id: resource.id },
    });
    const stored = await sql<{
      row: string;
    }>`SELECT row_to_json(c)::text AS row FROM finance_contracts c WHERE id = ${created.body.id}`.execute(
      app.db,
    );
    const text = stored.rows[0]!.row;
    expect(text).not.toContain('张三丰');
    expect(text).not.toContain('13812345678');
    expect(text).not.toContain('1949');
    const journal = await sql<{
      payload: string;
    }>`SELECT payload::text AS payload FROM journal_entries WHERE record_id = ${created.body.id}`.execute(
      app.db,
    );
    for (const entry of journal.rows) {
      expect(entry.payload).not.toContain('张三丰');
      expect(entry.payload).not.toContain('13812345678');
    }
    const linked = await books.bookkeeper.client.get<{ items: Resource[] }>(
      `/api/finance/books/${books.bookId}/resources`,
    );
    expect(linked.body.items[0]).toMatchObject({
      letHow: 'contracted',
      contract: { id: created.body.id, holderName: '张三丰' },
    });
    expect(await verifyStreetOf(app, books.c)).toEqual([]);
  });

  it('records partial receipts, against a posted voucher at most once, and never more than owed', async () => {
    const books = await buildVillageBooks(app);
    const resource = await addResource(books, 'ZY-01');
    const contract = (
      await books.bookkeeper.client.post<Contract>(
        `/api/finance/books/${books.bookId}/contracts`,
        contractInput(resource.id, {
          frequency: 'year',
          totalRent: 300_000,
          startDate: '2025-01-01',
          endDate: '2027-12-31',
        }),
      )
    ).body;
    const receipts = `/api/finance/contracts/${contract.id}/receipts`;
    const voucher = await postVoucher(books, rentVoucher('2025-01-10', 150_000));
    const first = await books.bookkeeper.client.post<Contract>(receipts, {
      amount: 60_000,
      paidOn: '2025-01-10',
      voucherId: voucher.id,
    });
    expect(first.status, JSON.stringify(first.body)).toBe(200);
    expect(first.body.schedule[0]).toMatchObject({
      amount: 100_000,
      paidAmount: 60_000,
      voucherId: voucher.id,
    });
    expect(first.body.receipts[0]).toMatchObject({ amount: 60_000, voucherLabel: '记-2025-01-001' });
    // 90 000 left on the voucher: 100 000 is refused, 90 000 spans the first instalment and the second
    const tooMuch = await books.bookkeeper.client.post(receipts, {
      amount: 100_000,
      paidOn: '2025-01-10',
      voucherId: voucher.id,
    });
    expect(tooMuch.status).toBe(422);
    expect(tooMuch.body.error.code).toBe('voucher_exhausted');
    const second = await books.bookkeeper.client.post<Contract>(receipts, {
      amount: 90_000,
      paidOn: '2025-01-11',
      voucherId: voucher.id,
    });
    expect(second.status).toBe(200);
    expect(second.body.schedule.map((entry) => entry.paidAmount)).toEqual([100_000, 50_000, 0]);
    expect(second.body.paidTotal).toBe(150_000);
    // a draft voucher is not a receipt
    const draft = await books.bookkeeper.client.post<{ id: string }>(
      `/api/finance/books/${books.bookId}/vouchers`,
      rentVoucher('2025-01-12', 10_000),
    );
    const unposted = await books.bookkeeper.client.post(receipts, {
      amount: 1_000,
      paidOn: '2025-01-12',
      voucherId: draft.body.id,
    });
    expect(unposted.status).toBe(422);
    expect(unposted.body.error.code).toBe('voucher_not_posted');
    // an amount and a date without a voucher; more than owed on one instalment is refused
    const third = second.body.schedule[2]!;
    const over = await books.bookkeeper.client.post(receipts, {
      instalmentId: third.id,
      amount: 100_001,
      paidOn: '2025-02-01',
    });
    expect(over.status).toBe(422);
    expect(over.body.error.code).toBe('overpaid');
    const cash = await books.bookkeeper.client.post<Contract>(receipts, {
      instalmentId: third.id,
      amount: 100_000,
      paidOn: '2025-02-01',
    });
    expect(cash.body.schedule.map((entry) => entry.paidAmount)).toEqual([100_000, 50_000, 100_000]);
    expect((await books.approver.client.post(receipts, { amount: 1, paidOn: '2025-02-01' })).status).toBe(
      403,
    );
    expect(await verifyStreetOf(app, books.c)).toEqual([]);
  });
});

describe('overdue rent (欠租预警)', () => {
  it('flags unpaid instalments past due on a fixed day, with days and amounts, and contracts ending soon', async () => {
    const books = await buildVillageBooks(app);
    const resource = await addResource(books, 'ZY-01');
    const contract = (
      await books.bookkeeper.client.post<Contract>(
        `/api/finance/books/${books.bookId}/contracts`,
        contractInput(resource.id, {
          frequency: 'half_year',
          totalRent: 400_000,
          startDate: '2024-07-01',
          endDate: '2026-06-30',
        }),
      )
    ).body;
    // due 2024-07-01, 2025-01-01, 2025-07-01, 2026-01-01 — 100 000 each
    await books.bookkeeper.client.post(`/api/finance/contracts/${contract.id}/receipts`, {
      amount: 130_000,
      paidOn: '2024-07-01',
    });
    const alerts = await books.bookkeeper.client.get<OverdueRentList>(
      `/api/finance/books/${books.bookId}/alerts?asOf=2025-07-11`,
    );
    expect(alerts.status).toBe(200);
    expect(alerts.body.items.map((item) => [item.dueDate, item.paidAmount, item.overdueDays])).toEqual([
      ['2025-01-01', 30_000, 191],
      ['2025-07-01', 0, 10],
    ]);
    expect(alerts.body.amount).toBe(170_000);
    expect(alerts.body.items[0]!.holderName).toBe('张三丰');
    expect(alerts.body.endingSoon).toEqual([]);
    // due today is not overdue yet
    const onDueDay = await books.bookkeeper.client.get<OverdueRentList>(
      `/api/finance/books/${books.bookId}/alerts?asOf=2025-07-01`,
    );
    expect(onDueDay.body.items.map((item) => item.dueDate)).toEqual(['2025-01-01']);
    const late = await books.bookkeeper.client.get<OverdueRentList>(
      `/api/finance/books/${books.bookId}/alerts?asOf=2026-04-15`,
    );
    expect(late.body.endingSoon).toEqual([
      expect.objectContaining({ contractId: contract.id, daysLeft: 76, holderName: '张三丰' }),
    ]);
    const flagged = await books.bookkeeper.client.get<{ items: Contract[] }>(
      `/api/finance/books/${books.bookId}/contracts?asOf=2026-04-15`,
    );
    expect(flagged.body.items[0]).toMatchObject({ isEndingSoon: true, overdueAmount: 270_000 });
    // a terminated contract raises no alert
    await books.bookkeeper.client.patch(`/api/finance/contracts/${contract.id}`, { state: 'terminated' });
    const after = await books.bookkeeper.client.get<OverdueRentList>(
      `/api/finance/books/${books.bookId}/alerts?asOf=2025-07-11`,
    );
    expect(after.body.items).toEqual([]);
  });

  it('shows villagers and the big screen the alert with the holder masked, never in full', async () => {
    const books = await buildVillageBooks(app);
    const resource = await addResource(books, 'ZY-01');
    await books.bookkeeper.client.post(
      `/api/finance/books/${books.bookId}/contracts`,
      contractInput(resource.id, {
        frequency: 'year',
        code: 'HT-A',
        totalRent: 300_000,
        startDate: '2024-03-01',
        endDate: '2027-02-28',
      }),
    );
    await books.bookkeeper.client.post(`/api/finance/books/${books.bookId}/contracts`, {
      ...contractInput(resource.id, {
        frequency: 'year',
        code: 'HT-B',
        totalRent: 50_000,
        startDate: '2024-03-01',
        endDate: '2025-02-28',
      }),
      counterpartyName: '新山农业专业合作社',
      counterpartyKind: 'organisation',
      counterpartyIdNo: null,
    });
    const publicClient = books.c.public;
    const asOf = '2025-04-01';
    const bodies = [
      await publicClient.get(`/api/public/books/${books.bookId}/resources`),
      await publicClient.get(`/api/public/books/${books.bookId}/contracts?asOf=${asOf}`),
      await publicClient.get(`/api/public/books/${books.bookId}/alerts?asOf=${asOf}`),
      await publicClient.get(`/api/public/overdue-rent?unitId=${books.c.street.id}&asOf=${asOf}`),
      await books.c.people.resident.client.get(`/api/public/books/${books.bookId}/contracts?asOf=${asOf}`),
    ];
    for (const reply of bodies) {
      expect(reply.status, JSON.stringify(reply.body)).toBe(200);
      const text = JSON.stringify(reply.body);
      expect(text).not.toContain('张三丰');
      expect(text).not.toContain('13812345678');
      expect(text).not.toContain('1101051949');
      expect(text).not.toContain('集体土地所有权证');
    }
    const contracts = bodies[1]!.body.items as {
      holderName: string;
      overdueAmount: number;
      overdueInstalments: number;
    }[];
    expect(contracts.map((c) => c.holderName).sort()).toEqual(['张**', '新山农业专业合作社']);
    const person = contracts.find((c) => c.holderName === '张**')!;
    expect(person).toMatchObject({ overdueAmount: 200_000, overdueInstalments: 2, isEndingSoon: false });
    expect(bodies[2]!.body.amount).toBe(250_000);
    expect(
      (bodies[2]!.body.items as { holderName: string; overdueDays: number }[]).map((item) => [
        item.holderName,
        item.overdueDays,
      ]),
    ).toEqual([
      ['张**', 396],
      ['新山农业专业合作社', 396],
      ['张**', 31],
    ]);
    expect(bodies[3]!.body).toMatchObject({ instalments: 3, contracts: 2, amount: 250_000 });
    expect(bodies[3]!.body.books).toEqual([
      expect.objectContaining({ bookId: books.bookId, amount: 250_000 }),
    ]);
    expect((await publicClient.get(`/api/public/books/${crypto.randomUUID()}/contracts`)).status).toBe(404);
  });
});

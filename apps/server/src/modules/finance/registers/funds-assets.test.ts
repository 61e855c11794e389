import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../../app.ts';
import { buildTestApp, Client } from '../../../../test/harness.ts';
import {
  buildVillageBooks,
  expenseVoucher,
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

async function villageCentre(books: VillageBooks) {
  const row = await app.db
    .selectFrom('units')
    .select(['centroid_lng', 'centroid_lat'])
    .where('id', '=', books.c.community.id)
    .executeTakeFirstOrThrow();
  return { lng: row.centroid_lng!, lat: row.centroid_lat! };
}

function asset(overrides: Record<string, unknown> = {}) {
  return {
    code: 'GD-001',
    name: '村委会办公楼',
    category: 'building',
    isOperating: false,
    originalValue: 1_200_000_00,
    openingDepreciation: 0,
    salvageValue: 0,
    usefulLifeMonths: 480,
    acquiredOn: '2020-06-30',
    acquiredHow: 'construction',
    ...overrides,
  };
}

describe('funds register (资金)', () => {
  it('registers cash and bank accounts, refuses bad input, reconciles the statement against the books', async () => {
    const books = await buildVillageBooks(app);
    const { bookkeeper, bookId } = books;
    const url = `/api/finance/books/${bookId}/funds`;

    const wrongAccount = await bookkeeper.client.post(url, {
      kind: 'bank',
      name: '基本户',
      bankName: '农商银行',
      accountCode: '101',
    });
    expect(wrongAccount.status).toBe(422);
    expect(wrongAccount.body.error).toMatchObject({
      code: 'fund_account_wrong',
      details: { field: 'accountCode' },
    });
    const letters = await bookkeeper.client.post(url, {
      kind: 'bank',
      name: '基本户',
      bankName: '农商银行',
      accountNo: 'abc123',
      accountCode: '102',
    });
    expect(letters.status).toBe(400);
    expect(JSON.stringify(letters.body)).toContain('accountNo');
    const unknown = await bookkeeper.client.post(url, {
      kind: 'bank',
      name: 'x',
      bankName: 'y',
      accountCode: '10299',
    });
    expect(unknown.status).toBe(422);
    expect(unknown.body.error.code).toBe('account_unknown');
    const noBank = await bookkeeper.client.post(url, { kind: 'bank', name: '基本户', accountCode: '102' });
    expect(noBank.status).toBe(422);
    expect(noBank.body.error.details.field).toBe('bankName');
    const extra = await bookkeeper.client.post(url, {
      kind: 'cash',
      name: '现金',
      accountCode: '101',
      balance: 5,
    });
    expect(extra.status).toBe(400);

    const cash = await bookkeeper.client.post(url, { kind: 'cash', name: '村委会现金', accountCode: '101' });
    expect(cash.status, JSON.stringify(cash.body)).toBe(201);
    expect(cash.body).toMatchObject({ ledgerBalance: 50_000, statementBalance: null, difference: null });
    const bank = await bookkeeper.client.post(url, {
      kind: 'bank',
      name: '基本户',
      bankName: '农商银行新山支行',
      accountNo: '6228 4800 1234 5678',
      accountCode: '102',
    });
    expect(bank.status, JSON.stringify(bank.body)).toBe(201);
    expect(bank.body.accountNo).toBe('6228 **** 5678');
    expect(bank.body.accountName).toBe('银行存款');
    const again = await bookkeeper.client.post(url, {
      kind: 'bank',
      name: '重复',
      bankName: 'y',
      accountCode: '102',
    });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('fund_exists');

    // the reviewer reads, never registers
    const byReviewer = await books.reviewer.client.post(url, {
      kind: 'cash',
      name: '现金2',
      accountCode: '101',
    });
    expect(byReviewer.status).toBe(403);
    expect((await books.reviewer.client.get(url)).status).toBe(200);
    // the public does not see the register
    expect((await new Client(app).get(url)).status).toBe(401);

    await postVoucher(books, rentVoucher('2025-01-10', 1_000_00));
    await postVoucher(books, expenseVoucher('2025-02-05', 300_00));

    const patch = (body: object) => bookkeeper.client.patch(`/api/finance/funds/${bank.body.id}`, body);
    const halfStatement = await patch({ statementBalance: 1_001_000_00 });
    expect(halfStatement.status).toBe(422);
    expect(halfStatement.body.error).toMatchObject({
      code: 'statement_incomplete',
      details: { field: 'statementDate' },
    });
    const fraction = await patch({ statementBalance: 10.5, statementDate: '2025-01-31' });
    expect(fraction.status).toBe(400);

    // January's statement agrees with the books at 31 January (the February payment is after it)
    const january = await patch({
      statementBalance: 1_001_000_00,
      statementDate: '2025-01-31',
      expectedVersion: 1,
    });
    expect(january.status, JSON.stringify(january.body)).toBe(200);
    expect(january.body).toMatchObject({
      ledgerBalance: 1_001_000_00,
      statementBalance: 1_001_000_00,
      difference: 0,
      isReconciled: true,
      version: 2,
    });
    const stale = await patch({ name: '改名', expectedVersion: 1 });
    expect(stale.status).toBe(409);
    expect(stale.body.error.code).toBe('stale_version');

    // February's statement shows 50 yuan of interest the books do not have yet
    const february = await patch({ statementBalance: 1_000_750_00, statementDate: '2025-02-28' });
    expect(february.body).toMatchObject({
      ledgerBalance: 1_000_700_00,
      difference: 50_00,
      isReconciled: false,
    });

    const list = await bookkeeper.client.get(url);
    expect(list.status).toBe(200);
    expect(list.body.items.map((f: { kind: string }) => f.kind)).toEqual(['bank', 'cash']);
    expect(list.body.ledgerTotal).toBe(50_000 + 1_000_700_00);
    expect(await verifyStreetOf(app, books.c)).toEqual([]);
  });
});

describe('assets register (资产)', () => {
  it('registers assets with a location inside the village, refuses bad input, shows them to villagers without notes', async () => {
    const books = await buildVillageBooks(app);
    const { bookkeeper, bookId } = books;
    const url = `/api/finance/books/${bookId}/assets`;
    const centre = await villageCentre(books);

    const office = await bookkeeper.client.post(
      url,
      asset({ location: centre, locationText: '村委会大院', note: '联系人王某 13800000000' }),
    );
    expect(office.status, JSON.stringify(office.body)).toBe(201);
    expect(office.body).toMatchObject({
      code: 'GD-001',
      netValue: 1_200_000_00,
      accumulatedDepreciation: 0,
      monthlyDepreciation: 250_000,
      expenseAccount: '511',
      location: centre,
    });

    const duplicate = await bookkeeper.client.post(url, asset({ name: '另一栋' }));
    expect(duplicate.status).toBe(409);
    expect(duplicate.body.error).toMatchObject({ code: 'asset_code_taken', details: { field: 'code' } });
    const tooMuch = await bookkeeper.client.post(
      url,
      asset({ code: 'GD-002', originalValue: 100_00, openingDepreciation: 90_00, salvageValue: 20_00 }),
    );
    expect(tooMuch.status).toBe(422);
    expect(tooMuch.body.error.code).toBe('depreciation_exceeds_value');
    const fraction = await bookkeeper.client.post(url, asset({ code: 'GD-003', originalValue: 100.5 }));
    expect(fraction.status).toBe(400);
    expect(JSON.stringify(fraction.body)).toContain('originalValue');
    const negative = await bookkeeper.client.post(url, asset({ code: 'GD-003', originalValue: -1 }));
    expect(negative.status).toBe(400);
    const badCategory = await bookkeeper.client.post(url, asset({ code: 'GD-003', category: 'spaceship' }));
    expect(badCategory.status).toBe(400);
    const outside = await bookkeeper.client.post(
      url,
      asset({ code: 'GD-003', location: { lng: centre.lng + 0.5, lat: centre.lat } }),
    );
    expect(outside.status).toBe(422);
    expect(outside.body.error).toMatchObject({ code: 'location_outside', details: { field: 'location' } });
    const noContract = await bookkeeper.client.post(
      url,
      asset({ code: 'GD-003', contractId: '00000000-0000-4000-8000-000000000000' }),
    );
    expect(noContract.status).toBe(422);
    expect(noContract.body.error.code).toBe('contract_unknown');
    const byReviewer = await books.reviewer.client.post(url, asset({ code: 'GD-009' }));
    expect(byReviewer.status).toBe(403);

    const truck = await bookkeeper.client.post(
      url,
      asset({
        code: 'JX-001',
        name: '垃圾清运车',
        category: 'vehicle',
        isOperating: true,
        originalValue: 180_000_00,
        openingDepreciation: 30_000_00,
        salvageValue: 9_000_00,
        usefulLifeMonths: 96,
        acquiredOn: '2022-03-01',
        acquiredHow: 'purchase',
      }),
    );
    expect(truck.status, JSON.stringify(truck.body)).toBe(201);
    expect(truck.body).toMatchObject({
      accumulatedDepreciation: 30_000_00,
      netValue: 150_000_00,
      expenseAccount: '502',
    });
    const land = await bookkeeper.client.post(
      url,
      asset({
        code: 'QT-001',
        name: '晒谷场',
        category: 'other',
        usefulLifeMonths: null,
        originalValue: 20_000_00,
      }),
    );
    expect(land.status).toBe(201);
    expect(land.body).toMatchObject({ monthlyDepreciation: 0, expenseAccount: null });

    const list = await bookkeeper.client.get(url);
    expect(list.body.items).toHaveLength(3);
    expect(list.body.totals).toEqual({
      originalValue: 1_400_000_00,
      accumulatedDepreciation: 30_000_00,
      netValue: 1_370_000_00,
    });

    // changes: a bad location refused, the state and use changed, disposed for good
    const moved = await bookkeeper.client.patch(`/api/finance/assets/${truck.body.id}`, {
      location: { lng: centre.lng + 1, lat: centre.lat },
    });
    expect(moved.status).toBe(422);
    const idle = await bookkeeper.client.patch(`/api/finance/assets/${truck.body.id}`, {
      state: 'idle',
      isOperating: false,
      expectedVersion: 1,
    });
    expect(idle.status, JSON.stringify(idle.body)).toBe(200);
    expect(idle.body).toMatchObject({ state: 'idle', expenseAccount: '511', version: 2 });
    const unknownField = await bookkeeper.client.patch(`/api/finance/assets/${truck.body.id}`, {
      originalValue: 1,
    });
    expect(unknownField.status).toBe(400);
    const disposed = await bookkeeper.client.patch(`/api/finance/assets/${land.body.id}`, {
      state: 'disposed',
    });
    expect(disposed.status).toBe(200);
    const afterDisposal = await bookkeeper.client.patch(`/api/finance/assets/${land.body.id}`, {
      name: '新名',
    });
    expect(afterDisposal.status).toBe(409);
    expect(afterDisposal.body.error.code).toBe('asset_disposed');

    // villagers: no sign-in, no note, no contract link
    const publicList = await new Client(app).get(`/api/public/books/${bookId}/assets`);
    expect(publicList.status).toBe(200);
    expect(publicList.body.items).toHaveLength(3);
    expect(publicList.body.asOf).toBeNull();
    const text = JSON.stringify(publicList.body);
    expect(text).not.toContain('13800000000');
    expect(text).not.toContain('note');
    expect(text).not.toContain('contractId');
    expect(publicList.body.items[0]).toMatchObject({ code: 'GD-001', locationText: '村委会大院' });
    expect(
      (await new Client(app).get(`/api/public/books/00000000-0000-4000-8000-000000000000/assets`)).status,
    ).toBe(404);
    expect(await verifyStreetOf(app, books.c)).toEqual([]);
  });
});

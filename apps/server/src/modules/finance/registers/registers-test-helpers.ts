import type { VillageBooks } from '../finance-test-helpers.ts';

/**
 * A fund account and an asset on a book, made once per book, for calls that change one (the
 * authorization walk).
 */
const made = new Map<string, Promise<{ fundId: string; assetId: string }>>();

export function fundAndAsset(books: Pick<VillageBooks, 'bookId' | 'bookkeeper'>) {
  let entry = made.get(books.bookId);
  if (!entry) {
    entry = (async () => {
      const fund = await books.bookkeeper.client.post<{ id: string }>(
        `/api/finance/books/${books.bookId}/funds`,
        {
          kind: 'cash',
          name: '遍历现金',
          accountCode: '101',
        },
      );
      const asset = await books.bookkeeper.client.post<{ id: string }>(
        `/api/finance/books/${books.bookId}/assets`,
        {
          code: 'WALK-001',
          name: '遍历资产',
          category: 'equipment',
          isOperating: false,
          originalValue: 1200_00,
          usefulLifeMonths: 12,
          acquiredOn: '2024-12-01',
          acquiredHow: 'purchase',
        },
      );
      if (fund.status !== 201 || asset.status !== 201) {
        throw new Error(`fundAndAsset: ${JSON.stringify(fund.body)} ${JSON.stringify(asset.body)}`);
      }
      return { fundId: fund.body.id, assetId: asset.body.id };
    })();
    made.set(books.bookId, entry);
  }
  return entry;
}

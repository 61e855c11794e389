import { expect } from 'vitest';
import type { VillageBooks } from '../finance-test-helpers.ts';

/** A small square field near the community's first grid, and a contract with a yearly schedule on it. */
export async function resourceWithContract(books: Pick<VillageBooks, 'bookId' | 'bookkeeper' | 'c'>) {
  const at = books.c.pointIn(0);
  const side = 0.001;
  const code = `ZY-${crypto.randomUUID().slice(0, 8)}`;
  const resource = await books.bookkeeper.client.post<{ id: string }>(
    `/api/finance/books/${books.bookId}/resources`,
    {
      code,
      name: '遍历鱼塘',
      kind: 'water',
      areaMu: 3,
      geometry: {
        type: 'Polygon',
        coordinates: [
          [
            [at.lng, at.lat],
            [at.lng + side, at.lat],
            [at.lng + side, at.lat + side],
            [at.lng, at.lat + side],
            [at.lng, at.lat],
          ],
        ],
      },
      letHow: 'unlet',
    },
  );
  expect(resource.status, JSON.stringify(resource.body)).toBe(201);
  const contract = await books.bookkeeper.client.post<{ id: string }>(
    `/api/finance/books/${books.bookId}/contracts`,
    {
      code: `HT-${code}`,
      title: '鱼塘承包合同',
      counterpartyName: '赵六',
      counterpartyKind: 'person',
      resourceId: resource.body.id,
      startDate: '2024-01-01',
      endDate: '2026-12-31',
      totalRent: 30_000,
      frequency: 'year',
    },
  );
  expect(contract.status, JSON.stringify(contract.body)).toBe(201);
  return { resourceId: resource.body.id, contractId: contract.body.id };
}

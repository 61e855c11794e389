import type { App } from '../../../app.ts';
import type { Actor } from '../../../policy/index.ts';
import { findBook } from '../repository.ts';
import { createContract, recordRentReceipt } from './contracts.ts';
import { addDays } from './holder.ts';
import { villageBBox } from './repository.ts';
import { createResource } from './resources.ts';

/** A rectangle inside the village's box, given as fractions of its width and height. */
function plot(box: { minLng: number; minLat: number; maxLng: number; maxLat: number } | null, f: number[]) {
  if (!box) return null;
  const [x0, y0, x1, y1] = f as [number, number, number, number];
  const lng = (x: number) => Math.round((box.minLng + (box.maxLng - box.minLng) * x) * 1e6) / 1e6;
  const lat = (y: number) => Math.round((box.minLat + (box.maxLat - box.minLat) * y) * 1e6) / 1e6;
  return {
    type: 'Polygon' as const,
    coordinates: [
      [
        [lng(x0), lat(y0)],
        [lng(x1), lat(y0)],
        [lng(x1), lat(y1)],
        [lng((x0 + x1) / 2), lat(y1 + (y1 - y0) * 0.15)],
        [lng(x0), lat(y1)],
        [lng(x0), lat(y0)],
      ] as [number, number][],
    ],
  };
}

/** The same day `years` later (29 February becomes the 28th in a common year). */
const shiftYears = (date: string, years: number) => {
  const shifted = `${Number(date.slice(0, 4)) + years}${date.slice(4)}`;
  return Number.isNaN(Date.parse(`${shifted}T00:00:00Z`)) ||
    new Date(`${shifted}T00:00:00Z`).toISOString().slice(0, 10) !== shifted
    ? `${shifted.slice(0, 8)}28`
    : shifted;
};

/**
 * The demo village's resources (six, with outlines inside the village) and contracts (five, with rent
 * schedules): every instalment due so far received, except the forest's latest, 45 days overdue — so
 * the 欠租预警 shows in the console, on /books and on the big screen — and one lease ending in 60 days.
 */
export async function seedDemoRegisters(app: App, bookkeeper: Actor, bookId: string, today: string) {
  const book = (await findBook(app.db, bookId))!;
  const box = await villageBBox(app.db, book.unit_path);
  const resources = [
    ['ZY-001', '东塘鱼塘', 'water', 18.6, [0.62, 0.12, 0.78, 0.26], 'contracted'],
    ['ZY-002', '后山林地', 'forest', 120, [0.05, 0.7, 0.4, 0.92], 'contracted'],
    ['ZY-003', '村西耕地', 'cultivated', 86.45, [0.05, 0.15, 0.3, 0.45], 'leased'],
    ['ZY-004', '村口集体建设用地', 'construction', 6.2, [0.45, 0.45, 0.55, 0.55], 'leased'],
    ['ZY-005', '南坡草地', 'grassland', 40, [0.6, 0.7, 0.9, 0.88], 'contracted'],
    ['ZY-006', '村北四荒地', 'wasteland', 12.3, [0.35, 0.05, 0.5, 0.15], 'unlet'],
  ] as const;
  const ids: string[] = [];
  for (const [code, name, kind, areaMu, f, letHow] of resources) {
    const made = await createResource(app, bookkeeper, bookId, {
      code,
      name,
      kind,
      areaMu,
      geometry: plot(box, [...f]),
      certificateNo: `集体土地所有权证 ${code.slice(3)}号`,
      letHow,
    });
    ids.push(made.id);
  }
  const thisYear = today.slice(0, 4);
  const overdueDue = addDays(today, -45);
  const endingSoon = addDays(today, 60);
  const contracts = [
    {
      code: 'HT-2021-01',
      title: '东塘鱼塘承包合同',
      counterpartyName: '陈大海',
      counterpartyKind: 'person' as const,
      counterpartyIdNo: '44030019700101123X',
      counterpartyPhone: '13800138001',
      resourceId: ids[0],
      startDate: `${Number(thisYear) - 2}-01-01`,
      endDate: `${Number(thisYear) + 2}-12-31`,
      totalRent: 186_000_00,
      frequency: 'half_year' as const,
    },
    {
      code: 'HT-2021-02',
      title: '后山林地承包合同',
      counterpartyName: '李林生',
      counterpartyKind: 'person' as const,
      counterpartyPhone: '13800138002',
      resourceId: ids[1],
      startDate: shiftYears(overdueDue, -3),
      endDate: addDays(shiftYears(overdueDue, 7), -1),
      totalRent: 96_000_00,
      frequency: 'year' as const,
    },
    {
      code: 'HT-2022-01',
      title: '村西耕地流转合同',
      counterpartyName: '新山果蔬专业合作社',
      counterpartyKind: 'organisation' as const,
      counterpartyIdNo: '93440300MA5F000001',
      resourceId: ids[2],
      startDate: `${Number(thisYear) - 1}-03-01`,
      endDate: `${Number(thisYear) + 4}-02-28`,
      totalRent: 345_800_00,
      frequency: 'year' as const,
    },
    {
      code: 'HT-2022-02',
      title: '村口建设用地租赁合同',
      counterpartyName: '王建业',
      counterpartyKind: 'person' as const,
      counterpartyPhone: '13800138004',
      resourceId: ids[3],
      startDate: addDays(shiftYears(endingSoon, -3), 1),
      endDate: endingSoon,
      totalRent: 72_000_00,
      frequency: 'quarter' as const,
    },
    {
      code: 'HT-2023-01',
      title: '南坡草地承包合同',
      counterpartyName: '欧阳牧',
      counterpartyKind: 'person' as const,
      resourceId: ids[4],
      startDate: `${Number(thisYear) - 1}-06-01`,
      endDate: `${Number(thisYear) + 8}-05-31`,
      totalRent: 36_000_00,
      frequency: 'year' as const,
    },
  ];
  for (const input of contracts) {
    const contract = await createContract(app, bookkeeper, bookId, input);
    for (const instalment of contract.schedule) {
      if (instalment.dueDate > today) break;
      if (input.code === 'HT-2021-02' && instalment.dueDate === overdueDue) continue;
      await recordRentReceipt(app, bookkeeper, contract.id, {
        instalmentId: instalment.id,
        amount: instalment.amount,
        paidOn: addDays(instalment.dueDate, 3) > today ? today : addDays(instalment.dueDate, 3),
      });
    }
  }
}

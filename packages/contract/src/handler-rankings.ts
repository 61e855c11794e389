import { z } from 'zod';
import { ZId } from './common.ts';
import { ZFiguresQuery, ZPeriod } from './figures.ts';

/**
 * 处置人员排名: the people who recorded the handling of the cases reported in the period under a
 * unit, one row each (docs/decisions/0512). Staff only: unlike the grids' figures, these name people.
 */
export const ZHandlerRankingsQuery = ZFiguresQuery.pick({ from: true, to: true, category: true }).extend({
  unitId: ZId.describe('The street or community (or grid) whose cases are counted'),
});
export type HandlerRankingsQuery = z.infer<typeof ZHandlerRankingsQuery>;

const rate = z.number().nullable();
export const ZHandlerRanking = z.object({
  userId: ZId,
  name: z.string(),
  organisations: z.array(z.string()).describe('The organisations the cases were dispatched to'),
  handled: z.number().int().describe('Cases whose handling this person recorded (last round)'),
  handledOnTime: z.number().int(),
  closed: z.number().int(),
  reworked: z.number().int(),
  followUps: z.number().int(),
  satisfied: z.number().int(),
  basicallySatisfied: z.number().int(),
  unsatisfied: z.number().int(),
  onTimeRate: rate.describe('按期结案率 (per person) = handled by the handling deadline / handled'),
  reworkRate: rate.describe('返工率 = handled cases that were sent back at least once / handled'),
  satisfactionRate: rate.describe('满意率 = (satisfied + 0.9 × basically satisfied) / rated'),
});
export type HandlerRanking = z.infer<typeof ZHandlerRanking>;

export const ZHandlerRankings = z.object({
  unitId: ZId,
  period: ZPeriod,
  rows: z.array(ZHandlerRanking).describe('Most cases handled first'),
  generatedAt: z.string(),
});
export type HandlerRankings = z.infer<typeof ZHandlerRankings>;

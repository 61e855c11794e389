import { QUEUE_FILTERS, type ConsoleQueue, type QueueCounts, type QueueCountsQuery } from '@minqing/contract';
import type { App } from '../../app.ts';
import type { Actor } from '../../policy/index.ts';
import { caseListFilter } from '../cases/list-cases.ts';
import type { CaseListFilter } from '../cases/repository.ts';
import { OPEN_STATES } from '../cases/state-machine.ts';
import { countQueues as selectQueueCounts } from './repository.ts';

/**
 * The number of cases in each workbench queue the caller may see, under the shared filters. Each
 * queue is defined as GET /api/cases filters (QUEUE_FILTERS) and translated by the case module's own
 * list filter, so the count on a tab is the length of the list behind it.
 */
export async function countQueues(app: App, actor: Actor, query: QueueCountsQuery): Promise<QueueCounts> {
  const now = new Date();
  const generatedAt = now.toISOString();
  const common = await caseListFilter(app, actor, query, now);
  const queues = Object.keys(QUEUE_FILTERS) as ConsoleQueue[];
  if (!common) {
    return {
      counts: Object.fromEntries(queues.map((q) => [q, 0])) as Record<ConsoleQueue, number>,
      openTotal: 0,
      generatedAt,
    };
  }
  const perQueue = {} as Record<ConsoleQueue, Partial<Omit<CaseListFilter, 'limit' | 'after'>>>;
  for (const queue of queues) {
    const { state, ...flags } = QUEUE_FILTERS[queue];
    const filter = await caseListFilter(app, actor, { ...flags, ...(state ? { state: [state] } : {}) }, now);
    // Only the queue's own conditions go into its FILTER clause; the shared ones are in WHERE.
    perQueue[queue] = {
      states: filter?.states,
      overdueAt: filter?.overdueAt,
      dueBetween: filter?.dueBetween,
      escalatedTo: filter?.escalatedTo,
    };
  }
  const result = await selectQueueCounts(app.db, common, perQueue, OPEN_STATES);
  return { ...result, generatedAt };
}

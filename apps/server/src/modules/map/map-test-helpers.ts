import type { App } from '../../app.ts';
import { journalHead } from '../live/repository.ts';

/** Waits until every journal entry committed so far has reached the map index through the feed. */
export async function settleMap(app: App): Promise<void> {
  const target = await journalHead(app.db);
  while (app.live.feed.highestId < target) await new Promise((resolve) => setTimeout(resolve, 5));
  await app.live.feed.settle();
}

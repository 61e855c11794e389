import type { FeedBatch, JournalFeed } from '../live/journal-feed.ts';

/**
 * What the map keeps in memory from the journal feed (the map index, the screen's counters): loaded
 * once from the database in the feed's queue — so no burst slips between the load and the first
 * update — then kept current by every burst. When the feed may have missed entries (reset), it is
 * dropped and loaded again on the next use.
 */
export abstract class FeedProjection {
  private loaded: Promise<void> | undefined;
  protected isReady = false;
  /** Bumped by reset(): a load that started before it must not mark the projection ready. */
  private generation = 0;

  constructor(protected readonly feed: JournalFeed) {}

  /** Subscribes to the feed; the load waits for ready(). */
  protected subscribe(): void {
    this.feed.subscribe((batch) => {
      if (this.isReady) this.apply(batch);
    });
    this.feed.onReset(() => this.reset());
  }

  /** Loads if not loaded yet; resolves when it is. */
  async ready(): Promise<void> {
    if (this.isReady) return;
    if (!this.loaded) {
      const generation = this.generation;
      const loading = this.feed.enqueue(async () => {
        this.clear();
        await this.load();
        if (generation === this.generation) this.isReady = true;
      });
      this.loaded = loading.catch((error: unknown) => {
        // A failed load (the database away) is tried again by the next use.
        this.loaded = undefined;
        throw error;
      });
    }
    await this.loaded;
  }

  /** Drops everything; the next use loads again. */
  reset(): void {
    this.generation++;
    this.isReady = false;
    this.loaded = undefined;
    this.clear();
  }

  protected abstract clear(): void;
  protected abstract load(): Promise<void>;
  protected abstract apply(batch: FeedBatch): void;
}

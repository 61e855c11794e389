import type { Db } from '../../db/database.ts';
import { WorkingCalendar } from './working-time.ts';

/**
 * The working calendar as the database holds it. Cached in the process: holidays change a few times a
 * year, and every deadline computation needs them. `invalidate()` after an edit (app.calendar does so
 * on every NOTIFY minqing_calendar, whichever process made the change); the TTL is a safety net.
 */
export class CalendarStore {
  private cached: { calendar: WorkingCalendar; loadedAt: number } | undefined;
  private loading: Promise<WorkingCalendar> | undefined;
  // A load that raced with an edit must not cache what it read before the edit.
  private generation = 0;

  constructor(
    private readonly db: Db,
    private readonly ttlMs = 60_000,
  ) {}

  async get(): Promise<WorkingCalendar> {
    if (this.cached && Date.now() - this.cached.loadedAt < this.ttlMs) return this.cached.calendar;
    if (!this.loading) {
      const loading = this.load().finally(() => {
        if (this.loading === loading) this.loading = undefined;
      });
      this.loading = loading;
    }
    return this.loading;
  }

  invalidate(): void {
    this.generation++;
    this.cached = undefined;
    this.loading = undefined;
  }

  private async load(): Promise<WorkingCalendar> {
    const generation = this.generation;
    const rows = await this.db.selectFrom('calendar_days').select(['day', 'is_workday']).execute();
    const calendar = new WorkingCalendar(new Map(rows.map((row) => [row.day, row.is_workday])));
    if (generation === this.generation) this.cached = { calendar, loadedAt: Date.now() };
    return calendar;
  }
}

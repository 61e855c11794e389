import type { Db } from '../../db/database.ts';
import { WorkingCalendar } from './working-time.ts';

/**
 * The working calendar as the database holds it. Cached in the process: holidays change a few times a
 * year, and every deadline computation needs them. `invalidate()` after an edit.
 */
export class CalendarStore {
  private cached: { calendar: WorkingCalendar; loadedAt: number } | undefined;

  constructor(
    private readonly db: Db,
    private readonly ttlMs = 60_000,
  ) {}

  async get(): Promise<WorkingCalendar> {
    if (this.cached && Date.now() - this.cached.loadedAt < this.ttlMs) return this.cached.calendar;
    const rows = await this.db.selectFrom('calendar_days').select(['day', 'is_workday']).execute();
    const calendar = new WorkingCalendar(new Map(rows.map((row) => [row.day, row.is_workday])));
    this.cached = { calendar, loadedAt: Date.now() };
    return calendar;
  }

  invalidate(): void {
    this.cached = undefined;
  }
}

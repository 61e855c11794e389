import fp from 'fastify-plugin';
import type { App } from '../../app.ts';
import { CalendarStore } from './calendar-store.ts';
import { calendarRoutes } from './routes.ts';

declare module 'fastify' {
  interface FastifyInstance {
    /** The working calendar (holidays, make-up working days) for deadline computations. */
    calendar: CalendarStore;
  }
}

/** The channel a trigger on calendar_days announces every change on (migration 0007). */
export const CALENDAR_CHANNEL = 'minqing_calendar';

/**
 * Puts the working calendar on the app for every capability that computes deadlines, and serves
 * its administration. The cache is dropped whenever calendar_days changes, in this process or any
 * other sharing the database (NOTIFY minqing_calendar), and when the LISTEN connection was lost.
 */
export const calendarPlugin = fp(
  async (fastify) => {
    const app = fastify as unknown as App;
    const store = new CalendarStore(app.db);
    app.decorate('calendar', store);

    const unlisten = await app.database.listen(CALENDAR_CHANNEL, () => store.invalidate());
    app.database.onListenReconnect(() => store.invalidate());
    app.addHook('onClose', async () => unlisten());

    await app.register(calendarRoutes);
  },
  { name: 'calendar', dependencies: ['core'] },
);

import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ZCalendarFile } from '@minqing/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../app.ts';
import { readCalendarFiles } from '../../reference-data.ts';
import { buildCommunity, createTestUser, type TestCommunity } from '../../../test/factories.ts';
import { buildTestApp, Client, testDataDir } from '../../../test/harness.ts';
import { runImportCalendarCommand } from './import-calendar-command.ts';

/**
 * The calendar is one table shared by every test on the database and by every deadline computed on
 * it, so these tests only write far-future years (2090–2099) that no case will ever reach.
 */
async function eventually<T>(read: () => Promise<T>, expected: T, timeoutMs = 5000): Promise<T> {
  const start = Date.now();
  let value = await read();
  while (value !== expected && Date.now() - start < timeoutMs) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    value = await read();
  }
  return value;
}

describe('calendar administration', () => {
  let app: App;
  let c: TestCommunity;
  beforeAll(async () => {
    app = await buildTestApp();
    c = await buildCommunity(app);
  });
  afterAll(() => app.close());

  it('shows a year with every exception day and whether the schedule is official', async () => {
    const official = await c.public.get('/api/calendar/2026');
    expect(official.status).toBe(200);
    expect(official.body).toMatchObject({
      year: 2026,
      status: 'official',
      source: expect.stringContaining('国务院办公厅关于2026年部分节假日安排的通知'),
      importedAt: null,
      allowedActions: [],
    });
    const nationalDay = official.body.days.find((day: any) => day.day === '2026-10-01');
    expect(nationalDay).toMatchObject({
      weekday: 4,
      isWorkday: false,
      name: { zh: '国庆节', en: 'National Day' },
    });
    const makeUp = official.body.days.find((day: any) => day.day === '2026-10-10');
    expect(makeUp).toMatchObject({ weekday: 6, isWorkday: true, name: { zh: '国庆节调休上班' } });
    expect(official.body.daysOff).toBe(official.body.days.filter((day: any) => !day.isWorkday).length);
    const days = official.body.days.map((day: any) => day.day);
    expect(days).toEqual([...days].sort());

    const provisional = await c.public.get('/api/calendar/2027');
    expect(provisional.body).toMatchObject({ year: 2027, status: 'provisional' });
    expect(provisional.body.days.some((day: any) => day.day === '2027-02-08' && !day.isWorkday)).toBe(true);

    const years = await c.public.get('/api/calendar');
    expect(years.status).toBe(200);
    expect(years.body.years.find((y: any) => y.year === 2026)).toMatchObject({
      status: 'official',
      daysOff: official.body.daysOff,
      makeUpWorkdays: official.body.makeUpWorkdays,
    });
    expect(years.body.years.find((y: any) => y.year === 2027)).toMatchObject({ status: 'provisional' });
    expect(years.body.years.some((y: any) => y.year === 2097)).toBe(false);

    const missing = await c.public.get('/api/calendar/2097');
    expect(missing.body).toMatchObject({ status: 'missing', days: [], daysOff: 0, source: null });

    const asAdmin = await c.people.streetAdmin.client.get('/api/calendar/2026');
    expect(asAdmin.body.allowedActions).toEqual(['import', 'set_day']);
    expect(asAdmin.body.days[0].allowedActions).toEqual(['update', 'reset']);
    expect((await c.public.get('/api/calendar/1999')).status).toBe(400);
    expect((await c.public.get('/api/calendar/abcd')).status).toBe(400);
  });

  it('sets and resets a day, and deadlines see it at once', async () => {
    const admin = c.people.streetAdmin.client;
    // Monday 2 March 2099, a working day by the weekday rule
    expect((await app.calendar.get()).isWorkingDay('2099-03-02')).toBe(true);
    const set = await admin.put('/api/calendar/days/2099-03-02', {
      isWorkday: false,
      nameZh: '台风停工',
      nameEn: 'Typhoon closure',
    });
    expect(set.status).toBe(200);
    expect(set.body).toMatchObject({
      day: '2099-03-02',
      weekday: 1,
      isWorkday: false,
      name: { zh: '台风停工', en: 'Typhoon closure' },
      source: 'manual',
      updatedBy: { id: c.people.streetAdmin.id, name: '街道管理员' },
      allowedActions: ['update', 'reset'],
    });
    expect((await app.calendar.get()).isWorkingDay('2099-03-02')).toBe(false);
    const renamed = await admin.put('/api/calendar/days/2099-03-02', {
      isWorkday: false,
      nameZh: '台风停工一天',
      nameEn: 'Typhoon',
    });
    expect(renamed.body.name.zh).toBe('台风停工一天');
    const year = await admin.get('/api/calendar/2099');
    expect(year.body).toMatchObject({ status: 'provisional', daysOff: 1, days: [{ day: '2099-03-02' }] });

    const reset = await admin.delete('/api/calendar/days/2099-03-02');
    expect(reset.status).toBe(200);
    expect(reset.body).toEqual({ day: '2099-03-02', isWorkday: true });
    expect((await app.calendar.get()).isWorkingDay('2099-03-02')).toBe(true);
    const resetAgain = await admin.delete('/api/calendar/days/2099-03-02');
    expect(resetAgain.status).toBe(404);
    expect(resetAgain.body.error.messages.zh).toMatch(/2099-03-02/);
  });

  it('refuses redundant or malformed days and anyone but street and system admins', async () => {
    const admin = c.people.streetAdmin.client;
    const day = { isWorkday: false, nameZh: '假日', nameEn: 'Holiday' };
    // Saturday 7 March 2099 rests anyway
    const redundant = await admin.put('/api/calendar/days/2099-03-07', day);
    expect(redundant.status).toBe(422);
    expect(redundant.body.error.code).toBe('same_as_weekday_rule');
    expect((await admin.put('/api/calendar/days/2099-02-30', day)).status).toBe(400);
    expect((await admin.put('/api/calendar/days/20990302', day)).status).toBe(400);
    expect((await admin.put('/api/calendar/days/2099-03-03', { ...day, nameZh: '' })).status).toBe(400);
    expect((await admin.put('/api/calendar/days/2099-03-03', { ...day, reason: 'x' })).status).toBe(400);
    expect((await c.public.put('/api/calendar/days/2099-03-03', day)).status).toBe(401);
    expect((await c.people.communityAdmin.client.put('/api/calendar/days/2099-03-03', day)).status).toBe(403);
    expect((await c.people.communityAdmin.client.delete('/api/calendar/days/2099-03-03')).status).toBe(403);
    const untouched = await c.public.get('/api/calendar/2099');
    expect(untouched.body.days.some((d: any) => d.day === '2099-03-03' || d.day === '2099-03-07')).toBe(
      false,
    );
  });

  it('hears of days changed by another process through NOTIFY', async () => {
    await app.calendar.get();
    await app.db
      .insertInto('calendar_days')
      .values({
        day: '2098-06-03',
        is_workday: false,
        name_zh: '测试假日',
        name_en: 'Test holiday',
        source: 'sql',
      })
      .onConflict((oc) => oc.column('day').doNothing())
      .execute();
    const seen = await eventually(async () => (await app.calendar.get()).isWorkingDay('2098-06-03'), false);
    expect(seen).toBe(false);
    await app.db.deleteFrom('calendar_days').where('day', '=', '2098-06-03').execute();
    expect(await eventually(async () => (await app.calendar.get()).isWorkingDay('2098-06-03'), true)).toBe(
      true,
    );
  });
});

describe('calendar import', () => {
  let app: App;
  let c: TestCommunity;
  beforeAll(async () => {
    app = await buildTestApp();
    c = await buildCommunity(app);
  });
  afterAll(() => app.close());

  const schedule = {
    year: 2096,
    status: 'official',
    source: '国务院办公厅关于2096年部分节假日安排的通知（测试）',
    holidays: [
      { name_zh: '元旦', name_en: "New Year's Day", days_off: ['2096-01-01'], make_up_workdays: [] },
      {
        name_zh: '国庆节',
        name_en: 'National Day',
        days_off: ['2096-10-01', '2096-10-02', '2096-10-03', '2096-10-04', '2096-10-05'],
        // Saturday 29 September 2096
        make_up_workdays: ['2096-09-29'],
      },
    ],
  };

  it('accepts every shipped reference file as it is', () => {
    for (const file of readCalendarFiles()) {
      const parsed = ZCalendarFile.safeParse(file);
      expect(parsed.success, `${file.year}: ${JSON.stringify(parsed.error?.issues)}`).toBe(true);
    }
  });

  it("replaces a year's exception days with the imported schedule and records its status", async () => {
    const sysadmin = await createTestUser(app, {
      name: '系统管理员',
      roles: [{ role: 'system_admin', unitId: c.street.id }],
    });
    const admin = sysadmin.client;
    // a hand edit that the official schedule will replace
    expect(
      (
        await admin.put('/api/calendar/days/2096-05-02', {
          isWorkday: false,
          nameZh: '临时',
          nameEn: 'Ad hoc',
        })
      ).status,
    ).toBe(200);
    const imported = await admin.post('/api/calendar/import', schedule);
    expect(imported.status).toBe(200);
    expect(imported.body).toEqual({
      year: 2096,
      status: 'official',
      source: schedule.source,
      daysOff: 6,
      makeUpWorkdays: 1,
      replaced: 1,
    });
    const year = await c.public.get('/api/calendar/2096');
    expect(year.body).toMatchObject({
      status: 'official',
      source: schedule.source,
      daysOff: 6,
      makeUpWorkdays: 1,
    });
    expect(year.body.importedAt).toEqual(expect.any(String));
    expect(year.body.days.map((day: any) => day.day)).not.toContain('2096-05-02');
    expect(year.body.days.find((day: any) => day.day === '2096-09-29')).toMatchObject({
      isWorkday: true,
      name: { zh: '国庆节调休上班', en: 'National Day make-up working day' },
      source: schedule.source,
    });
    const calendar = await app.calendar.get();
    expect(calendar.isWorkingDay('2096-10-02')).toBe(false);
    expect(calendar.isWorkingDay('2096-09-29')).toBe(true);

    // importing again as provisional replaces the same days
    const again = await admin.post('/api/calendar/import', { ...schedule, status: 'provisional' });
    expect(again.body).toMatchObject({ status: 'provisional', replaced: 7 });
    expect((await c.public.get('/api/calendar/2096')).body.status).toBe('provisional');
  });

  it('refuses a schedule with days outside its year, twice listed, or a weekday make-up day, writing nothing', async () => {
    const admin = c.people.streetAdmin.client;
    const post = (body: unknown) => admin.post('/api/calendar/import', body);
    const withHoliday = (holiday: Record<string, unknown>) => ({
      ...schedule,
      year: 2095,
      holidays: [{ name_zh: '测试', name_en: 'Test', days_off: [], make_up_workdays: [], ...holiday }],
    });
    const outside = await post(withHoliday({ days_off: ['2094-07-01'] }));
    expect(outside.status).toBe(400);
    expect(outside.body.error.details.issues[0]).toMatchObject({
      path: 'body.holidays.0.days_off.0',
      messageZh: expect.stringMatching(/不在 2095 年/),
    });
    const twice = await post(withHoliday({ days_off: ['2095-05-01'], make_up_workdays: ['2095-05-01'] }));
    expect(twice.status).toBe(400);
    // Wednesday 4 May 2095 works anyway
    const weekday = await post(withHoliday({ days_off: ['2095-05-02'], make_up_workdays: ['2095-05-04'] }));
    expect(weekday.status).toBe(400);
    expect(weekday.body.error.details.issues[0].messageEn).toMatch(/weekday already/);
    const badDate = await post(withHoliday({ days_off: ['2095-13-01'] }));
    expect(badDate.status).toBe(400);
    const extra = await post({ ...withHoliday({ days_off: ['2095-05-02'] }), signedBy: 'x' });
    expect(extra.status).toBe(400);
    expect(
      (
        await c.people.communityAdmin.client.post(
          '/api/calendar/import',
          withHoliday({ days_off: ['2095-05-02'] }),
        )
      ).status,
    ).toBe(403);
    expect(
      (await c.public.post('/api/calendar/import', withHoliday({ days_off: ['2095-05-02'] }))).status,
    ).toBe(401);
    const year = await c.public.get('/api/calendar/2095');
    expect(year.body).toMatchObject({ status: 'missing', days: [] });
  });
});

describe('minqing import-calendar', () => {
  let app: App;
  beforeAll(async () => {
    app = await buildTestApp();
  });
  afterAll(() => app.close());

  it('imports a schedule file as the operator and refuses an invalid one', async () => {
    const file = join(testDataDir(), 'cn-2094.json');
    writeFileSync(
      file,
      JSON.stringify({
        year: 2094,
        source: '测试通知',
        holidays: [
          { name_zh: '劳动节', name_en: 'Labour Day', days_off: ['2094-05-03'], make_up_workdays: [] },
        ],
      }),
    );
    const lines: string[] = [];
    const print = (line: string) => void lines.push(line);
    expect(await runImportCalendarCommand([file], { db: app.db, print })).toBe(0);
    expect(lines.join('\n')).toMatch(/2094 schedule imported \(official\)/);
    const year = await new Client(app).get('/api/calendar/2094');
    expect(year.body).toMatchObject({
      status: 'official',
      source: '测试通知',
      days: [{ day: '2094-05-03', updatedBy: null }],
    });
    expect(await eventually(async () => (await app.calendar.get()).isWorkingDay('2094-05-03'), false)).toBe(
      false,
    );

    const invalid = join(testDataDir(), 'cn-2093.json');
    writeFileSync(
      invalid,
      JSON.stringify({
        year: 2093,
        source: 'x',
        holidays: [{ name_zh: 'a', name_en: 'b', days_off: ['2093-02-30'], make_up_workdays: [] }],
      }),
    );
    lines.length = 0;
    expect(await runImportCalendarCommand([invalid], { db: app.db, print })).toBe(1);
    expect(lines.join('\n')).toMatch(/holidays\.0\.days_off\.0/);
    expect(await runImportCalendarCommand([], { db: app.db, print })).toBe(2);
    expect(await runImportCalendarCommand([join(testDataDir(), 'missing.json')], { db: app.db, print })).toBe(
      1,
    );
    expect((await new Client(app).get('/api/calendar/2093')).body.status).toBe('missing');
  });
});

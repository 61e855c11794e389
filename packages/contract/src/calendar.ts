import { z } from 'zod';
import { ZAllowedActions, ZId, ZInstant, ZLocalizedText } from './common.ts';

/**
 * The working calendar: China's public holidays (放假) and make-up working days (调休上班) as the
 * State Council publishes them each year. Every other weekday works and every other Saturday and
 * Sunday rests; only the exceptions are data. Time limits (时限) count working time on it.
 */

/** A local calendar day in China, 'YYYY-MM-DD', that exists (no 2026-02-30). */
export const ZLocalDay = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, { error: '日期格式应为 YYYY-MM-DD / a day is written YYYY-MM-DD' })
  .refine(
    (day) => {
      // Runs after a failed format check too (zod reports every issue), so it must not throw.
      const time = Date.parse(`${day}T00:00:00Z`);
      return Number.isFinite(time) && new Date(time).toISOString().slice(0, 10) === day;
    },
    {
      error: '没有这一天 / no such day',
    },
  )
  .describe('Local day in China, YYYY-MM-DD');

export const ZCalendarYearNumber = z.coerce
  .number()
  .int()
  .min(2000, { error: '年份应在 2000–2100 之间 / the year must be 2000–2100' })
  .max(2100, { error: '年份应在 2000–2100 之间 / the year must be 2000–2100' })
  .describe('Calendar year, e.g. 2026');

export const ZCalendarYearParams = z.strictObject({ year: ZCalendarYearNumber });
export const ZCalendarDayParams = z.strictObject({ day: ZLocalDay });

export const ZCalendarYearStatus = z
  .enum(['official', 'provisional', 'missing'])
  .describe(
    'official: the State Council notice for the year; provisional: statutory holidays placed by rule, to be replaced by the notice; missing: no schedule, only weekends rest',
  );
export type CalendarYearStatus = z.infer<typeof ZCalendarYearStatus>;

export const ZCalendarDay = z
  .object({
    day: ZLocalDay,
    weekday: z.number().int().min(1).max(7).describe('ISO weekday: 1 Monday … 7 Sunday'),
    isWorkday: z.boolean().describe('true: a make-up working day (调休上班); false: a day off (放假)'),
    name: ZLocalizedText.describe('e.g. 国庆节 / National Day'),
    source: z.string().nullable().describe('Where the day comes from: the notice, a file, or manual'),
    updatedBy: z.object({ id: ZId, name: z.string() }).nullable().describe('Who last edited it by hand'),
    updatedAt: ZInstant.nullable(),
    allowedActions: ZAllowedActions.describe('update, reset'),
  })
  .describe('An exception to the weekday rule');
export type CalendarDay = z.infer<typeof ZCalendarDay>;

export const ZCalendarYear = z
  .object({
    year: z.number().int(),
    status: ZCalendarYearStatus,
    source: z.string().nullable().describe('The notice or file the schedule comes from'),
    note: z.string().nullable(),
    importedAt: ZInstant.nullable().describe('When the schedule was last imported; null for shipped data'),
    daysOff: z.number().int().describe('Days off listed for the year (weekend days of a holiday included)'),
    makeUpWorkdays: z.number().int(),
    days: z.array(ZCalendarDay).describe('Every exception day of the year, in date order'),
    allowedActions: ZAllowedActions.describe('import, set_day'),
  })
  .describe("A year's holidays and make-up working days, and whether the schedule is official");
export type CalendarYear = z.infer<typeof ZCalendarYear>;

export const ZCalendarYears = z
  .object({
    years: z.array(
      z.object({
        year: z.number().int(),
        status: ZCalendarYearStatus,
        source: z.string().nullable(),
        daysOff: z.number().int(),
        makeUpWorkdays: z.number().int(),
      }),
    ),
    allowedActions: ZAllowedActions.describe('import, set_day'),
  })
  .describe('The years the calendar knows, and which are official');
export type CalendarYears = z.infer<typeof ZCalendarYears>;

const ZDayName = (max: number) => z.string().trim().min(1).max(max);

/** PUT /api/calendar/days/:day — make a day an exception to the weekday rule, or change one. */
export const ZSetCalendarDay = z.strictObject({
  isWorkday: z.boolean().describe('false: a day off; true: a make-up working day'),
  nameZh: ZDayName(40).describe('Chinese name, e.g. 春节 or 春节调休上班'),
  nameEn: ZDayName(80).describe('English name'),
});
export type SetCalendarDay = z.infer<typeof ZSetCalendarDay>;

export const ZResetCalendarDayResult = z.object({
  day: ZLocalDay,
  isWorkday: z.boolean().describe('What the weekday rule now makes of the day'),
});

const ZCalendarHoliday = z.strictObject({
  name_zh: ZDayName(40).describe('e.g. 春节'),
  name_en: ZDayName(80).describe('e.g. Spring Festival'),
  days_off: z.array(ZLocalDay).max(20).describe('Days off of this holiday, weekends included'),
  make_up_workdays: z
    .array(ZLocalDay)
    .max(5)
    .describe('Saturdays or Sundays worked to make up for the holiday (调休上班)'),
});

const isWeekend = (day: string) => [0, 6].includes(new Date(`${day}T00:00:00Z`).getUTCDay());

/**
 * POST /api/calendar/import — a year's schedule in the shape of reference-data/calendar/cn-YYYY.json.
 * It replaces every exception day of that year, hand edits included.
 */
export const ZCalendarFile = z
  .strictObject({
    year: z.number().int().min(2000).max(2100),
    status: z
      .enum(['official', 'provisional'])
      .default('official')
      .describe('official unless the schedule is a placement by rule awaiting the notice'),
    source: z
      .string()
      .trim()
      .min(1)
      .max(500)
      .describe('The notice it comes from, e.g. 国办发明电〔2025〕7号'),
    note: z.string().trim().max(1000).optional(),
    holidays: z.array(ZCalendarHoliday).min(1).max(20),
  })
  .superRefine((file, ctx) => {
    const seen = new Map<string, string>();
    file.holidays.forEach((holiday, index) => {
      const check = (day: string, field: 'days_off' | 'make_up_workdays', position: number) => {
        const path = ['holidays', index, field, position];
        const year = Number(day.slice(0, 4));
        // A notice may place a New Year make-up day in the last days of the year before (2019: 2018-12-29).
        if (year !== file.year && !(year === file.year - 1 && day.slice(5, 7) === '12')) {
          ctx.addIssue({
            code: 'custom',
            path,
            message: `${day} 不在 ${file.year} 年的安排范围内 / ${day} is outside the ${file.year} schedule`,
          });
        }
        if (seen.has(day)) {
          ctx.addIssue({
            code: 'custom',
            path,
            message: `${day} 重复出现（${seen.get(day)}）/ ${day} is listed twice`,
          });
        }
        seen.set(day, holiday.name_zh);
        if (field === 'make_up_workdays' && !isWeekend(day)) {
          ctx.addIssue({
            code: 'custom',
            path,
            message: `${day} 是工作日，无需调休上班 / ${day} is a weekday already; only a weekend day can be a make-up working day`,
          });
        }
      };
      holiday.days_off.forEach((day, i) => check(day, 'days_off', i));
      holiday.make_up_workdays.forEach((day, i) => check(day, 'make_up_workdays', i));
    });
  })
  .describe('A year of holidays and make-up working days, as in reference-data/calendar/cn-YYYY.json');
export type CalendarFile = z.infer<typeof ZCalendarFile>;

export const ZCalendarImportResult = z.object({
  year: z.number().int(),
  status: z.enum(['official', 'provisional']),
  source: z.string(),
  daysOff: z.number().int(),
  makeUpWorkdays: z.number().int(),
  replaced: z.number().int().describe('Exception days of the year that the import removed or replaced'),
});
export type CalendarImportResult = z.infer<typeof ZCalendarImportResult>;

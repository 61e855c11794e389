import {
  errorResponses,
  ZCalendarDay,
  ZCalendarDayParams,
  ZCalendarFile,
  ZCalendarImportResult,
  ZCalendarYear,
  ZCalendarYearParams,
  ZCalendarYears,
  ZResetCalendarDayResult,
  ZSetCalendarDay,
} from '@minqing/contract';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { getCalendarYear } from './get-calendar-year.ts';
import { importCalendarYear } from './import-calendar-year.ts';
import { listCalendarYears } from './list-calendar-years.ts';
import { authorizeCalendarAdmin } from './policy.ts';
import { resetCalendarDay } from './reset-calendar-day.ts';
import { setCalendarDay } from './set-calendar-day.ts';

/** The working calendar's administration: read a year, set or reset a day, import a year's notice. */
export const calendarRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/api/calendar',
    {
      schema: {
        tags: ['calendar'],
        summary: 'The years the calendar knows, and which are official or provisional',
        description: 'Public.',
        response: { 200: ZCalendarYears },
      },
    },
    async (request) => listCalendarYears(app.db, request.actor),
  );

  app.get(
    '/api/calendar/:year',
    {
      schema: {
        tags: ['calendar'],
        summary: "A year's holidays and make-up working days (节假日与调休), and whether they are official",
        description: 'Public: the calendar explains every deadline.',
        params: ZCalendarYearParams,
        response: { 200: ZCalendarYear, 400: errorResponses[400] },
      },
    },
    async (request) => getCalendarYear(app.db, request.actor, request.params.year),
  );

  app.put(
    '/api/calendar/days/:day',
    {
      schema: {
        tags: ['calendar'],
        summary: 'Make a day a day off or a make-up working day (street and system admins)',
        params: ZCalendarDayParams,
        body: ZSetCalendarDay,
        response: {
          200: ZCalendarDay,
          400: errorResponses[400],
          401: errorResponses[401],
          403: errorResponses[403],
          422: errorResponses[422],
        },
      },
    },
    async (request) => {
      const actor = authorizeCalendarAdmin(request.actor);
      return setCalendarDay(app.db, app.calendar, actor, request.params.day, request.body);
    },
  );

  app.delete(
    '/api/calendar/days/:day',
    {
      schema: {
        tags: ['calendar'],
        summary: 'Return a day to the weekday rule (street and system admins)',
        params: ZCalendarDayParams,
        response: {
          200: ZResetCalendarDayResult,
          400: errorResponses[400],
          401: errorResponses[401],
          403: errorResponses[403],
          404: errorResponses[404],
        },
      },
    },
    async (request) => {
      authorizeCalendarAdmin(request.actor);
      return resetCalendarDay(app.db, app.calendar, request.params.day);
    },
  );

  app.post(
    '/api/calendar/import',
    {
      schema: {
        tags: ['calendar'],
        summary: "Import a year's schedule, replacing that year's exception days (street and system admins)",
        description: 'The body has the shape of apps/server/reference-data/calendar/cn-YYYY.json.',
        body: ZCalendarFile,
        response: {
          200: ZCalendarImportResult,
          400: errorResponses[400],
          401: errorResponses[401],
          403: errorResponses[403],
        },
      },
    },
    async (request) => {
      const actor = authorizeCalendarAdmin(request.actor);
      return importCalendarYear(app.db, app.calendar, actor, request.body);
    },
  );
};

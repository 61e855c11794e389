import { z } from 'zod';
import { ZCaseSource, ZCaseState } from './cases.ts';
import { ZId, ZInstant, ZLat, ZLng, ZLocalizedText } from './common.ts';

/**
 * Live events over Server-Sent Events: `GET /api/live` (DESIGN.md, "Live: the 民情地图").
 *
 * The stream is `text/event-stream`. Each message has an `event:` name (the `kind` below), an `id:`
 * and one `data:` line of JSON:
 *
 * - `id:` is the id of the **journal entry** the event comes from (`journal_entries.id`). One entry can
 *   give several events of different kinds (a case event and the figures event that follows it), so a
 *   client de-duplicates by **(event name, id)**, not by id alone.
 * - Reconnecting with `Last-Event-ID` (the header EventSource sends by itself, or the `lastEventId` query
 *   parameter for clients that reconnect by hand) replays what was missed from the journal. Entries of
 *   different records may commit out of id order, so the replay starts a little before the given id (an
 *   overlapping window of entries committed up to a minute before it) and a client must drop events it
 *   has already seen. When more was missed than a replay carries, the server sends `reset`: reload the
 *   figures and the map, then carry on.
 * - The first message after the replay is `ready`; its `id:` is the journal position the stream starts
 *   from, so a client that never received an event still resumes from there.
 * - A comment line (`: hb`) every ~15 s keeps proxies from closing an idle stream; `retry:` hints the
 *   reconnection delay. A client that cannot keep up (its buffer fills) is disconnected: it reconnects
 *   and catches up.
 *
 * What a viewer gets: events under the followed unit (`unitId`; everything when absent). Staff (and a
 * resident for their own reports) get the staff form of the cases they may open (`canReadCase`): the
 * case id, the exact position, a short summary. Everyone else gets the public form: no id, no names,
 * no phone numbers, no free text, and disputes and personal help (sensitive categories) only at their
 * grid's centre.
 */
export const LIVE_EVENT_TYPES = ['case', 'figures', 'patrol', 'books'] as const;
/** What a stream carries when `types` is absent: books events are asked for (the villagers' /books page). */
export const LIVE_DEFAULT_TYPES = ['case', 'figures', 'patrol'] as const;
export const ZLiveEventType = z.enum(LIVE_EVENT_TYPES);
export type LiveEventType = z.infer<typeof ZLiveEventType>;

/** Control events, always sent whatever `types` asks for. */
export const LIVE_CONTROL_EVENTS = ['ready', 'reset'] as const;

const ZEventId = z
  .string()
  .regex(/^\d{1,15}$/, { error: '事件编号应为数字 / an event id is a number' })
  .describe('The id of the last event received (a journal entry id)');

export const ZLiveQuery = z.strictObject({
  unitId: ZId.optional().describe(
    'Follow this area unit (street, community, grid) and everything below it; default: everything the viewer may see',
  ),
  types: z
    .string()
    .max(100)
    .transform((value) =>
      value
        .split(',')
        .map((part) => part.trim())
        .filter(Boolean),
    )
    .pipe(
      z
        .array(
          z.enum(LIVE_EVENT_TYPES, {
            error:
              '未知的事件类型（可选 case、figures、patrol、books）/ unknown event type (case, figures, patrol, books)',
          }),
        )
        .min(1),
    )
    .optional()
    .describe(
      'Comma-separated event kinds to receive: case, figures, patrol, books (default: case, figures, patrol)',
    ),
  lastEventId: ZEventId.optional().describe(
    'For clients that reconnect by hand: the id of the last event received (EventSource sends the Last-Event-ID header instead)',
  ),
});
export type LiveQuery = z.infer<typeof ZLiveQuery>;

export const ZLiveAudience = z
  .enum(['public', 'staff'])
  .describe('public: coarsened and anonymised; staff: the viewer may open the record');

const ZLivePosition = z.object({ lng: ZLng, lat: ZLat });

export const ZLiveCategory = z.object({
  code: z.string(),
  name: ZLocalizedText,
  majorName: ZLocalizedText,
  isSensitive: z
    .boolean()
    .describe('Disputes and personal help: shown to the public only at the grid centre'),
});

/** `event: case` — a case was reported, changed state, or had an event (reminder, escalation …). */
export const ZLiveCaseEvent = z
  .object({
    kind: z.literal('case'),
    entryId: z.number().int().describe('The journal entry (also the SSE id)'),
    at: ZInstant.describe('When it happened'),
    action: z
      .string()
      .describe('The journal action: report, accept, reject, dispatch, start, submit, verify, rate, close …'),
    label: ZLocalizedText.describe('What happened, for a feed line: 新上报 / 已受理 / 已派遣 …'),
    audience: ZLiveAudience,
    caseId: ZId.nullable().describe('The case to open (GET /api/cases/:id); null in the public form'),
    code: z.string().describe('The case number (public, as on receipts)'),
    state: ZCaseState.describe('The state after this event'),
    stateName: ZLocalizedText,
    category: ZLiveCategory,
    source: ZCaseSource,
    streetId: ZId,
    communityId: ZId.nullable(),
    grid: z.object({ id: ZId, name: z.string() }).nullable(),
    position: ZLivePosition.nullable().describe(
      'Where to show it: exact for staff; for the public rounded to ~10 m, and at the grid centre for sensitive categories',
    ),
    isCoarse: z.boolean().describe('True when `position` is the grid (or community) centre, not the place'),
    isOverdue: z.boolean().describe('The current stage is past its deadline'),
    isOnMap: z.boolean().describe('False when the case left the map (rejected, merged): remove its marker'),
    summary: z
      .string()
      .nullable()
      .describe('Staff form only: the start of the description; always null in the public form'),
  })
  .describe('A case event');
export type LiveCaseEvent = z.infer<typeof ZLiveCaseEvent>;

/** `event: figures` — counts under these units changed: refresh counters (throttle on the client). */
export const ZLiveFiguresEvent = z
  .object({
    kind: z.literal('figures'),
    entryId: z.number().int().describe('The last journal entry of the burst that changed the figures'),
    at: ZInstant,
    streetIds: z.array(ZId),
    communityIds: z.array(ZId),
    gridIds: z.array(ZId),
  })
  .describe('Figures changed (one per burst of case events)');
export type LiveFiguresEvent = z.infer<typeof ZLiveFiguresEvent>;

/** `event: patrol` — a grid worker started or ended a round, checked in, or reported a finding. */
export const ZLivePatrolEvent = z
  .object({
    kind: z.literal('patrol'),
    entryId: z.number().int(),
    at: ZInstant,
    action: z.string().describe('The journal action of the patrol entry (start, check-in, finding, end …)'),
    label: ZLocalizedText,
    audience: ZLiveAudience,
    patrolId: ZId.nullable().describe('The patrol to open; null in the public form'),
    state: z.enum(['active', 'ended']).nullable(),
    streetId: ZId,
    communityId: ZId.nullable(),
    grid: z.object({ id: ZId, name: z.string() }).nullable(),
    worker: z
      .object({ id: ZId, name: z.string() })
      .nullable()
      .describe('Staff form only (the worker and their supervisors); null in the public form'),
  })
  .describe('A patrol event (no coordinates: tracks are sensitive location data)');
export type LivePatrolEvent = z.infer<typeof ZLivePatrolEvent>;

/** `event: books` — a village's books were published: a disclosure was sealed (public, asked for by /books). */
export const ZLiveBooksEvent = z
  .object({
    kind: z.literal('books'),
    entryId: z.number().int().describe('The seal’s journal entry'),
    at: ZInstant,
    audience: z.literal('public'),
    bookId: ZId,
    unitId: ZId.describe('The village (or group) the books belong to'),
    streetId: ZId,
    disclosureId: ZId,
    label: z.string().describe('The period disclosed: 2025-03 or 2025-Q1'),
  })
  .describe('Books published: a disclosure sealed (the same for every viewer)');
export type LiveBooksEvent = z.infer<typeof ZLiveBooksEvent>;

/** `event: ready` — the stream is live; sent once after any replay. */
export const ZLiveReady = z.object({
  kind: z.literal('ready'),
  at: ZInstant,
  lastEventId: z
    .number()
    .int()
    .nullable()
    .describe('The journal position the stream continues from (also this message’s SSE id)'),
  replayed: z.number().int().describe('Events replayed before this message'),
  unitId: ZId.nullable(),
  audience: ZLiveAudience.describe('staff when the viewer is signed in with a role, else public'),
  heartbeatSeconds: z.number().int(),
});
export type LiveReady = z.infer<typeof ZLiveReady>;

/** `event: reset` — more was missed than a replay carries: reload the figures and the map. */
export const ZLiveReset = z.object({
  kind: z.literal('reset'),
  at: ZInstant,
  reason: z.enum(['too_far_behind', 'listener_lost']),
});
export type LiveReset = z.infer<typeof ZLiveReset>;

export const ZLiveEvent = z.discriminatedUnion('kind', [
  ZLiveCaseEvent,
  ZLiveFiguresEvent,
  ZLivePatrolEvent,
  ZLiveBooksEvent,
  ZLiveReady,
  ZLiveReset,
]);
export type LiveEvent = z.infer<typeof ZLiveEvent>;

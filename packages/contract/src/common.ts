import { z } from 'zod';

/** A record id (UUID). */
export const ZId = z.uuid().describe('Record id (UUID)');

/** Text shown to people, in both languages the product speaks. */
export const ZLocalizedText = z.object({ zh: z.string(), en: z.string() });
export type LocalizedText = z.infer<typeof ZLocalizedText>;

/** Longitude/latitude in WGS-84 (CGCS2000), degrees. */
export const ZLng = z.number().min(-180).max(180).describe('Longitude, WGS-84 degrees');
export const ZLat = z.number().min(-90).max(90).describe('Latitude, WGS-84 degrees');
export const ZPoint = z.strictObject({ lng: ZLng, lat: ZLat });
export type Point = z.infer<typeof ZPoint>;

/** ISO-8601 instant, always with a zone. */
export const ZInstant = z.iso.datetime({ offset: true }).describe('ISO-8601 date-time');

/** The failure shape of every route. */
export const ZErrorResponse = z
  .object({
    error: z.object({
      code: z.string().describe('Stable machine-readable code, e.g. validation_failed, illegal_transition'),
      message: z
        .string()
        .describe("Message in the caller's language (Chinese unless Accept-Language prefers English)"),
      messages: ZLocalizedText.describe('The message in Chinese and English'),
      details: z.record(z.string(), z.unknown()),
    }),
  })
  .describe('Error');
export type ErrorResponse = z.infer<typeof ZErrorResponse>;

/** Keyset pagination: pass `nextCursor` back as `cursor` to get the following page. */
export const ZCursorQuery = z.object({
  cursor: z.string().max(200).optional().describe('Opaque cursor from the previous page'),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

export function ZPage<T extends z.ZodType>(item: T) {
  return z.object({ items: z.array(item), nextCursor: z.string().nullable() });
}

/**
 * What the caller may do with an object right now, as the server decides it: the web apps show
 * buttons from this list and never re-implement the permission rules.
 */
export const ZAllowedActions = z.array(z.string()).describe('Actions the caller may take on this object now');

export const ZOk = z.object({ ok: z.literal(true) });

export const errorResponses = {
  400: ZErrorResponse,
  401: ZErrorResponse,
  403: ZErrorResponse,
  404: ZErrorResponse,
  409: ZErrorResponse,
  422: ZErrorResponse,
  429: ZErrorResponse,
} as const;

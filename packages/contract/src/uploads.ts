import { z } from 'zod';
import { ZAllowedActions, ZId, ZInstant } from './common.ts';

/**
 * Photo uploads (照片上传): JPEG, PNG or WebP up to 10 MB, one file per request, checked by content,
 * re-encoded without metadata for everyone to see, the original kept for staff as evidence.
 */

/** The workflow stage a photo documents: the report, before and after the work, the on-site check. */
export const ZPhotoStage = z
  .enum(['report', 'before', 'after', 'verify'])
  .describe('上报 / 处置前 / 处置后 / 核查: the stage of the case the photo documents');
export type PhotoStage = z.infer<typeof ZPhotoStage>;

export const ZUploadUrls = z.object({
  public: z.string().describe('The re-encoded copy without metadata (at most 2048 px)'),
  thumb: z.string().describe('A ~320 px JPEG thumbnail without metadata'),
  original: z
    .string()
    .nullable()
    .describe('The untouched original, for staff only (every read is logged, a purpose is required)'),
});

export const ZUpload = z
  .object({
    id: ZId,
    sha256: z.string().describe('SHA-256 of the original bytes (hex)'),
    mime: z.enum(['image/jpeg', 'image/png', 'image/webp']).describe('Detected from the content'),
    bytes: z.number().int().describe('Size of the original'),
    width: z.number().int().describe('Upright width of the original, in pixels'),
    height: z.number().int(),
    hadLocation: z
      .boolean()
      .describe('The original carried GPS coordinates (EXIF or XMP); the public copy never does'),
    deduplicated: z
      .boolean()
      .describe('The caller had already uploaded these exact bytes: the same upload returns'),
    urls: ZUploadUrls,
    createdAt: ZInstant,
    allowedActions: ZAllowedActions.describe('view, attach, view_original'),
  })
  .describe('An uploaded photo');
export type Upload = z.infer<typeof ZUpload>;

/**
 * The multipart form of POST /api/uploads carries exactly one file part named `file` and no other
 * field; this schema is what the server checks the text fields against (none are allowed).
 */
export const ZUploadFormFields = z.strictObject({});

export const ZUploadParams = z.strictObject({ id: ZId });

export const ZUploadCopyParams = z.strictObject({
  id: ZId,
  variant: z.enum(['public', 'thumb']).describe('public: the full re-encoded copy; thumb: the thumbnail'),
});

export const ZUploadOriginalQuery = z.strictObject({
  purpose: z
    .string()
    .trim()
    .min(2)
    .max(200)
    .describe('Why the original is needed, e.g. 核实上报位置 (kept in the access log)'),
});

/** What a case keeps about each attached photo, for its journal entry and its detail page. */
export const ZPhotoDescriptor = z.object({
  id: ZId,
  sha256: z.string(),
  stage: ZPhotoStage,
  urls: z.object({ public: z.string(), thumb: z.string() }),
});
export type PhotoDescriptor = z.infer<typeof ZPhotoDescriptor>;

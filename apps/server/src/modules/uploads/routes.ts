import multipart from '@fastify/multipart';
import {
  errorResponses,
  ZUpload,
  ZUploadCopyParams,
  ZUploadFormFields,
  ZUploadOriginalQuery,
  ZUploadParams,
} from '@minqing/contract';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { errors } from '../../errors.ts';
import { FileBlobStore } from './blob-store.ts';
import { createUpload } from './create-upload.ts';
import { MAX_UPLOAD_BYTES } from './image-processing.ts';
import { openUploadCopy, openUploadOriginal, type OpenedBlob } from './open-upload.ts';
import { authorizeUpload } from './policy.ts';
import { presentUpload } from './present.ts';

/**
 * Uploads per minute, counted by the shared rate-limit plugin (plugins/rate-limit.ts; in Redis when
 * REDIS_URL is set): a resident sends a handful of photos per report; the public, per address, fewer.
 */
const SIGNED_IN_PER_MINUTE = 60;
const PUBLIC_PER_MINUTE = 12;

const tooBig = () =>
  errors.tooLarge({
    zh: `照片不能超过 ${MAX_UPLOAD_BYTES / 1024 / 1024} MB`,
    en: `A photo can be at most ${MAX_UPLOAD_BYTES / 1024 / 1024} MB`,
  });

/** The one file part named `file`; any other part is refused (ZUploadFormFields allows no text field). */
async function readSingleFile(request: FastifyRequest): Promise<Buffer> {
  const fields: Record<string, string> = {};
  let file: Buffer | undefined;
  for await (const part of request.parts()) {
    if (part.type === 'file') {
      if (part.fieldname !== 'file' || file) {
        throw errors.badRequest({
          zh: '每次只能上传一张照片，字段名为 file',
          en: 'Upload exactly one photo per request, in the field named "file"',
        });
      }
      try {
        file = await part.toBuffer();
      } catch (error) {
        if ((error as { code?: string }).code === 'FST_REQ_FILE_TOO_LARGE') throw tooBig();
        throw error;
      }
    } else {
      fields[part.fieldname] = typeof part.value === 'string' ? part.value : '';
    }
  }
  ZUploadFormFields.parse(fields);
  if (!file || file.length === 0) {
    throw errors.badRequest({
      zh: '没有收到照片（字段名应为 file）',
      en: 'No photo received (the field is "file")',
    });
  }
  return file;
}

function sendBlob(request: FastifyRequest, reply: FastifyReply, blob: OpenedBlob, cacheControl: string) {
  void reply
    .header('content-type', blob.mime)
    .header('cache-control', cacheControl)
    .header('etag', blob.etag)
    .header('content-disposition', 'inline')
    .header('x-content-type-options', 'nosniff');
  if (request.headers['if-none-match'] === blob.etag) {
    blob.stream.destroy();
    return reply.status(304).send();
  }
  return reply.header('content-length', blob.size).send(blob.stream);
}

export const uploadsRoutes: FastifyPluginAsyncZod = async (app) => {
  const blobs = new FileBlobStore(app.config.uploadsDir);

  // Scoped to this plugin: no other route parses multipart bodies. The body limit of 1 MB does not
  // apply to multipart; the per-file limit below does.
  await app.register(multipart, {
    limits: { fileSize: MAX_UPLOAD_BYTES, files: 2, fields: 10, parts: 12, headerPairs: 200 },
  });

  app.post(
    '/api/uploads',
    {
      config: {
        rateLimit: {
          timeWindow: 60_000,
          max: (request: FastifyRequest) => (request.actor ? SIGNED_IN_PER_MINUTE : PUBLIC_PER_MINUTE),
          keyGenerator: (request: FastifyRequest) =>
            request.actor ? `user:${request.actor.userId}` : `ip:${request.ip}`,
        },
      },
      schema: {
        tags: ['uploads'],
        summary: 'Upload one photo (JPEG, PNG or WebP, at most 10 MB), checked by its content',
        description:
          'multipart/form-data with one file part named "file" and nothing else. Signed-in people may upload; ' +
          'the public only when public reports are allowed (rate-limited). 201 for a new upload; 200 with ' +
          'deduplicated=true when the caller already sent these exact bytes. 415 for anything but JPEG, PNG ' +
          'or WebP (by content, not name), 400 for a damaged image, 413 for more than 10 MB or 64 megapixels.',
        consumes: ['multipart/form-data'],
        response: {
          200: ZUpload,
          201: ZUpload,
          400: errorResponses[400],
          401: errorResponses[401],
          413: errorResponses[400],
          415: errorResponses[400],
          429: errorResponses[429],
        },
      },
    },
    async (request, reply) => {
      authorizeUpload(request.actor, app.config.publicReports);
      if (!request.isMultipart()) {
        throw errors.unsupportedMedia({
          zh: '请以 multipart/form-data 方式上传照片（字段名 file）',
          en: 'Send the photo as multipart/form-data (field "file")',
        });
      }
      const bytes = await readSingleFile(request);
      const { upload, created } = await createUpload(app.db, blobs, request.actor, bytes);
      return reply.status(created ? 201 : 200).send(presentUpload(upload, request.actor, !created));
    },
  );

  app.get(
    '/api/uploads/:id/original',
    {
      schema: {
        tags: ['uploads'],
        summary:
          'The untouched original with its metadata (staff who may see the photo; every read is logged)',
        params: ZUploadParams,
        querystring: ZUploadOriginalQuery,
        response: {
          400: errorResponses[400],
          401: errorResponses[401],
          403: errorResponses[403],
          404: errorResponses[404],
        },
      },
    },
    async (request, reply) => {
      const blob = await openUploadOriginal(app, blobs, request.actor, request.params.id, {
        purpose: request.query.purpose,
        ip: request.ip,
      });
      // Personal data (a location) may be inside: no cache may keep it, every read goes through the log.
      return sendBlob(request, reply, blob, 'private, no-store');
    },
  );

  app.get(
    '/api/uploads/:id/:variant',
    {
      schema: {
        tags: ['uploads'],
        summary: 'The public copy or thumbnail of a photo, without metadata',
        description: 'For the uploader and whoever may see a case the photo is attached to.',
        params: ZUploadCopyParams,
        response: { 400: errorResponses[400], 403: errorResponses[403], 404: errorResponses[404] },
      },
    },
    async (request, reply) => {
      const blob = await openUploadCopy(app, blobs, request.actor, request.params.id, request.params.variant);
      // Content-addressed: the bytes behind this URL never change. Private: access depends on the viewer.
      return sendBlob(request, reply, blob, 'private, max-age=31536000, immutable');
    },
  );
};

import { errorResponses, ZAttachment, ZAttachmentFileParams, ZBookParams } from '@minqing/contract';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { App } from '../../app.ts';
import { errors } from '../../errors.ts';
import { requireActor } from '../../plugins/auth.ts';
import { FileBlobStore } from '../uploads/blob-store.ts';
import { loadKeptBook } from './load-book.ts';
import { attachmentTooBig, MAX_ATTACHMENT_BYTES, openAttachment, uploadAttachment } from './attachments.ts';

const TAGS = ['finance'];

/** The one file part named `file` (with the name the sender gave it); anything else is refused. */
async function readAttachmentPart(request: FastifyRequest): Promise<{ bytes: Buffer; name: string }> {
  let file: { bytes: Buffer; name: string } | undefined;
  for await (const part of request.parts({ limits: { fileSize: MAX_ATTACHMENT_BYTES, files: 2 } })) {
    if (part.type !== 'file' || part.fieldname !== 'file' || file) {
      if (part.type === 'file') await part.toBuffer().catch(() => undefined);
      throw errors.badRequest({
        zh: '每次只能上传一个附件，字段名为 file',
        en: 'Upload exactly one attachment per request, in the field named "file"',
      });
    }
    try {
      file = { bytes: await part.toBuffer(), name: part.filename };
    } catch (error) {
      if ((error as { code?: string }).code === 'FST_REQ_FILE_TOO_LARGE') throw attachmentTooBig();
      throw error;
    }
  }
  if (!file || file.bytes.length === 0) {
    throw errors.badRequest({
      zh: '没有收到附件（字段名应为 file）',
      en: 'No attachment received (the field is "file")',
    });
  }
  return file;
}

/**
 * Voucher attachments (附件): upload a receipt photo or a contract PDF for a book, and read it back.
 * Registered inside the finance routes plugin, which already parses multipart bodies.
 */
export function registerAttachmentRoutes(fastify: FastifyInstance): void {
  const app = fastify as unknown as App;
  const route = fastify.withTypeProvider<ZodTypeProvider>();
  const blobs = new FileBlobStore(app.config.uploadsDir);

  route.post(
    '/api/finance/books/:bookId/attachments',
    {
      config: {
        rateLimit: {
          timeWindow: 60_000,
          max: 60,
          keyGenerator: (request: FastifyRequest) =>
            request.actor ? `user:${request.actor.userId}` : `ip:${request.ip}`,
        },
      },
      schema: {
        tags: TAGS,
        summary:
          '上传附件 A receipt photo (JPEG/PNG/WebP) or a contract PDF for this book’s vouchers (bookkeeper)',
        description:
          'multipart/form-data with one file part named "file", at most 10 MB. The type is judged by the bytes: ' +
          'a photo is re-encoded without metadata (its public copy), a PDF is kept as sent if it carries no ' +
          'scripts. Link it to a draft voucher through the voucher’s attachments list. 415 for another type, ' +
          '400 for a damaged file, 413 for more than 10 MB or 64 megapixels.',
        consumes: ['multipart/form-data'],
        params: ZBookParams,
        response: {
          201: ZAttachment,
          ...errorResponses,
          413: errorResponses[400],
          415: errorResponses[400],
        },
      },
    },
    async (request, reply) => {
      const actor = requireActor(request);
      if (!request.isMultipart()) {
        throw errors.unsupportedMedia({
          zh: '请以 multipart/form-data 方式上传附件（字段名 file）',
          en: 'Send the attachment as multipart/form-data (field "file")',
        });
      }
      // who may upload is settled before the body is read
      await loadKeptBook(app.db, actor, request.params.bookId);
      const file = await readAttachmentPart(request);
      const attachment = await uploadAttachment(app, blobs, actor, request.params.bookId, file);
      return reply.status(201).send(attachment);
    },
  );

  route.get(
    '/api/finance/attachments/:id/:variant',
    {
      schema: {
        tags: TAGS,
        summary:
          '附件 A voucher attachment: the photo without metadata, its thumbnail, or the PDF (finance people; the public when disclosed)',
        description:
          'The book’s bookkeeper, committee and 民主理财小组 see every attachment; anyone else only one marked ' +
          'public on a posted voucher of a sealed month (404 otherwise).',
        params: ZAttachmentFileParams,
        response: { 400: errorResponses[400], 404: errorResponses[404] },
      },
    },
    async (request, typedReply) => {
      const reply = typedReply as FastifyReply;
      const blob = await openAttachment(app, blobs, request.actor, request.params.id, request.params.variant);
      void reply
        .header('content-type', blob.mime)
        .header('cache-control', `${blob.isPublic ? 'public' : 'private'}, max-age=31536000, immutable`)
        .header('etag', blob.etag)
        .header('content-disposition', 'inline')
        .header('x-content-type-options', 'nosniff')
        // A PDF opens in the browser's viewer; nothing in it may run against this origin.
        .header('content-security-policy', "sandbox; default-src 'none'; img-src 'self'");
      if (request.headers['if-none-match'] === blob.etag) {
        blob.stream.destroy();
        return reply.status(304).send();
      }
      return reply.header('content-length', blob.size).send(blob.stream);
    },
  );
}

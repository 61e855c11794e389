import type { Attachment } from '@minqing/contract';
import type { Readable } from 'node:stream';
import type { App } from '../../app.ts';
import { sha256Hex } from '../../crypto/index.ts';
import { errors } from '../../errors.ts';
import type { Actor } from '../../policy/index.ts';
import { blobKey, type BlobStore } from '../uploads/blob-store.ts';
import { createUpload } from '../uploads/create-upload.ts';
import { MAX_UPLOAD_BYTES, sniffFormat } from '../uploads/image-processing.ts';
import { findUpload } from '../uploads/repository.ts';
import { loadKeptBook } from './load-book.ts';
import { canReadBook } from './policy.ts';
import { presentAttachment } from './present.ts';
import { findAttachment, findBook, insertAttachment, isAttachmentPublic } from './repository.ts';

/**
 * Voucher attachments (附件, docs/decisions/0703): receipt photos go through the uploads module (checked
 * by content, re-encoded without metadata, content-addressed); contracts as PDF are checked by content
 * and kept as sent under a `document/` content address. The digest a voucher stores — and the seal
 * covers — is the SHA-256 of the bytes the public is served: the photo's public copy, the PDF itself.
 * An attachment belongs to one book; a draft voucher of that book links it (voucher-content.ts), and
 * the public sees it only when it is marked public on a posted voucher of a sealed month.
 */

export const MAX_ATTACHMENT_BYTES = MAX_UPLOAD_BYTES;

const ATTACHMENT = { zh: '附件', en: 'Attachment' };

const unsupported = () =>
  errors.unsupportedMedia({
    zh: '附件只能是 JPEG、PNG、WebP 照片或 PDF 文件（按文件内容判断，而不是文件名）',
    en: 'An attachment is a JPEG, PNG or WebP photo or a PDF (judged by the content, not the file name)',
  });

export const attachmentTooBig = () =>
  errors.tooLarge({
    zh: `附件不能超过 ${MAX_ATTACHMENT_BYTES / 1024 / 1024} MB`,
    en: `An attachment can be at most ${MAX_ATTACHMENT_BYTES / 1024 / 1024} MB`,
  });

/** Is this a PDF: the `%PDF-` signature at the start. */
export function isPdf(bytes: Buffer): boolean {
  return bytes.length >= 8 && bytes.subarray(0, 5).toString('latin1') === '%PDF-';
}

/**
 * Refuses a PDF that is cut off (no `%%EOF` near its end) or that carries active content (scripts,
 * launch actions, embedded files): a contract scan has none, and the public may open it.
 */
export function checkPdf(bytes: Buffer): void {
  const tail = bytes.subarray(Math.max(0, bytes.length - 2048)).toString('latin1');
  if (!tail.includes('%%EOF')) {
    throw errors.badRequest({
      zh: 'PDF 文件不完整或已损坏，请重新导出或扫描',
      en: 'The PDF is incomplete or damaged; export or scan it again',
    });
  }
  if (/\/(JavaScript|JS|Launch|EmbeddedFiles?|RichMedia|XFA)\b/.test(bytes.toString('latin1'))) {
    throw errors.unsupportedMedia({
      zh: 'PDF 含有脚本、启动命令或嵌入文件，不能作为附件；请打印为普通 PDF 或拍照上传',
      en: 'The PDF carries scripts, launch actions or embedded files; print it to a plain PDF or attach a photo',
    });
  }
}

/** A file name fit to show staff: no folders, no control characters, at most 80 characters. */
export function cleanFileName(name: string | undefined, kind: 'image' | 'pdf'): string {
  const base = (name ?? '')
    .split(/[\\/]/)
    .pop()!
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u001f\u007f]/g, '')
    .trim()
    .slice(0, 80);
  return base || (kind === 'image' ? '票据照片' : '合同.pdf');
}

/** The sha256 in a content address (`public/ab/cd/<sha256>`). */
function keyHash(key: string): string {
  return key.slice(key.lastIndexOf('/') + 1);
}

/** Stores an attachment for a book (bookkeeper). 415 / 400 / 413 as the uploads module answers. */
export async function uploadAttachment(
  app: App,
  blobs: BlobStore,
  actor: Actor,
  bookId: string,
  file: { bytes: Buffer; name: string | undefined },
): Promise<Attachment> {
  const book = await loadKeptBook(app.db, actor, bookId);
  const id = crypto.randomUUID();
  const created_at = new Date();
  if (sniffFormat(file.bytes)) {
    const { upload } = await createUpload(app.db, blobs, actor, file.bytes);
    const copy = await blobs.open(upload.public_key);
    copy?.stream.destroy();
    await insertAttachment(app.db, {
      id,
      book_id: book.id,
      street_id: book.street_id,
      kind: 'image',
      upload_id: upload.id,
      blob_key: null,
      sha256: keyHash(upload.public_key),
      mime: upload.mime,
      bytes: copy?.size ?? upload.bytes,
      name: cleanFileName(file.name, 'image'),
      uploaded_by: actor.userId,
      created_at,
    });
  } else if (isPdf(file.bytes)) {
    checkPdf(file.bytes);
    const sha256 = sha256Hex(file.bytes);
    const key = blobKey('document', sha256);
    // Blob first, row second: a row never points at a missing blob.
    await blobs.put(key, file.bytes);
    await insertAttachment(app.db, {
      id,
      book_id: book.id,
      street_id: book.street_id,
      kind: 'pdf',
      upload_id: null,
      blob_key: key,
      sha256,
      mime: 'application/pdf',
      bytes: file.bytes.length,
      name: cleanFileName(file.name, 'pdf'),
      uploaded_by: actor.userId,
      created_at,
    });
  } else {
    throw unsupported();
  }
  return presentAttachment((await findAttachment(app.db, id))!);
}

export interface OpenedAttachment {
  stream: Readable;
  size: number;
  mime: string;
  etag: string;
  /** Shown to the public (on a posted voucher of a sealed month, marked public). */
  isPublic: boolean;
}

/**
 * The served bytes of an attachment: a photo's public copy (no metadata) or its thumbnail, or the PDF.
 * The book's finance people see every attachment of the book; everyone else only the public ones
 * (404 otherwise, without saying whether it exists).
 */
export async function openAttachment(
  app: App,
  blobs: BlobStore,
  actor: Actor | null,
  id: string,
  variant: 'file' | 'thumb',
): Promise<OpenedAttachment> {
  const row = await findAttachment(app.db, id);
  if (!row) throw errors.notFound(ATTACHMENT);
  const book = await findBook(app.db, row.book_id);
  const isPublic = await isAttachmentPublic(app.db, id);
  if (!isPublic && !(book && canReadBook(actor, book))) throw errors.notFound(ATTACHMENT);
  let key: string;
  let mime: string;
  if (row.kind === 'pdf') {
    if (variant === 'thumb') {
      throw errors.notFound({ zh: 'PDF 附件的缩略图', en: 'A thumbnail of a PDF attachment' });
    }
    key = row.blob_key!;
    mime = 'application/pdf';
  } else {
    const upload = (await findUpload(app.db, row.upload_id!))!;
    key = variant === 'file' ? upload.public_key : upload.thumb_key;
    mime = variant === 'file' ? upload.mime : 'image/jpeg';
  }
  const blob = await blobs.open(key);
  if (!blob) {
    app.log.error({ key, attachment: id }, 'finance attachment blob missing from the store');
    throw errors.notFound(ATTACHMENT);
  }
  return { ...blob, mime, etag: `"${keyHash(key)}"`, isPublic };
}

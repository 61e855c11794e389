import type { Attachment, PublicVoucher, Voucher } from '@minqing/contract';
import { verifyDisclosure } from '@minqing/contract/finance-verify';
import { createHash } from 'node:crypto';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../app.ts';
import { buildTestApp, Client } from '../../../test/harness.ts';
import { multipart } from '../../../test/multipart.ts';
import {
  buildVillageBooks,
  closeAndSeal,
  draftToReviewed,
  rentVoucher,
  type VillageBooks,
} from './finance-test-helpers.ts';

let app: App;
beforeAll(async () => {
  app = await buildTestApp();
});
afterAll(async () => {
  await app.close();
});

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

/** A receipt photo as a phone writes it: with the camera make and GPS coordinates in its EXIF. */
async function receiptPhoto(): Promise<Buffer> {
  const [r = 0, g = 0, b = 0] = crypto.getRandomValues(new Uint8Array(3));
  return sharp({ create: { width: 400, height: 300, channels: 3, background: { r, g, b } } })
    .jpeg()
    .withExifMerge({
      IFD0: { Make: 'MinqingPhone' },
      IFD3: {
        GPSLatitudeRef: 'N',
        GPSLatitude: '30/1 15/1 0/1',
        GPSLongitudeRef: 'E',
        GPSLongitude: '120/1 9/1 0/1',
      },
    })
    .toBuffer();
}

function contractPdf(extra = ''): Buffer {
  return Buffer.from(
    `%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R${extra}>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n` +
      `trailer<</Root 1 0 R>>\n%%EOF\n`,
    'latin1',
  );
}

function upload(client: Client, bookId: string, data: Buffer, filename: string, contentType: string) {
  const { body, headers } = multipart([{ name: 'file', data, filename, contentType }]);
  return client.post<Attachment>(`/api/finance/books/${bookId}/attachments`, body, headers);
}

/** The bytes behind a URL, as a browser receives them (the Client decodes bodies as text). */
async function fetchBytes(url: string, cookie?: string) {
  const response = await app.inject({ method: 'GET', url, headers: cookie ? { cookie } : {} });
  return { status: response.statusCode, bytes: response.rawPayload, headers: response.headers };
}

async function booksWithAttachments() {
  const books = await buildVillageBooks(app);
  const photo = await upload(
    books.bookkeeper.client,
    books.bookId,
    await receiptPhoto(),
    '张三 收据.jpg',
    'image/jpeg',
  );
  expect(photo.status, JSON.stringify(photo.body)).toBe(201);
  const pdf = await upload(
    books.bookkeeper.client,
    books.bookId,
    contractPdf(),
    '鱼塘承包合同.pdf',
    'application/pdf',
  );
  expect(pdf.status, JSON.stringify(pdf.body)).toBe(201);
  return { books, photo: photo.body, pdf: pdf.body };
}

async function draftWith(books: VillageBooks, attachments: object[]) {
  const reply = await books.bookkeeper.client.post<Voucher>(`/api/finance/books/${books.bookId}/vouchers`, {
    ...rentVoucher('2025-01-10', 8_000_00),
    attachments,
  });
  expect(reply.status, JSON.stringify(reply.body)).toBe(201);
  return reply.body;
}

describe('voucher attachments', () => {
  it('stores a receipt photo without its metadata and a PDF as sent, each with the hash of what is served', async () => {
    const { books, photo, pdf } = await booksWithAttachments();
    expect(photo).toMatchObject({ kind: 'image', mime: 'image/jpeg', name: '张三 收据.jpg' });
    expect(photo.urls.thumb).not.toBeNull();
    const served = await fetchBytes(photo.urls.file, books.bookkeeper.client.cookie);
    expect(served.status).toBe(200);
    expect(sha256(served.bytes)).toBe(photo.sha256);
    const meta = await sharp(served.bytes).metadata();
    expect(meta.exif).toBeUndefined();
    const thumb = await fetchBytes(photo.urls.thumb!, books.reviewer.client.cookie);
    expect(thumb.status).toBe(200);
    expect(thumb.headers['content-type']).toBe('image/jpeg');

    expect(pdf).toMatchObject({ kind: 'pdf', mime: 'application/pdf', sha256: sha256(contractPdf()) });
    expect(pdf.urls.thumb).toBeNull();
    const pdfServed = await fetchBytes(pdf.urls.file, books.approver.client.cookie);
    expect(pdfServed.status).toBe(200);
    expect(pdfServed.headers['content-type']).toBe('application/pdf');
    expect(String(pdfServed.headers['content-security-policy'])).toContain('sandbox');
    expect(pdfServed.bytes.equals(contractPdf())).toBe(true);

    // Before anything is disclosed, nobody outside the books sees them (404, not 403).
    expect((await fetchBytes(photo.urls.file)).status).toBe(404);
    expect((await fetchBytes(pdf.urls.file, books.c.people.resident.client.cookie)).status).toBe(404);
  });

  it('refuses what is not a photo or a clean PDF, and uploads by anyone but the bookkeeper', async () => {
    const books = await buildVillageBooks(app);
    const { bookkeeper, reviewer, bookId } = books;
    const text = await upload(
      bookkeeper.client,
      bookId,
      Buffer.from('<script>alert(1)</script>'),
      'x.jpg',
      'image/jpeg',
    );
    expect(text.status).toBe(415);
    expect(JSON.stringify(text.body)).toContain('PDF');
    const cut = contractPdf().subarray(0, 40);
    const truncated = await upload(bookkeeper.client, bookId, cut, 'a.pdf', 'application/pdf');
    expect(truncated.status).toBe(400);
    const scripted = await upload(
      bookkeeper.client,
      bookId,
      contractPdf('/OpenAction<</S/JavaScript/JS(app.alert(1))>>'),
      'a.pdf',
      'application/pdf',
    );
    expect(scripted.status).toBe(415);
    expect((scripted.body as unknown as { error: { messages: { zh: string } } }).error.messages.zh).toContain(
      '脚本',
    );
    const huge = Buffer.concat([contractPdf(), Buffer.alloc(10 * 1024 * 1024 + 10, 0x20)]);
    const tooBig = await upload(bookkeeper.client, bookId, huge, 'big.pdf', 'application/pdf');
    expect(tooBig.status).toBe(413);
    const twoFiles = multipart([
      { name: 'file', data: contractPdf(), filename: 'a.pdf', contentType: 'application/pdf' },
      { name: 'file', data: contractPdf(), filename: 'b.pdf', contentType: 'application/pdf' },
    ]);
    expect(
      (
        await bookkeeper.client.post(
          `/api/finance/books/${bookId}/attachments`,
          twoFiles.body,
          twoFiles.headers,
        )
      ).status,
    ).toBe(400);
    const byReviewer = await upload(reviewer.client, bookId, contractPdf(), 'a.pdf', 'application/pdf');
    expect(byReviewer.status).toBe(403);
    const anonymous = await upload(new Client(app), bookId, contractPdf(), 'a.pdf', 'application/pdf');
    expect(anonymous.status).toBe(401);
  });

  it('links to drafts only; the public sees the photo marked public, hashed into the seal, and the browser check covers it', async () => {
    const { books, photo, pdf } = await booksWithAttachments();
    const other = await booksWithAttachments();
    // An attachment of another book is refused, naming the list entry.
    const foreign = await books.bookkeeper.client.post(`/api/finance/books/${books.bookId}/vouchers`, {
      ...rentVoucher('2025-01-10', 1_00),
      attachments: [{ attachmentId: other.photo.id }],
    });
    expect(foreign.status).toBe(422);
    expect(JSON.stringify(foreign.body)).toContain('attachments.0.attachmentId');

    // A photo defaults to public, a PDF to not public.
    const draft = await draftWith(books, [{ attachmentId: photo.id }, { attachmentId: pdf.id }]);
    expect(draft.attachments.map((a) => [a.kind, a.isPublic])).toEqual([
      ['image', true],
      ['pdf', false],
    ]);
    // Removing one while it is a draft works.
    const edited = await books.bookkeeper.client.put<Voucher>(`/api/finance/vouchers/${draft.id}`, {
      ...rentVoucher('2025-01-10', 8_000_00),
      attachments: [{ attachmentId: photo.id }, { attachmentId: pdf.id, isPublic: false }],
      expectedVersion: draft.version,
    });
    expect(edited.status, JSON.stringify(edited.body)).toBe(200);
    await books.bookkeeper.client.post(`/api/finance/vouchers/${draft.id}/submit`, {});
    // Submitted: no more attaching or removing.
    const whileSubmitted = await books.bookkeeper.client.put(`/api/finance/vouchers/${draft.id}`, {
      ...rentVoucher('2025-01-10', 8_000_00),
      attachments: [],
    });
    expect(whileSubmitted.status).toBe(409);
    await books.approver.client.post(`/api/finance/vouchers/${draft.id}/approve`, {});
    await books.reviewer.client.post(`/api/finance/vouchers/${draft.id}/review`, {});
    const posted = await books.bookkeeper.client.post<Voucher>(`/api/finance/vouchers/${draft.id}/post`, {});
    expect(posted.status).toBe(200);
    const afterPosting = await books.bookkeeper.client.put(`/api/finance/vouchers/${draft.id}`, {
      ...rentVoucher('2025-01-10', 8_000_00),
      attachments: [],
    });
    expect(afterPosting.status).toBe(409);
    expect(afterPosting.body.error.code).toBe('voucher_posted');
    expect(afterPosting.body.error.messages.zh).toContain('已入账');

    // Posted but the month not sealed: still not public.
    expect((await fetchBytes(photo.urls.file)).status).toBe(404);
    const sealed = await closeAndSeal(books, '2025-01');

    const villager = new Client(app);
    const shown = await villager.get<PublicVoucher>(`/api/public/vouchers/${draft.id}`);
    expect(shown.status).toBe(200);
    expect(shown.body.attachments).toEqual([
      { id: photo.id, kind: 'image', sha256: photo.sha256, urls: photo.urls },
    ]);
    // Nothing personal about the file: no name, no uploader.
    expect(JSON.stringify(shown.body)).not.toContain('收据');
    expect(JSON.stringify(shown.body)).not.toContain('王会计');
    const file = await fetchBytes(photo.urls.file);
    expect(file.status).toBe(200);
    expect(file.headers['cache-control']).toContain('public');
    expect(sha256(file.bytes)).toBe(photo.sha256);
    expect((await fetchBytes(photo.urls.thumb!)).status).toBe(200);
    expect((await fetchBytes(pdf.urls.file)).status).toBe(404);

    // The browser's check hashes every attachment shown; a swapped file is named.
    const disclosure = (await villager.get(`/api/public/disclosures/${sealed.id}`)).body;
    const vouchers = (await villager.get(`/api/public/disclosures/${sealed.id}/vouchers`)).body.items;
    const journal = (await villager.get(disclosure.journal.url)).body;
    const keys = (await villager.get('/.well-known/minqing/journal-keys.json')).body.keys;
    const fetchAttachment = async (url: string) => {
      const { bytes } = await fetchBytes(url);
      return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
    };
    const { sealOnce } = await import('../journal/sealer.ts');
    await sealOnce(app);
    const journalSealed = (await villager.get(disclosure.journal.url)).body;
    const good = await verifyDisclosure({
      disclosure,
      journal: journalSealed,
      keys,
      vouchers,
      fetchAttachment,
    });
    expect(good.problems).toEqual([]);
    expect(good.isValid).toBe(true);
    expect(good.steps.find((step) => step.key === 'attachments')?.ok).toBe(true);
    const swapped = await verifyDisclosure({
      disclosure,
      journal,
      keys,
      vouchers,
      fetchAttachment: async () => new TextEncoder().encode('another receipt').buffer,
    });
    expect(swapped.isValid).toBe(false);
    expect(swapped.problems.map((problem) => problem.code)).toContain('attachment_altered');
  });

  it('does not show an unposted voucher’s attachment even when marked public', async () => {
    const { books, photo } = await booksWithAttachments();
    await draftToReviewed(books, {
      ...rentVoucher('2025-01-12', 1_00),
      attachments: [{ attachmentId: photo.id, isPublic: true }],
    });
    expect((await fetchBytes(photo.urls.thumb!)).status).toBe(404);
  });
});

import exifReader from 'exif-reader';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../app.ts';
import { inTransaction } from '../../db/transaction.ts';
import { buildCommunity, type TestCommunity } from '../../../test/factories.ts';
import { buildTestApp, type Client } from '../../../test/harness.ts';
import { attachPhotos } from './attach-photos.ts';
import { multipart } from '../../../test/multipart.ts';

function upload(client: Client, data: Buffer | string, filename = 'photo.jpg', contentType = 'image/jpeg') {
  const { body, headers } = multipart([{ name: 'file', data, filename, contentType }]);
  return client.post('/api/uploads', body, headers);
}

/** A photo-like image: a gradient with a pattern, so every call gives distinct bytes. */
async function photo(format: 'jpeg' | 'png' | 'webp', width = 640, height = 480) {
  const seed = crypto.getRandomValues(new Uint8Array(3));
  const raw = Buffer.alloc(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 3;
      raw[i] = (x + seed[0]!) % 256;
      raw[i + 1] = (y + seed[1]!) % 256;
      raw[i + 2] = ((x ^ y) + seed[2]!) % 256;
    }
  }
  return sharp(raw, { raw: { width, height, channels: 3 } })
    .toFormat(format)
    .toBuffer();
}

/** A JPEG as a phone writes it: taken sideways (orientation 6), with GPS coordinates and the camera make. */
async function phoneJpegWithGps() {
  return sharp(await photo('jpeg', 640, 480))
    .withMetadata({ orientation: 6 })
    .withExifMerge({
      IFD0: { Make: 'MinqingPhone', Model: 'Test 1' },
      IFD3: {
        GPSLatitudeRef: 'N',
        GPSLatitude: '22/1 33/1 1234/100',
        GPSLongitudeRef: 'E',
        GPSLongitude: '114/1 5/1 5678/100',
      },
    })
    .jpeg()
    .toBuffer();
}

async function fetchBinary(app: App, url: string, cookie?: string, headers: Record<string, string> = {}) {
  const response = await app.inject({
    method: 'GET',
    url,
    headers: { ...(cookie ? { cookie } : {}), ...headers },
  });
  return {
    status: response.statusCode,
    headers: response.headers,
    bytes: response.rawPayload,
    json: () => response.json(),
  };
}

describe('photo uploads', () => {
  let app: App;
  let c: TestCommunity;
  beforeAll(async () => {
    app = await buildTestApp({ publicReports: true });
    c = await buildCommunity(app);
  });
  afterAll(() => app.close());

  it.each([
    ['jpeg', 'image/jpeg'],
    ['png', 'image/png'],
    ['webp', 'image/webp'],
  ] as const)(
    'accepts a %s photo, decided by its content, with a public copy and a thumbnail',
    async (format, mime) => {
      const bytes = await photo(format, 800, 600);
      // the name and declared type lie; the content decides
      const reply = await upload(c.people.resident.client, bytes, 'IMG_0001.bin', 'application/octet-stream');
      expect(reply.status).toBe(201);
      expect(reply.body).toMatchObject({
        mime,
        bytes: bytes.length,
        width: 800,
        height: 600,
        hadLocation: false,
        deduplicated: false,
        urls: {
          public: `/api/uploads/${reply.body.id}/public`,
          thumb: `/api/uploads/${reply.body.id}/thumb`,
          original: null,
        },
        allowedActions: ['view', 'attach'],
      });
      const cookie = c.people.resident.client.cookie;
      const copy = await fetchBinary(app, reply.body.urls.public, cookie);
      expect(copy.status).toBe(200);
      expect(copy.headers['content-type']).toBe(mime);
      expect(copy.headers['cache-control']).toBe('private, max-age=31536000, immutable');
      expect(copy.headers.etag).toMatch(/^"[0-9a-f]{64}"$/);
      const copyMeta = await sharp(copy.bytes).metadata();
      expect(copyMeta).toMatchObject({ format, width: 800, height: 600 });
      const thumb = await fetchBinary(app, reply.body.urls.thumb, cookie);
      expect(thumb.status).toBe(200);
      expect(thumb.headers['content-type']).toBe('image/jpeg');
      const thumbMeta = await sharp(thumb.bytes).metadata();
      expect(thumbMeta).toMatchObject({ format: 'jpeg', width: 320, height: 240 });
      // the copy is content-addressed: a cache holding its ETag gets 304
      const again = await fetchBinary(app, reply.body.urls.public, cookie, {
        'if-none-match': copy.headers.etag as string,
      });
      expect(again.status).toBe(304);
    },
  );

  it('strips EXIF and GPS from the public copy, turns it upright, and keeps the original for staff', async () => {
    const original = await phoneJpegWithGps();
    expect(exifReader((await sharp(original).metadata()).exif!).GPSInfo?.GPSLatitude).toEqual([
      22, 33, 12.34,
    ]);
    const reply = await upload(c.people.resident.client, original);
    expect(reply.status).toBe(201);
    // orientation 6: the camera held the phone upright, so the picture is 480 wide and 640 high
    expect(reply.body).toMatchObject({ hadLocation: true, width: 480, height: 640 });

    const cookie = c.people.resident.client.cookie;
    for (const variant of ['public', 'thumb']) {
      const copy = await fetchBinary(app, `/api/uploads/${reply.body.id}/${variant}`, cookie);
      expect(copy.status).toBe(200);
      const meta = await sharp(copy.bytes).metadata();
      expect(meta.exif).toBeUndefined();
      expect(meta.xmp).toBeUndefined();
      expect(meta.orientation).toBeUndefined();
      expect(copy.bytes.includes(Buffer.from('MinqingPhone'))).toBe(false);
      expect(meta.width < meta.height).toBe(true);
    }
    const row = await app.db
      .selectFrom('uploads')
      .selectAll()
      .where('id', '=', reply.body.id)
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({ had_location: true, uploaded_by: c.people.resident.id, mime: 'image/jpeg' });
  });

  it('refuses a text file renamed .jpg, a damaged image, a fake header and an image bomb', async () => {
    const text = await upload(
      c.people.resident.client,
      'just some text pretending to be a photo\n',
      'photo.jpg',
    );
    expect(text.status).toBe(415);
    expect(text.body.error.code).toBe('unsupported_media_type');
    expect(text.body.error.messages.zh).toMatch(/JPEG、PNG 或 WebP/);
    expect(text.body.error.messages.en).toMatch(/JPEG, PNG or WebP/);

    const svg = await upload(
      c.people.resident.client,
      '<svg xmlns="http://www.w3.org/2000/svg"/>',
      'x.png',
      'image/png',
    );
    expect(svg.status).toBe(415);

    const jpeg = await photo('jpeg');
    const truncated = await upload(c.people.resident.client, jpeg.subarray(0, Math.floor(jpeg.length / 2)));
    expect(truncated.status).toBe(400);
    expect(truncated.body.error.messages).toEqual({
      zh: '图片已损坏或不完整，请重新拍摄或选择照片',
      en: 'The image is damaged or incomplete; take or choose the photo again',
    });

    // a PNG signature in front of JPEG bytes
    const png = await photo('png');
    const mismatched = Buffer.concat([png.subarray(0, 8), jpeg.subarray(8)]);
    expect([400, 415]).toContain((await upload(c.people.resident.client, mismatched)).status);

    // 8,200 × 8,200 white pixels compress to a small file but decode to 200 MB (67 megapixels)
    const bomb = await sharp({
      create: { width: 8_200, height: 8_200, channels: 3, background: '#ffffff' },
    })
      .png({ compressionLevel: 9 })
      .toBuffer();
    expect(bomb.length).toBeLessThan(1024 * 1024);
    const bombed = await upload(c.people.resident.client, bomb, 'bomb.png', 'image/png');
    expect(bombed.status).toBe(413);
    expect(bombed.body.error.messages.zh).toMatch(/百万像素/);

    const stored = await app.db
      .selectFrom('uploads')
      .select((eb) => eb.fn.countAll().as('n'))
      .where('uploaded_by', '=', c.people.resident.id)
      .where('mime', '=', 'image/png')
      .where('width', '=', 8_200)
      .executeTakeFirstOrThrow();
    expect(Number(stored.n)).toBe(0);
  });

  it('refuses more than 10 MB with 413', async () => {
    const big = Buffer.concat([
      Buffer.from([0xff, 0xd8, 0xff, 0xe0]),
      Buffer.alloc(10 * 1024 * 1024 + 10, 7),
    ]);
    const reply = await upload(c.people.resident.client, big);
    expect(reply.status).toBe(413);
    expect(reply.body.error.messages).toEqual({
      zh: '照片不能超过 10 MB',
      en: 'A photo can be at most 10 MB',
    });
  });

  it('refuses a request that is not one file in a multipart form', async () => {
    const client = c.people.resident.client;
    const json = await client.post('/api/uploads', { file: 'aGVsbG8=' });
    expect(json.status).toBe(415);
    expect(json.body.error.messages.en).toMatch(/multipart\/form-data/);
    const plain = await client.post('/api/uploads', 'hello', { 'content-type': 'text/plain' });
    expect(plain.status).toBe(415);

    const image = await photo('jpeg');
    const two = multipart([
      { name: 'file', data: image, filename: 'a.jpg', contentType: 'image/jpeg' },
      { name: 'file', data: image, filename: 'b.jpg', contentType: 'image/jpeg' },
    ]);
    const twoFiles = await client.post('/api/uploads', two.body, two.headers);
    expect(twoFiles.status).toBe(400);
    expect(twoFiles.body.error.messages.zh).toMatch(/每次只能上传一张照片/);

    const extra = multipart([
      { name: 'caption', data: '门口的垃圾' },
      { name: 'file', data: image, filename: 'a.jpg', contentType: 'image/jpeg' },
    ]);
    const withField = await client.post('/api/uploads', extra.body, extra.headers);
    expect(withField.status).toBe(400);
    expect(withField.body.error.code).toBe('validation_failed');

    const empty = multipart([{ name: 'note', data: '' }]);
    expect((await client.post('/api/uploads', empty.body, empty.headers)).status).toBe(400);
  });

  it('returns the same upload when the same person sends the same bytes again', async () => {
    const bytes = await photo('webp');
    const first = await upload(c.people.resident.client, bytes);
    const second = await upload(c.people.resident.client, bytes, 'renamed.webp');
    expect(first.status).toBe(201);
    expect(second.status).toBe(200);
    expect(second.body).toMatchObject({ id: first.body.id, deduplicated: true, sha256: first.body.sha256 });
    const byOther = await upload(c.people.otherResident.client, bytes);
    expect(byOther.status).toBe(201);
    expect(byOther.body.id).not.toBe(first.body.id);
    const publicFirst = await upload(c.public, bytes);
    const publicAgain = await upload(c.public, bytes);
    expect(publicFirst.status).toBe(201);
    expect(publicAgain.body.id).toBe(publicFirst.body.id);
    const rows = await app.db
      .selectFrom('uploads')
      .select('id')
      .where('sha256', '=', first.body.sha256)
      .execute();
    expect(rows).toHaveLength(3);
  });

  it('serves copies to the uploader and to those who may see the case; the original to staff only, logged', async () => {
    const bytes = await phoneJpegWithGps();
    const uploaded = await upload(c.people.resident.client, bytes);
    expect(uploaded.status).toBe(201);
    const id = uploaded.body.id;
    const thumbOf = (client: Client) => fetchBinary(app, `/api/uploads/${id}/thumb`, client.cookie);
    const originalOf = (client: Client, purpose = '核实上报位置') =>
      fetchBinary(app, `/api/uploads/${id}/original?purpose=${encodeURIComponent(purpose)}`, client.cookie);

    // before it is attached: the uploader only
    expect((await thumbOf(c.people.resident.client)).status).toBe(200);
    expect((await thumbOf(c.people.otherResident.client)).status).toBe(404);
    expect((await thumbOf(c.public)).status).toBe(404);
    expect((await thumbOf(c.people.communityAdmin.client)).status).toBe(403);
    expect((await originalOf(c.people.resident.client)).status).toBe(404);

    const report = await c.people.resident.client.post('/api/cases', {
      categoryCode: '0101',
      description: '小区门口垃圾无人清理',
      location: c.pointIn(0),
      photoIds: [id],
    });
    expect(report.status).toBe(201);
    const detail = await c.people.resident.client.get(`/api/cases/${report.body.id}`);
    expect(detail.body.photos).toHaveLength(1);
    expect(detail.body.photos[0]).toMatchObject({
      stage: 'report',
      urls: { thumb: `/api/uploads/${id}/thumb` },
    });

    // attached: whoever may see the case sees the copies
    expect((await thumbOf(c.people.communityAdmin.client)).status).toBe(200);
    expect((await thumbOf(c.people.gridWorker.client)).status).toBe(200);
    expect((await thumbOf(c.people.otherResident.client)).status).toBe(404);
    expect((await thumbOf(c.people.otherGridWorker.client)).status).toBe(403);
    const other = await buildCommunity(app);
    expect((await thumbOf(other.people.communityAdmin.client)).status).toBe(403);

    // the original: staff who may see the case, with a purpose, logged before a byte is sent
    expect((await originalOf(c.people.resident.client)).status).toBe(404);
    expect((await originalOf(c.people.otherGridWorker.client)).status).toBe(403);
    expect((await originalOf(c.public)).status).toBe(401);
    const noPurpose = await fetchBinary(
      app,
      `/api/uploads/${id}/original`,
      c.people.communityAdmin.client.cookie,
    );
    expect(noPurpose.status).toBe(400);
    const original = await originalOf(c.people.communityAdmin.client);
    expect(original.status).toBe(200);
    expect(original.headers['cache-control']).toBe('private, no-store');
    expect(Buffer.compare(original.bytes, bytes)).toBe(0);
    expect(exifReader((await sharp(original.bytes).metadata()).exif!).GPSInfo?.GPSLongitude).toEqual([
      114, 5, 56.78,
    ]);
    const log = await app.db
      .selectFrom('access_log')
      .selectAll()
      .where('record_type', '=', 'upload')
      .where('record_id', '=', id)
      .execute();
    expect(log).toHaveLength(1);
    expect(log[0]).toMatchObject({
      actor_id: c.people.communityAdmin.id,
      action: 'read_upload_original',
      fields: ['original', 'location'],
      purpose: '核实上报位置',
    });
    const row = await app.db
      .selectFrom('uploads')
      .select('street_id')
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    expect(row.street_id).toBe(c.street.id);
  });

  it('attachPhotos takes the actor’s own uploads, anyone’s for staff, and refuses the rest without writing', async () => {
    const mine = await upload(c.people.resident.client, await photo('jpeg'));
    const theirs = await upload(c.people.otherResident.client, await photo('png'));
    const report = await c.people.resident.client.post('/api/cases', {
      categoryCode: '0201',
      description: '路灯不亮',
      location: c.pointIn(1),
    });
    expect(report.status).toBe(201);
    const caseId = report.body.id;
    const photosOfCase = () =>
      app.db
        .selectFrom('case_photos')
        .select(['upload_id', 'stage', 'added_by'])
        .where('case_id', '=', caseId)
        .execute();

    const refused = inTransaction(app.db, (trx) =>
      attachPhotos(trx, {
        caseId,
        uploadIds: [mine.body.id, theirs.body.id],
        stage: 'report',
        actorId: c.people.resident.id,
      }),
    );
    await expect(refused).rejects.toMatchObject({
      status: 422,
      code: 'photos_not_found',
      details: { uploadIds: [theirs.body.id] },
    });
    expect(await photosOfCase()).toEqual([]);

    const attached = await inTransaction(app.db, (trx) =>
      attachPhotos(trx, {
        caseId,
        uploadIds: [mine.body.id, theirs.body.id, mine.body.id],
        stage: 'before',
        actorId: c.people.handler.id,
      }),
    );
    expect(attached).toEqual([
      {
        id: mine.body.id,
        sha256: mine.body.sha256,
        stage: 'before',
        urls: { public: mine.body.urls.public, thumb: mine.body.urls.thumb },
      },
      {
        id: theirs.body.id,
        sha256: theirs.body.sha256,
        stage: 'before',
        urls: { public: theirs.body.urls.public, thumb: theirs.body.urls.thumb },
      },
    ]);
    const linked = await photosOfCase();
    expect(linked).toHaveLength(2);
    expect(linked.every((photo) => photo.stage === 'before' && photo.added_by === c.people.handler.id)).toBe(
      true,
    );

    const unknown = inTransaction(app.db, (trx) =>
      attachPhotos(trx, {
        caseId,
        uploadIds: [crypto.randomUUID()],
        stage: 'after',
        actorId: c.people.handler.id,
      }),
    );
    await expect(unknown).rejects.toMatchObject({ status: 422, code: 'photos_not_found' });
  });
});

describe('photo uploads by the public', () => {
  it('refuses the public when public reports are off', async () => {
    const app = await buildTestApp({ publicReports: false });
    try {
      const c = await buildCommunity(app);
      const reply = await upload(c.public, await photo('jpeg'));
      expect(reply.status).toBe(401);
      expect(reply.body.error.messages.zh).toBe('请先登录');
      expect((await upload(c.people.resident.client, await photo('jpeg'))).status).toBe(201);
    } finally {
      await app.close();
    }
  });

  it('rate-limits the public, with Retry-After', async () => {
    const app = await buildTestApp({ publicReports: true });
    try {
      const c = await buildCommunity(app);
      const bytes = await photo('jpeg', 64, 64);
      const statuses: number[] = [];
      let limited: Awaited<ReturnType<typeof upload>> | undefined;
      for (let i = 0; i < 13; i++) {
        const reply = await upload(c.public, bytes);
        statuses.push(reply.status);
        if (reply.status === 429) limited = reply;
      }
      expect(statuses.slice(0, 12).every((status) => status === 201 || status === 200)).toBe(true);
      expect(statuses[12]).toBe(429);
      expect(limited!.body.error.code).toBe('rate_limited');
      expect(Number(limited!.headers['retry-after'])).toBeGreaterThan(0);
      // signed-in people have their own, larger allowance
      expect((await upload(c.people.resident.client, bytes)).status).toBe(201);
    } finally {
      await app.close();
    }
  });
});

import sharp from 'sharp';
import type { Client } from './harness.ts';

export interface Part {
  name: string;
  data: Buffer | string;
  filename?: string;
  contentType?: string;
}

/** A multipart/form-data body built by hand, as a browser or a phone app sends it. */
export function multipart(parts: Part[]): { body: Buffer; headers: Record<string, string> } {
  const boundary = `----minqing${crypto.randomUUID().replaceAll('-', '')}`;
  const chunks: Buffer[] = [];
  for (const part of parts) {
    const disposition = part.filename
      ? `form-data; name="${part.name}"; filename="${part.filename}"`
      : `form-data; name="${part.name}"`;
    const head = [`--${boundary}`, `Content-Disposition: ${disposition}`];
    if (part.contentType) head.push(`Content-Type: ${part.contentType}`);
    chunks.push(Buffer.from(`${head.join('\r\n')}\r\n\r\n`), Buffer.from(part.data), Buffer.from('\r\n'));
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return {
    body: Buffer.concat(chunks),
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
  };
}

/** A small JPEG with random colour, so every call gives distinct bytes. */
export async function randomJpeg(width = 96, height = 64): Promise<Buffer> {
  const [r = 0, g = 0, b = 0] = crypto.getRandomValues(new Uint8Array(3));
  return sharp({ create: { width, height, channels: 3, background: { r, g, b } } })
    .jpeg()
    .toBuffer();
}

/** Uploads a photo as `client` and returns the upload id. */
export async function uploadPhoto(client: Client, data?: Buffer): Promise<string> {
  const { body, headers } = multipart([
    { name: 'file', data: data ?? (await randomJpeg()), filename: 'photo.jpg', contentType: 'image/jpeg' },
  ]);
  const reply = await client.post('/api/uploads', body, headers);
  if (reply.status !== 201 && reply.status !== 200)
    throw new Error(`upload failed: ${reply.status} ${JSON.stringify(reply.body)}`);
  return (reply.body as { id: string }).id;
}

import exifReader from 'exif-reader';
import type { Metadata } from 'sharp';
import { errors } from '../../errors.ts';

/**
 * Checks an uploaded photo by its content and derives the copies minqing serves. The file name and
 * the declared Content-Type are never consulted: a script renamed .jpg is still a script.
 */

export type ImageFormat = 'jpeg' | 'png' | 'webp';

export const MIME: Record<ImageFormat, string> = {
  jpeg: 'image/jpeg',
  png: 'image/png',
  webp: 'image/webp',
};

/** 10 MB: a phone photo is 2–6 MB; a bigger upload is a video frame dump, a scan, or an attack. */
export const MAX_UPLOAD_BYTES = 10 * 1024 * 1024;
/**
 * 64 megapixels: above any phone's default mode (48–50 MP sensors shoot 12 MP unless told otherwise).
 * A small file that decodes to billions of pixels (a decompression bomb) is refused before decoding.
 */
export const MAX_INPUT_PIXELS = 64_000_000;
/** The public copy's long side: sharp enough to read a sign on a phone or the big screen. */
export const PUBLIC_MAX_SIDE = 2048;
export const THUMB_MAX_SIDE = 320;

/** The format the first bytes announce, or null when they announce none of the three we take. */
export function sniffFormat(bytes: Buffer): ImageFormat | null {
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'jpeg';
  if (
    bytes.length >= 8 &&
    bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))
  ) {
    return 'png';
  }
  if (
    bytes.length >= 12 &&
    bytes.subarray(0, 4).toString('latin1') === 'RIFF' &&
    bytes.subarray(8, 12).toString('latin1') === 'WEBP'
  ) {
    return 'webp';
  }
  return null;
}

const unsupported = () =>
  errors.unsupportedMedia({
    zh: '只能上传 JPEG、PNG 或 WebP 格式的照片（按文件内容判断，而不是文件名）',
    en: 'Only JPEG, PNG or WebP photos can be uploaded (judged by the content, not the file name)',
  });

const corrupt = () =>
  errors.badRequest({
    zh: '图片已损坏或不完整，请重新拍摄或选择照片',
    en: 'The image is damaged or incomplete; take or choose the photo again',
  });

const tooManyPixels = (width: number, height: number) =>
  errors.tooLarge({
    zh: `图片尺寸过大（${width}×${height}），最多 ${MAX_INPUT_PIXELS / 1_000_000} 百万像素`,
    en: `The image is too large (${width}×${height}); at most ${MAX_INPUT_PIXELS / 1_000_000} megapixels`,
  });

/** Does the original carry a location: EXIF GPS coordinates, or GPS fields in its XMP packet? */
export function carriesLocation(exif: Buffer | undefined, xmp: Buffer | undefined): boolean {
  if (exif) {
    try {
      const gps = exifReader(exif).GPSInfo;
      if (gps && (gps.GPSLatitude !== undefined || gps.GPSLongitude !== undefined)) return true;
    } catch {
      // An EXIF block exif-reader cannot parse: fall back to looking for the GPS IFD pointer (tag 0x8825).
      if (exif.includes(Buffer.from([0x88, 0x25])) || exif.includes(Buffer.from([0x25, 0x88]))) return true;
    }
  }
  return xmp !== undefined && /GPS(Latitude|Longitude)/.test(xmp.toString('utf8'));
}

export interface ProcessedImage {
  format: ImageFormat;
  mime: string;
  /** Upright dimensions of the original (after its EXIF orientation). */
  width: number;
  height: number;
  hadLocation: boolean;
  publicCopy: { bytes: Buffer; mime: string };
  thumbnail: { bytes: Buffer; mime: string };
}

/**
 * Verifies that `bytes` is a whole JPEG, PNG or WebP image of sane size, and derives its public copy
 * (upright, at most 2048 px, same format) and a ~320 px JPEG thumbnail. Both are re-encoded from the
 * pixels, so they carry no metadata at all — no EXIF, no GPS, no XMP, no camera serial.
 * 415 for anything else, 400 for a damaged image, 413 for too many pixels.
 */
export async function processImage(bytes: Buffer): Promise<ProcessedImage> {
  const format = sniffFormat(bytes);
  if (!format) throw unsupported();
  // Loaded on the first photo, not at start: libvips is a large share of a fresh server's memory.
  const { default: sharp } = await import('sharp');
  let metadata: Metadata;
  try {
    metadata = await sharp(bytes).metadata();
  } catch {
    throw corrupt();
  }
  // The magic number and the decoder must agree; a PNG header on a JPEG body is not a photo.
  if (metadata.format !== format) throw unsupported();
  const { width, height } = metadata;
  if (!width || !height) throw corrupt();
  const frameHeight = metadata.pageHeight ?? height;
  if (width * frameHeight > MAX_INPUT_PIXELS) throw tooManyPixels(width, frameHeight);

  let publicCopy: Buffer;
  let upright: { width: number; height: number };
  try {
    // failOn 'truncated': a photo cut off in transit is refused rather than stored half grey.
    const pipeline = sharp(bytes, { limitInputPixels: MAX_INPUT_PIXELS, failOn: 'truncated' })
      .autoOrient()
      .resize({ width: PUBLIC_MAX_SIDE, height: PUBLIC_MAX_SIDE, fit: 'inside', withoutEnlargement: true });
    const encoded =
      format === 'jpeg'
        ? pipeline.jpeg({ quality: 82, mozjpeg: true })
        : format === 'png'
          ? pipeline.png({ compressionLevel: 8 })
          : pipeline.webp({ quality: 80 });
    const { data } = await encoded.toBuffer({ resolveWithObject: true });
    publicCopy = data;
    const swapped = (metadata.orientation ?? 1) >= 5;
    upright = swapped ? { width: frameHeight, height: width } : { width, height: frameHeight };
  } catch (error) {
    if (error instanceof Error && /pixel limit/i.test(error.message)) throw tooManyPixels(width, frameHeight);
    throw corrupt();
  }
  const thumbnail = await sharp(publicCopy)
    .resize({ width: THUMB_MAX_SIDE, height: THUMB_MAX_SIDE, fit: 'inside', withoutEnlargement: true })
    // JPEG has no transparency: a transparent PNG gets a white background rather than black.
    .flatten({ background: '#ffffff' })
    .jpeg({ quality: 75, mozjpeg: true })
    .toBuffer();

  return {
    format,
    mime: MIME[format],
    width: upright.width,
    height: upright.height,
    hadLocation: carriesLocation(metadata.exif, metadata.xmp),
    publicCopy: { bytes: publicCopy, mime: MIME[format] },
    thumbnail: { bytes: thumbnail, mime: MIME.jpeg },
  };
}

/**
 * Photos are shrunk in the browser before they are stored or sent: a phone's 12-megapixel JPEG
 * (4–8 MB) becomes a ~1600 px JPEG of a few hundred KB, which a weak village signal can carry. Files
 * that are not images are refused with a message; images the browser cannot decode are too.
 */
export const MAX_PHOTOS = 6;
const MAX_EDGE = 1600;
const QUALITY = 0.82;
const ACCEPTED = ['image/jpeg', 'image/png', 'image/webp', 'image/heic', 'image/heif'];

export class PhotoRefused extends Error {
  constructor(readonly messages: { zh: string; en: string }) {
    super(messages.en);
  }
}

async function decode(file: Blob): Promise<{ source: CanvasImageSource; width: number; height: number }> {
  if ('createImageBitmap' in window) {
    try {
      // `from-image` turns phone photos upright by their EXIF orientation.
      const bitmap = await createImageBitmap(file, { imageOrientation: 'from-image' });
      return { source: bitmap, width: bitmap.width, height: bitmap.height };
    } catch {
      // fall through to <img>, which some WebViews decode when createImageBitmap does not
    }
  }
  const url = URL.createObjectURL(file);
  try {
    const image = new Image();
    image.src = url;
    await image.decode();
    return { source: image, width: image.naturalWidth, height: image.naturalHeight };
  } finally {
    URL.revokeObjectURL(url);
  }
}

/** Shrinks one chosen file to a JPEG at most 1600 px on its longer edge; refuses what is not an image. */
export async function shrinkPhoto(file: File): Promise<Blob> {
  if (file.type && !file.type.startsWith('image/')) {
    throw new PhotoRefused({
      zh: `“${file.name}”不是图片，只能上传照片`,
      en: `“${file.name}” is not an image; only photos can be added`,
    });
  }
  let decoded;
  try {
    decoded = await decode(file);
  } catch {
    throw new PhotoRefused({
      zh: `无法读取“${file.name}”，请换一张照片${ACCEPTED.includes(file.type) ? '' : '（支持 JPEG、PNG、WebP）'}`,
      en: `“${file.name}” could not be read; choose another photo (JPEG, PNG or WebP)`,
    });
  }
  const scale = Math.min(1, MAX_EDGE / Math.max(decoded.width, decoded.height));
  if (scale === 1 && file.type === 'image/jpeg' && file.size < 400_000) return file;
  const canvas = document.createElement('canvas');
  canvas.width = Math.max(1, Math.round(decoded.width * scale));
  canvas.height = Math.max(1, Math.round(decoded.height * scale));
  const context = canvas.getContext('2d')!;
  context.fillStyle = '#fff';
  context.fillRect(0, 0, canvas.width, canvas.height);
  context.drawImage(decoded.source, 0, 0, canvas.width, canvas.height);
  if ('close' in decoded.source) (decoded.source as ImageBitmap).close();
  const blob = await new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, 'image/jpeg', QUALITY));
  if (!blob) throw new PhotoRefused({ zh: '照片处理失败，请重试', en: 'The photo could not be prepared' });
  return blob;
}

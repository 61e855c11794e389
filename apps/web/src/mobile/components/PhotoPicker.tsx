import { Toast } from 'antd-mobile';
import { AddOutline, CloseOutline } from 'antd-mobile-icons';
import { useEffect, useMemo, useRef, useState } from 'react';
import { useLanguage, useT } from '../../shared/i18n.ts';
import { MAX_PHOTOS, PhotoRefused, shrinkPhoto } from '../offline/photos.ts';

/**
 * Up to six photos, taken with the camera or chosen from the album (WeChat's browser offers both for
 * image/*), each shrunk on the phone before it is kept. Non-images are refused with a message.
 */
export function PhotoPicker(props: {
  photos: Blob[];
  onChange: (photos: Blob[]) => void;
  max?: number;
  label: string;
  testId?: string;
}) {
  const t = useT();
  const [language] = useLanguage();
  const max = props.max ?? MAX_PHOTOS;
  const input = useRef<HTMLInputElement>(null);
  const [busy, setBusy] = useState(false);
  const urls = useMemo(() => props.photos.map((blob) => URL.createObjectURL(blob)), [props.photos]);
  useEffect(() => () => urls.forEach((url) => URL.revokeObjectURL(url)), [urls]);

  async function add(files: FileList | null) {
    if (!files || files.length === 0) return;
    setBusy(true);
    const next = [...props.photos];
    const refused: string[] = [];
    for (const file of Array.from(files)) {
      if (next.length >= max) {
        refused.push(t(`最多 ${max} 张照片`, `At most ${max} photos`));
        break;
      }
      try {
        next.push(await shrinkPhoto(file));
      } catch (error) {
        refused.push(
          error instanceof PhotoRefused ? error.messages[language] : t('照片处理失败', 'A photo failed'),
        );
      }
    }
    setBusy(false);
    props.onChange(next);
    if (refused.length) Toast.show({ content: refused.join('\n'), duration: 3000 });
    if (input.current) input.current.value = '';
  }

  return (
    <div className="m-photos" data-testid={props.testId}>
      {urls.map((url, index) => (
        <div className="m-photo" key={url}>
          <img src={url} alt={t(`照片 ${index + 1}`, `Photo ${index + 1}`)} />
          <button
            type="button"
            className="m-photo-remove"
            aria-label={t(`删除照片 ${index + 1}`, `Remove photo ${index + 1}`)}
            onClick={() => props.onChange(props.photos.filter((_, i) => i !== index))}
          >
            <CloseOutline />
          </button>
        </div>
      ))}
      {props.photos.length < max && (
        <label className="m-photo-add">
          <AddOutline fontSize={28} />
          <span>{busy ? t('处理中…', 'Preparing…') : props.label}</span>
          <span className="m-photo-count">
            {props.photos.length}/{max}
          </span>
          <input
            ref={input}
            type="file"
            accept="image/*"
            multiple
            disabled={busy}
            onChange={(event) => void add(event.target.files)}
          />
        </label>
      )}
    </div>
  );
}

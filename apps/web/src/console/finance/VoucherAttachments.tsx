import type { Attachment, Voucher } from '@minqing/contract';
import { Alert, Button, Checkbox, Image, Space, Tag, Tooltip, Typography, Upload } from 'antd';
import { useState } from 'react';
import { api, ApiError } from '../../shared/api.ts';
import { useT } from '../../shared/i18n.ts';

/** An attachment as the voucher editor keeps it: the file and whether villagers see it. */
export type AttachmentDraft = Attachment & { isPublic: boolean };

const ACCEPT = 'image/jpeg,image/png,image/webp,application/pdf';

function sizeText(bytes: number): string {
  return bytes >= 1024 * 1024
    ? `${(bytes / 1024 / 1024).toFixed(1)} MB`
    : `${Math.max(1, Math.round(bytes / 1024))} KB`;
}

/** One attachment: the photo's thumbnail (click to preview) or a link to the PDF. */
function Preview({ attachment }: { attachment: Attachment }) {
  const t = useT();
  if (attachment.kind === 'image' && attachment.urls.thumb) {
    return (
      <Image
        width={72}
        height={72}
        style={{ objectFit: 'cover', borderRadius: 4 }}
        src={attachment.urls.thumb}
        preview={{ src: attachment.urls.file }}
        alt={t(`附件：${attachment.name}`, `Attachment: ${attachment.name}`)}
      />
    );
  }
  return (
    <a href={attachment.urls.file} target="_blank" rel="noreferrer">
      📄 {attachment.name}
    </a>
  );
}

/**
 * 附件 in the voucher editor: upload receipt photos (JPEG/PNG/WebP) and contracts (PDF), preview them,
 * choose which villagers see (a photo by default, a PDF only when ticked), remove them. Only a draft
 * is edited, so this is only shown while the voucher is a draft.
 */
export function AttachmentEditor({
  bookId,
  value,
  onChange,
}: {
  bookId: string;
  value: AttachmentDraft[];
  onChange: (next: AttachmentDraft[]) => void;
}) {
  const t = useT();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(0);
  const upload = async (file: File) => {
    setError(undefined);
    setBusy((n) => n + 1);
    try {
      const form = new FormData();
      form.append('file', file, file.name);
      const attachment = await api.post<Attachment>(`/api/finance/books/${bookId}/attachments`, form);
      onChange([...value, { ...attachment, isPublic: attachment.kind === 'image' }]);
    } catch (caught) {
      setError(`${file.name}：${caught instanceof ApiError ? caught.text() : String(caught)}`);
    } finally {
      setBusy((n) => n - 1);
    }
  };
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Space wrap>
        <Upload
          accept={ACCEPT}
          multiple
          showUploadList={false}
          beforeUpload={(file) => {
            void upload(file);
            return false;
          }}
        >
          <Button loading={busy > 0}>
            {t('添加附件（票据照片或合同 PDF）', 'Attach (receipt photo or contract PDF)')}
          </Button>
        </Upload>
        <Typography.Text type="secondary">
          {t(
            '每个不超过 10 MB；照片会去除拍摄信息后保存。勾选“公开”的附件在村务公开页随凭证展示。',
            'Up to 10 MB each; photos are stored without camera metadata. Attachments ticked “public” are shown with the voucher on the villagers’ page.',
          )}
        </Typography.Text>
      </Space>
      {error && <Alert type="error" showIcon message={error} closable onClose={() => setError(undefined)} />}
      {value.length === 0 ? (
        <Typography.Text type="secondary">{t('还没有附件', 'No attachments yet')}</Typography.Text>
      ) : (
        <Space wrap size={16}>
          {value.map((attachment, index) => (
            <Space key={attachment.id} direction="vertical" size={2} style={{ width: 150 }}>
              <Preview attachment={attachment} />
              <Typography.Text ellipsis style={{ maxWidth: 150 }} title={attachment.name}>
                {attachment.name}
              </Typography.Text>
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {attachment.kind === 'pdf' ? 'PDF' : t('照片', 'Photo')} · {sizeText(attachment.bytes)}
              </Typography.Text>
              <Space size={4}>
                <Tooltip
                  title={t(
                    '含身份证号、银行卡号等个人信息的原件请不要公开；可另传一张遮盖后的照片并公开那一张。',
                    'Keep an original with ID or bank numbers private; attach a masked copy and make that one public.',
                  )}
                >
                  <Checkbox
                    checked={attachment.isPublic}
                    onChange={(event) =>
                      onChange(
                        value.map((item, i) =>
                          i === index ? { ...item, isPublic: event.target.checked } : item,
                        ),
                      )
                    }
                  >
                    {t('公开', 'Public')}
                  </Checkbox>
                </Tooltip>
                <Button
                  size="small"
                  type="link"
                  danger
                  onClick={() => onChange(value.filter((_, i) => i !== index))}
                >
                  {t('移除', 'Remove')}
                </Button>
              </Space>
            </Space>
          ))}
        </Space>
      )}
    </Space>
  );
}

/** The attachments of a voucher, read-only (the voucher list's expanded row). */
export function AttachmentList({ voucher }: { voucher: Voucher }) {
  const t = useT();
  if (voucher.attachments.length === 0) return null;
  return (
    <Space wrap size={16} style={{ marginTop: 8 }}>
      <Typography.Text strong>{t('附件', 'Attachments')}</Typography.Text>
      <Image.PreviewGroup>
        {voucher.attachments.map((attachment) => (
          <Space key={attachment.id} direction="vertical" size={2}>
            <Preview attachment={attachment} />
            <Tag color={attachment.isPublic ? 'green' : 'default'}>
              {attachment.isPublic ? t('公开', 'Public') : t('不公开', 'Not public')}
            </Tag>
          </Space>
        ))}
      </Image.PreviewGroup>
    </Space>
  );
}

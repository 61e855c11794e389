import type { SavedFilterQuery } from '@minqing/contract';
import { Alert, Form, Input, Modal } from 'antd';
import { useState } from 'react';
import { api, ApiError } from '../../shared/api.ts';
import { useT } from '../../shared/i18n.ts';

/** Names the current workbench filters and keeps them for this person. */
export function SaveFilterDialog({
  query,
  onClose,
}: {
  query: SavedFilterQuery;
  onClose: (changed: boolean) => void;
}) {
  const t = useT();
  const [form] = Form.useForm<{ name: string }>();
  const [error, setError] = useState<ApiError>();
  const [busy, setBusy] = useState(false);
  return (
    <Modal
      open
      title={t('保存为常用筛选', 'Save as a filter')}
      okText={t('保存', 'Save')}
      confirmLoading={busy}
      onCancel={() => onClose(false)}
      onOk={() => form.submit()}
    >
      {error && <Alert type="error" showIcon title={error.text()} style={{ marginBottom: 12 }} />}
      <Form
        form={form}
        layout="vertical"
        onFinish={async ({ name }) => {
          setBusy(true);
          setError(undefined);
          try {
            await api.post('/api/console/saved-filters', { name: name.trim(), query });
            onClose(true);
          } catch (caught) {
            setError(caught as ApiError);
          } finally {
            setBusy(false);
          }
        }}
      >
        <Form.Item
          name="name"
          label={t('名称', 'Name')}
          rules={[
            { required: true, whitespace: true, message: t('请填写名称', 'Give it a name') },
            { max: 40, message: t('名称最多 40 个字', 'At most 40 characters') },
          ]}
        >
          <Input
            autoFocus
            placeholder={t('例如：第一网格环卫待派遣', 'e.g. Grid 1 sanitation to dispatch')}
          />
        </Form.Item>
      </Form>
    </Modal>
  );
}

import { Alert, Form, Modal, type FormInstance } from 'antd';
import { useState, type ReactNode } from 'react';
import { ApiError } from '../../shared/api.ts';
import { useLanguage } from '../../shared/i18n.ts';

/**
 * A dialog with a form that sends one request. Fields validate as the person types; a refusal shows
 * the server's message (and each field's, from details.issues) and keeps everything typed.
 */
export function FormDialog<T extends object>({
  title,
  okText,
  initialValues,
  onSubmit,
  onClose,
  children,
  danger,
  width,
}: {
  title: string;
  okText: string;
  initialValues?: Partial<T>;
  onSubmit: (values: T, form: FormInstance<T>) => Promise<void>;
  onClose: (changed: boolean) => void;
  children: ReactNode | ((form: FormInstance<T>) => ReactNode);
  danger?: boolean;
  width?: number;
}) {
  const [form] = Form.useForm<T>();
  const [language] = useLanguage();
  const [error, setError] = useState<ApiError>();
  const [busy, setBusy] = useState(false);
  const issues =
    (error?.details.issues as { path: string; messageZh: string; messageEn: string }[] | undefined) ?? [];
  return (
    <Modal
      open
      title={title}
      okText={okText}
      okButtonProps={{ danger }}
      confirmLoading={busy}
      onCancel={() => onClose(false)}
      onOk={() => form.submit()}
      width={width}
    >
      {error && (
        <Alert
          type="error"
          showIcon
          style={{ marginBottom: 12 }}
          title={error.text()}
          description={
            issues.length > 0 ? (
              <ul style={{ margin: 0, paddingInlineStart: 18 }}>
                {issues.map((issue) => (
                  <li key={issue.path + issue.messageEn}>
                    {issue.path ? `${issue.path}：` : ''}
                    {language === 'zh' ? issue.messageZh : issue.messageEn}
                  </li>
                ))}
              </ul>
            ) : undefined
          }
        />
      )}
      <Form<T>
        form={form}
        layout="vertical"
        initialValues={initialValues}
        validateTrigger={['onChange', 'onBlur']}
        onFinish={async (values) => {
          setBusy(true);
          setError(undefined);
          try {
            await onSubmit(values, form);
            onClose(true);
          } catch (caught) {
            setError(
              caught instanceof ApiError
                ? caught
                : new ApiError(0, 'client', { zh: String(caught), en: String(caught) }, {}),
            );
          } finally {
            setBusy(false);
          }
        }}
      >
        {typeof children === 'function' ? children(form) : children}
      </Form>
    </Modal>
  );
}

import { Alert, Button, Form, Modal, type FormInstance } from 'antd';
import { useState, type ReactNode } from 'react';
import { ApiError } from '../../shared/api.ts';
import { useLanguage, useT } from '../../shared/i18n.ts';

/** A record's fields as people read them: label and shown value, keyed by field. */
export type ShownFields = Record<string, { label: string; value: string }>;

/**
 * How an edit dialog handles someone else's change in between (409 stale_version): it loads the record
 * as it is now, shows which fields changed from what the dialog opened with, and sends what the
 * person typed again against the current version when they say so.
 */
export interface ConflictCheck {
  shown: ShownFields;
  /**
   * The record now: its version, its shown fields and, when given, its form values — the fields the
   * person has not touched take those, so a retry keeps the other person's change as well as theirs.
   */
  load: () => Promise<{ version: number; fields: ShownFields; values?: Record<string, unknown> }>;
}

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
  conflict,
}: {
  title: string;
  okText: string;
  initialValues?: Partial<T>;
  /** `version` is the record's current version after a conflict, for the retry. */
  onSubmit: (values: T, form: FormInstance<T>, version?: number) => Promise<void>;
  onClose: (changed: boolean) => void;
  children: ReactNode | ((form: FormInstance<T>) => ReactNode);
  danger?: boolean;
  width?: number;
  conflict?: ConflictCheck;
}) {
  const [form] = Form.useForm<T>();
  const [language] = useLanguage();
  const t = useT();
  const [error, setError] = useState<ApiError>();
  const [busy, setBusy] = useState(false);
  const [fresh, setFresh] = useState<{
    version: number;
    changes: { label: string; from: string; to: string }[];
  }>();

  const submit = async (values: T, version?: number) => {
    setBusy(true);
    setError(undefined);
    setFresh(undefined);
    try {
      await onSubmit(values, form, version);
      onClose(true);
    } catch (caught) {
      const failure =
        caught instanceof ApiError
          ? caught
          : new ApiError(0, 'client', { zh: String(caught), en: String(caught) }, {});
      if (failure.code === 'stale_version' && conflict) {
        try {
          const now = await conflict.load();
          const changes = Object.entries(now.fields)
            .filter(([key, field]) => conflict.shown[key]?.value !== field.value)
            .map(([key, field]) => ({
              label: field.label,
              from: conflict.shown[key]?.value ?? '—',
              to: field.value,
            }));
          for (const [key, value] of Object.entries(now.values ?? {})) {
            if (!form.isFieldTouched(key as never)) form.setFieldValue(key as never, value as never);
          }
          setFresh({ version: now.version, changes });
        } catch {
          setError(failure);
        }
      } else {
        setError(failure);
      }
    } finally {
      setBusy(false);
    }
  };
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
      {fresh && (
        <Alert
          type="warning"
          showIcon
          data-testid="conflict"
          style={{ marginBottom: 12 }}
          title={t(
            '在您编辑期间，别人已经修改了这条记录：',
            'Someone else changed this record while you were editing it:',
          )}
          description={
            <>
              {fresh.changes.length > 0 ? (
                <ul style={{ margin: '4px 0 8px', paddingInlineStart: 18 }}>
                  {fresh.changes.map((change) => (
                    <li key={change.label}>
                      {change.label}：{change.from} → {change.to}
                    </li>
                  ))}
                </ul>
              ) : (
                <p style={{ margin: '4px 0 8px' }}>
                  {t(
                    '显示的字段没有变化（改动在其他字段）。',
                    'No field shown here changed (the change is elsewhere).',
                  )}
                </p>
              )}
              <Button
                type="primary"
                size="small"
                loading={busy}
                onClick={() => void submit(form.getFieldsValue(), fresh.version)}
              >
                {t('保留我的修改，再次提交', 'Keep my changes and submit again')}
              </Button>
            </>
          }
        />
      )}
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
        onFinish={(values) => void submit(values)}
      >
        {typeof children === 'function' ? children(form) : children}
      </Form>
    </Modal>
  );
}

import {
  describeTemplateProblem,
  templateProblems,
  type NotificationPreview,
  type NotificationTemplate,
  type NotificationTemplates,
  type UnitTreeNode,
} from '@minqing/contract';
import { Alert, App, Button, Card, Form, Input, Space, Table, Tag, TreeSelect, Typography } from 'antd';
import { useEffect, useMemo, useState } from 'react';
import { api, ApiError, query } from '../../shared/api.ts';
import { pick, useLanguage, useT } from '../../shared/i18n.ts';
import { FormDialog } from '../common/FormDialog.tsx';
import { loadAreaTrees } from '../common/data.ts';
import { setSearch, useLocation } from '../shell/router.ts';
import { roleUnits, useSession } from '../shell/session.tsx';
import { useRequest } from '../shell/use-request.ts';

interface TemplateForm {
  textZh: string;
  textEn: string;
}

/**
 * 通知模板: the texts minqing sends about cases, per street or community. A community uses its
 * street's text unless it sets its own; reset goes back to inheriting. Placeholders are checked as
 * the admin types (the same rules as the server's) and a preview fills them from a real case.
 */
export default function NotificationTemplatesPage() {
  const { me } = useSession();
  const t = useT();
  const [language] = useLanguage();
  const { message, modal } = App.useApp();
  const { search } = useLocation();
  const units = roleUnits(me).filter((u) => ['street', 'community'].includes(u.kind));
  const unitId = search.get('unitId') ?? units[0]?.id;
  const areas = useRequest(() => loadAreaTrees(me), `areas:${me.id}`);
  const unitTree = useMemo(() => {
    type Option = { value: string; title: string; children: Option[] };
    const convert = (node: UnitTreeNode): Option => ({
      value: node.id,
      title: node.name,
      children: node.children.filter((c) => c.kind === 'community').map(convert),
    });
    return (areas.data ?? []).map(convert);
  }, [areas.data]);
  const list = useRequest(
    unitId ? () => api.get<NotificationTemplates>(`/api/notification-templates${query({ unitId })}`) : null,
    `templates:${unitId}`,
  );
  const [editing, setEditing] = useState<NotificationTemplate>();

  const reset = (template: NotificationTemplate) =>
    modal.confirm({
      title: t('恢复为上级或默认模板？', 'Go back to the parent or default text?'),
      content: t(
        '本单位的自定义内容将不再使用；之后的通知将使用上级单位的模板，或系统默认模板。',
        "This unit's own text will no longer be used; notifications will use the parent unit's text or the default.",
      ),
      okText: t('恢复默认', 'Reset'),
      cancelText: t('取消', 'Cancel'),
      onOk: async () => {
        try {
          await api.post(`/api/notification-templates/${unitId}/${template.key}/reset`, {
            expectedVersion: template.version,
          });
          message.success(t('已恢复', 'Reset'));
        } catch (caught) {
          message.error((caught as ApiError).text());
        }
        await list.reload();
      },
    });

  const placeholders = list.data?.placeholders ?? [];
  return (
    <Space orientation="vertical" size={12} style={{ width: '100%' }}>
      <Typography.Title level={1} style={{ fontSize: 20, margin: 0 }}>
        {t('通知模板', 'Notification templates')}
      </Typography.Title>
      <Card
        size="small"
        title={
          <TreeSelect
            aria-label={t('单位', 'Unit')}
            value={areas.data ? unitId : undefined}
            onChange={(value: string) => setSearch({ unitId: value })}
            treeData={unitTree}
            treeDefaultExpandAll
            placeholder={t('选择街道或社区', 'Choose a street or community')}
            style={{ width: 240 }}
          />
        }
      >
        <Typography.Paragraph type="secondary">
          {t(
            '社区未单独设置时沿用街道的模板，街道未设置时使用系统默认模板。可用的占位符：',
            "A community uses its street's text unless it sets its own; a street without its own uses the default. Placeholders: ",
          )}
          {placeholders.map((p) => (
            <Tag key={p.name} style={{ marginInlineEnd: 4 }}>
              {language === 'zh' ? `{${p.zh}}` : `{${p.name}}`} {pick(p.label, language)}
            </Tag>
          ))}
        </Typography.Paragraph>
        {list.error && <Alert type="error" showIcon title={list.error.text()} style={{ marginBottom: 12 }} />}
        {!unitId && (
          <Alert
            type="info"
            showIcon
            title={t(
              '您不在任何街道或社区担任管理角色，没有可查看的通知模板。',
              'You hold no role at a street or community, so there are no templates to show.',
            )}
          />
        )}
        <Table<NotificationTemplate>
          size="small"
          rowKey="key"
          loading={list.loading}
          dataSource={list.data?.items ?? []}
          pagination={false}
          locale={{ emptyText: t('请选择街道或社区', 'Choose a street or community') }}
          columns={[
            {
              title: t('通知', 'Notification'),
              width: 220,
              render: (_, item) => (
                <Space orientation="vertical" size={0}>
                  <span>{pick(item.label, language)}</span>
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {item.audience === 'reporter'
                      ? t('发给上报人', 'To the reporter')
                      : t('发给工作人员', 'To staff')}
                  </Typography.Text>
                </Space>
              ),
            },
            {
              title: t('内容', 'Text'),
              render: (_, item) => (
                <Space orientation="vertical" size={0}>
                  <span>{item.textZh}</span>
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {item.textEn}
                  </Typography.Text>
                </Space>
              ),
            },
            {
              title: t('来源', 'Source'),
              width: 160,
              render: (_, item) =>
                item.source === 'own' ? (
                  <Tag color="blue">{t('本单位', 'This unit')}</Tag>
                ) : item.source === 'inherited' ? (
                  <Tag color="purple">
                    {t('沿用', 'From')} {item.sourceUnit?.name}
                  </Tag>
                ) : (
                  <Tag>{t('默认', 'Default')}</Tag>
                ),
            },
            {
              title: '',
              width: 170,
              render: (_, item) => (
                <Space>
                  {item.allowedActions.includes('update') && (
                    <Button size="small" onClick={() => setEditing(item)}>
                      {t('编辑', 'Edit')}
                    </Button>
                  )}
                  {item.allowedActions.includes('reset') && (
                    <Button size="small" onClick={() => reset(item)}>
                      {t('恢复默认', 'Reset')}
                    </Button>
                  )}
                </Space>
              ),
            },
          ]}
        />
      </Card>
      {editing && unitId && (
        <EditTemplateDialog
          unitId={unitId}
          template={editing}
          onClose={async (changed) => {
            setEditing(undefined);
            if (changed) {
              message.success(t('模板已保存', 'Template saved'));
              await list.reload();
            }
          }}
        />
      )}
    </Space>
  );
}

/** The field rule: the server's own checks, shown while typing, in the console's language. */
function templateRule(language: 'zh' | 'en', shown: 'zh' | 'en') {
  return {
    validator: async (_: unknown, value: string | undefined) => {
      const [problem] = templateProblems(value ?? '', language);
      if (problem) throw new Error(describeTemplateProblem(problem, language)[shown]);
    },
  };
}

function EditTemplateDialog({
  unitId,
  template,
  onClose,
}: {
  unitId: string;
  template: NotificationTemplate;
  onClose: (changed: boolean) => void;
}) {
  const t = useT();
  const [language] = useLanguage();
  const [texts, setTexts] = useState<TemplateForm>({ textZh: template.textZh, textEn: template.textEn });
  const [preview, setPreview] = useState<NotificationPreview>();
  const [previewError, setPreviewError] = useState<string>();

  // The preview follows the typing, a moment after it stops.
  useEffect(() => {
    const timer = setTimeout(() => {
      if (templateProblems(texts.textZh, 'zh').length || templateProblems(texts.textEn, 'en').length) {
        setPreview(undefined);
        setPreviewError(t('请先改正标出的问题', 'Correct the marked problems first'));
        return;
      }
      api
        .post<NotificationPreview>('/api/notification-templates/preview', {
          unitId,
          key: template.key,
          ...texts,
        })
        .then((result) => {
          setPreview(result);
          setPreviewError(undefined);
        })
        .catch((caught: unknown) => setPreviewError((caught as ApiError).text()));
    }, 300);
    return () => clearTimeout(timer);
  }, [texts, unitId, template.key, t]);

  return (
    <FormDialog<TemplateForm>
      title={`${t('编辑通知模板', 'Edit template')}：${pick(template.label, language)}`}
      okText={t('保存', 'Save')}
      width={640}
      initialValues={{ textZh: template.textZh, textEn: template.textEn }}
      conflict={{
        shown: {
          textZh: { label: t('中文内容', 'Chinese text'), value: template.textZh },
          textEn: { label: t('英文内容', 'English text'), value: template.textEn },
        },
        load: async () => {
          const now = await api.get<NotificationTemplates>(`/api/notification-templates${query({ unitId })}`);
          const item = now.items.find((i) => i.key === template.key)!;
          return {
            version: item.version,
            fields: {
              textZh: { label: t('中文内容', 'Chinese text'), value: item.textZh },
              textEn: { label: t('英文内容', 'English text'), value: item.textEn },
            },
          };
        },
      }}
      onClose={onClose}
      onSubmit={async (values, _form, version) => {
        await api.put(`/api/notification-templates/${unitId}/${template.key}`, {
          ...values,
          expectedVersion: version ?? template.version,
        });
      }}
    >
      {(form) => (
        <>
          <Form.Item
            name="textZh"
            label={t('中文内容', 'Chinese text')}
            rules={[templateRule('zh', language)]}
            extra={t('例如：您上报的事件 {案件编号}（{类别}）已受理', 'e.g. 您上报的事件 {案件编号} 已受理')}
          >
            <Input.TextArea
              rows={2}
              showCount
              maxLength={220}
              onChange={() => setTexts({ ...texts, textZh: form.getFieldValue('textZh') as string })}
            />
          </Form.Item>
          <Form.Item
            name="textEn"
            label={t('英文内容', 'English text')}
            rules={[templateRule('en', language)]}
          >
            <Input.TextArea
              rows={2}
              showCount
              maxLength={420}
              onChange={() => setTexts({ ...texts, textEn: form.getFieldValue('textEn') as string })}
            />
          </Form.Item>
          <Space style={{ marginBottom: 12 }}>
            <Button
              size="small"
              onClick={() => {
                form.setFieldsValue({ textZh: template.defaultZh, textEn: template.defaultEn });
                setTexts({ textZh: template.defaultZh, textEn: template.defaultEn });
              }}
            >
              {t('填入系统默认内容', 'Fill in the default text')}
            </Button>
          </Space>
          <Alert
            type={previewError ? 'warning' : 'info'}
            data-testid="template-preview"
            title={t('预览（以本单位的一件事件为例）', "Preview (with one of this unit's cases)")}
            description={
              previewError ?? (
                <>
                  <div>{preview?.zh ?? '…'}</div>
                  <div>{preview?.en ?? ''}</div>
                </>
              )
            }
          />
        </>
      )}
    </FormDialog>
  );
}

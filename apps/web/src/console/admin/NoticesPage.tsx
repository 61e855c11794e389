import {
  NOTICE_BODY_MAX,
  NOTICE_CATEGORIES,
  NOTICE_CATEGORY_NAMES,
  NOTICE_TITLE_MAX,
  type Notice,
  type NoticeCategory,
  type NoticeList,
  type NoticeState,
} from '@minqing/contract';
import {
  Alert,
  App,
  Button,
  Card,
  Col,
  DatePicker,
  Form,
  Input,
  Modal,
  Radio,
  Row,
  Segmented,
  Select,
  Space,
  Switch,
  Table,
  Tag,
  Typography,
} from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import { api, ApiError, query } from '../../shared/api.ts';
import { pick, useLanguage, useT } from '../../shared/i18n.ts';
import { formatTime } from '../shell/format.ts';
import { useRequest } from '../shell/use-request.ts';

interface NoticeForm {
  unitId: string;
  title: string;
  body: string;
  category: NoticeCategory;
  isPinned: boolean;
  expiresAt: Dayjs | null;
}

const STATE_COLOURS: Record<NoticeState, string> = {
  draft: 'default',
  published: 'green',
  withdrawn: 'orange',
};
const KIND_INDENT: Record<string, string> = { street: '', community: '　', grid: '　　' };

/**
 * 公告管理: the committee writes a notice (with a phone-sized preview beside the form), saves it as a
 * draft or publishes it, pins it, edits it and withdraws it. The buttons follow each notice's
 * allowedActions; the field rules are the contract's (60 / 5,000 characters), checked as one types.
 */
export default function NoticesPage() {
  const t = useT();
  const [language] = useLanguage();
  const { message, modal } = App.useApp();
  const [state, setState] = useState<NoticeState | 'all'>('all');
  const list = useRequest(
    () => api.get<NoticeList>(`/api/notices${query({ state: state === 'all' ? undefined : state })}`),
    `notices:${state}`,
  );
  const [editing, setEditing] = useState<Notice | 'new' | null>(null);

  const fail = (error: unknown) => {
    if (error instanceof ApiError) {
      void message.error(pick(error.messages, language));
      if (error.status === 409) void list.reload();
    } else void message.error(t('操作失败，请重试', 'That did not work; try again'));
  };

  const publish = (notice: Notice) =>
    modal.confirm({
      title: t(`发布“${notice.title}”？`, `Publish “${notice.title}”?`),
      content: t(
        `发布后，${notice.unit.name}及其下属区域的所有人（无需登录）都能看到这条公告。`,
        `Once published, everyone in ${notice.unit.name} and below can read it, signed in or not.`,
      ),
      okText: t('发布', 'Publish'),
      cancelText: t('取消', 'Cancel'),
      onOk: () =>
        api
          .post(`/api/notices/${notice.id}/publish`, { expectedVersion: notice.version })
          .then(() => {
            void message.success(t('已发布', 'Published'));
            return list.reload();
          })
          .catch(fail),
    });

  const withdraw = (notice: Notice) => {
    let reason = '';
    modal.confirm({
      title: t(`撤回“${notice.title}”？`, `Withdraw “${notice.title}”?`),
      content: (
        <Space direction="vertical" style={{ width: '100%' }}>
          <Typography.Text>
            {t(
              '撤回后公告从居民的公告栏消失，但发布和撤回的记录会保留在存证日志中。',
              'It leaves the public notice board; its publication and withdrawal stay in the journal.',
            )}
          </Typography.Text>
          <Input
            aria-label={t('撤回原因（可选）', 'Reason (optional)')}
            placeholder={t('撤回原因（可选）', 'Reason (optional)')}
            maxLength={200}
            onChange={(event) => (reason = event.target.value)}
          />
        </Space>
      ),
      okText: t('撤回', 'Withdraw'),
      okButtonProps: { danger: true },
      cancelText: t('取消', 'Cancel'),
      onOk: () =>
        api
          .post(`/api/notices/${notice.id}/withdraw`, {
            expectedVersion: notice.version,
            ...(reason.trim() ? { reason: reason.trim() } : {}),
          })
          .then(() => {
            void message.success(t('已撤回', 'Withdrawn'));
            return list.reload();
          })
          .catch(fail),
    });
  };

  const togglePin = (notice: Notice) =>
    api
      .patch(`/api/notices/${notice.id}`, { isPinned: !notice.isPinned, expectedVersion: notice.version })
      .then(() => list.reload())
      .catch(fail);

  const units = list.data?.units ?? [];
  return (
    <Card
      title={t('公告管理', 'Notices')}
      extra={
        <Button type="primary" disabled={units.length === 0} onClick={() => setEditing('new')}>
          {t('写公告', 'New notice')}
        </Button>
      }
    >
      <Space direction="vertical" size="middle" style={{ width: '100%' }}>
        <Segmented
          value={state}
          onChange={(value) => setState(value as NoticeState | 'all')}
          options={[
            { value: 'all', label: t('全部', 'All') },
            { value: 'draft', label: t('草稿', 'Drafts') },
            { value: 'published', label: t('已发布', 'Published') },
            { value: 'withdrawn', label: t('已撤回', 'Withdrawn') },
          ]}
        />
        {list.error && <Alert type="error" showIcon message={pick(list.error.messages, language)} />}
        <Table<Notice>
          rowKey="id"
          loading={list.loading}
          dataSource={list.data?.items ?? []}
          pagination={{ pageSize: 20, hideOnSinglePage: true }}
          locale={{
            emptyText: t(
              '还没有公告。点“写公告”发布停水停电、疫苗接种、议事会等通知，居民在手机“公告”里就能看到。',
              'No notices yet. Use “New notice” for water cuts, vaccinations, council meetings; residents read them on their phones.',
            ),
          }}
          columns={[
            {
              title: t('标题', 'Title'),
              dataIndex: 'title',
              render: (_, notice) => (
                <Space size={4} wrap>
                  {notice.isPinned && <Tag color="blue">{t('置顶', 'Pinned')}</Tag>}
                  {notice.category === 'urgent' && <Tag color="red">{t('紧急', 'Urgent')}</Tag>}
                  <Typography.Link onClick={() => setEditing(notice)}>{notice.title}</Typography.Link>
                </Space>
              ),
            },
            { title: t('发布范围', 'For'), render: (_, notice) => notice.unit.name },
            { title: t('类别', 'Category'), render: (_, notice) => pick(notice.categoryName, language) },
            {
              title: t('状态', 'State'),
              render: (_, notice) => (
                <Space size={4}>
                  <Tag color={STATE_COLOURS[notice.state]}>{pick(notice.stateName, language)}</Tag>
                  {notice.isExpired && <Tag>{t('已过期', 'Expired')}</Tag>}
                </Space>
              ),
            },
            {
              title: t('发布时间', 'Published'),
              render: (_, notice) => (notice.publishedAt ? formatTime(notice.publishedAt, language) : '—'),
            },
            { title: t('撰写人', 'Author'), render: (_, notice) => notice.author.name },
            {
              title: t('操作', 'Actions'),
              render: (_, notice) => (
                <Space size={0} wrap>
                  {notice.allowedActions.includes('update') && (
                    <Button type="link" onClick={() => setEditing(notice)}>
                      {t('编辑', 'Edit')}
                    </Button>
                  )}
                  {notice.allowedActions.includes('publish') && (
                    <Button type="link" onClick={() => publish(notice)}>
                      {t('发布', 'Publish')}
                    </Button>
                  )}
                  {notice.allowedActions.includes('update') && (
                    <Button type="link" onClick={() => void togglePin(notice)}>
                      {notice.isPinned ? t('取消置顶', 'Unpin') : t('置顶', 'Pin')}
                    </Button>
                  )}
                  {notice.allowedActions.includes('withdraw') && (
                    <Button type="link" danger onClick={() => withdraw(notice)}>
                      {t('撤回', 'Withdraw')}
                    </Button>
                  )}
                </Space>
              ),
            },
          ]}
        />
      </Space>
      {editing && (
        <NoticeEditor
          notice={editing === 'new' ? null : editing}
          units={units}
          onClose={() => setEditing(null)}
          onSaved={() => {
            setEditing(null);
            void list.reload();
          }}
          onError={fail}
        />
      )}
    </Card>
  );
}

function NoticeEditor(props: {
  notice: Notice | null;
  units: NoticeList['units'];
  onClose: () => void;
  onSaved: () => void;
  onError: (error: unknown) => void;
}) {
  const t = useT();
  const [language] = useLanguage();
  const { message } = App.useApp();
  const [form] = Form.useForm<NoticeForm>();
  const [saving, setSaving] = useState(false);
  const { notice } = props;
  const readOnly = notice !== null && !notice.allowedActions.includes('update');
  const values = Form.useWatch([], form) as Partial<NoticeForm> | undefined;
  const initial: NoticeForm = notice
    ? {
        unitId: notice.unit.id,
        title: notice.title,
        body: notice.body,
        category: notice.category,
        isPinned: notice.isPinned,
        expiresAt: notice.expiresAt ? dayjs(notice.expiresAt) : null,
      }
    : {
        unitId: props.units.find((u) => u.kind === 'community')?.id ?? props.units[0]?.id ?? '',
        title: '',
        body: '',
        category: 'notice',
        isPinned: false,
        expiresAt: null,
      };

  const save = async (andPublish: boolean) => {
    let value: NoticeForm;
    try {
      value = await form.validateFields();
    } catch {
      return;
    }
    setSaving(true);
    const fields = {
      title: value.title.trim(),
      body: value.body.trim(),
      category: value.category,
      isPinned: value.isPinned,
      expiresAt: value.expiresAt ? value.expiresAt.toISOString() : null,
    };
    try {
      let saved: Notice;
      if (notice) {
        saved = await api.patch<Notice>(`/api/notices/${notice.id}`, {
          ...fields,
          expectedVersion: notice.version,
        });
      } else {
        saved = await api.post<Notice>('/api/notices', { ...fields, unitId: value.unitId });
      }
      if (andPublish && saved.allowedActions.includes('publish')) {
        await api.post(`/api/notices/${saved.id}/publish`, { expectedVersion: saved.version });
        void message.success(t('已发布', 'Published'));
      } else void message.success(t('已保存', 'Saved'));
      props.onSaved();
    } catch (error) {
      props.onError(error);
    } finally {
      setSaving(false);
    }
  };

  const tooLong = (what: { zh: string; en: string }, max: number) =>
    t(`${what.zh}最多 ${max} 个字`, `${what.en} is at most ${max} characters`);
  const title = notice
    ? readOnly
      ? t('查看公告', 'Notice')
      : t('编辑公告', 'Edit notice')
    : t('写公告', 'New notice');
  const category = values?.category ?? initial.category;
  const isDraft = !notice || notice.state === 'draft';

  return (
    <Modal
      open
      width={1000}
      title={title}
      onCancel={props.onClose}
      footer={
        readOnly
          ? [
              <Button key="close" onClick={props.onClose}>
                {t('关闭', 'Close')}
              </Button>,
            ]
          : [
              <Button key="cancel" onClick={props.onClose}>
                {t('取消', 'Cancel')}
              </Button>,
              <Button key="save" loading={saving} onClick={() => void save(false)}>
                {isDraft ? t('保存草稿', 'Save draft') : t('保存修改', 'Save changes')}
              </Button>,
              ...(isDraft
                ? [
                    <Button key="publish" type="primary" loading={saving} onClick={() => void save(true)}>
                      {t('保存并发布', 'Save and publish')}
                    </Button>,
                  ]
                : []),
            ]
      }
    >
      {notice?.state === 'published' && !readOnly && (
        <Alert
          style={{ marginBottom: 12 }}
          type="info"
          showIcon
          message={t(
            '这条公告已发布：修改会立即对居民可见，修改记录保留在存证日志中。',
            'This notice is published: changes show at once, and each change stays in the journal.',
          )}
        />
      )}
      <Row gutter={24}>
        <Col span={14}>
          <Form<NoticeForm>
            form={form}
            layout="vertical"
            initialValues={initial}
            disabled={readOnly}
            validateTrigger="onChange"
          >
            <Form.Item
              name="unitId"
              label={t('发布范围', 'For')}
              extra={t('该区域及其下属网格的居民都能看到', 'Everyone in this area and below can read it')}
              rules={[{ required: true, message: t('请选择发布范围', 'Choose where it is published') }]}
            >
              <Select
                disabled={notice !== null || readOnly}
                options={props.units.map((unit) => ({
                  value: unit.id,
                  label: `${KIND_INDENT[unit.kind] ?? ''}${unit.name}`,
                }))}
              />
            </Form.Item>
            <Form.Item
              name="title"
              label={t('标题', 'Title')}
              rules={[
                { required: true, whitespace: true, message: t('请填写标题', 'The title is required') },
                {
                  max: NOTICE_TITLE_MAX,
                  message: tooLong({ zh: '标题', en: 'The title' }, NOTICE_TITLE_MAX),
                },
              ]}
            >
              <Input showCount placeholder={t('如：停水通知', 'e.g. Water cut on Saturday')} />
            </Form.Item>
            <Form.Item name="category" label={t('类别', 'Category')}>
              <Radio.Group
                optionType="button"
                options={NOTICE_CATEGORIES.map((value) => ({
                  value,
                  label: pick(NOTICE_CATEGORY_NAMES[value], language),
                }))}
              />
            </Form.Item>
            <Space size="large">
              <Form.Item name="isPinned" label={t('置顶', 'Pinned')} valuePropName="checked">
                <Switch />
              </Form.Item>
              <Form.Item
                name="expiresAt"
                label={t('截止时间（可选）', 'Expires (optional)')}
                rules={[
                  {
                    validator: (_, value: Dayjs | null) =>
                      !value || value.isAfter(dayjs())
                        ? Promise.resolve()
                        : Promise.reject(
                            new Error(t('截止时间应在将来', 'The expiry must be in the future')),
                          ),
                  },
                ]}
              >
                <DatePicker showTime={{ format: 'HH:mm' }} format="YYYY-MM-DD HH:mm" />
              </Form.Item>
            </Space>
            <Form.Item
              name="body"
              label={t('正文', 'Text')}
              extra={t('纯文本，换行会保留', 'Plain text; line breaks are kept')}
              rules={[
                { required: true, whitespace: true, message: t('请填写正文', 'The text is required') },
                { max: NOTICE_BODY_MAX, message: tooLong({ zh: '正文', en: 'The text' }, NOTICE_BODY_MAX) },
              ]}
            >
              <Input.TextArea showCount rows={10} />
            </Form.Item>
          </Form>
        </Col>
        <Col span={10}>
          <Typography.Title level={5}>{t('手机上的样子', 'On a phone')}</Typography.Title>
          <div
            aria-label={t('预览', 'Preview')}
            role="region"
            style={{
              maxWidth: 390,
              border: '1px solid #d9d9d9',
              borderRadius: 12,
              padding: 16,
              background: '#fff',
            }}
          >
            <Space size={4} wrap>
              {values?.isPinned && <Tag color="blue">{t('置顶', 'Pinned')}</Tag>}
              <Tag color={category === 'urgent' ? 'red' : 'default'}>
                {pick(NOTICE_CATEGORY_NAMES[category], language)}
              </Tag>
            </Space>
            <Typography.Title level={4} style={{ marginTop: 8 }}>
              {values?.title?.trim() || t('（标题）', '(title)')}
            </Typography.Title>
            <Typography.Paragraph type="secondary">
              {props.units.find((u) => u.id === (values?.unitId ?? initial.unitId))?.name ??
                notice?.unit.name}
            </Typography.Paragraph>
            <div style={{ whiteSpace: 'pre-wrap', lineHeight: 1.75 }}>
              {values?.body?.trim() || t('（正文）', '(text)')}
            </div>
          </div>
        </Col>
      </Row>
    </Modal>
  );
}

import type { CaseAction, CaseDetail, Category } from '@minqing/contract';
import {
  Alert,
  App,
  Button,
  Card,
  Col,
  Descriptions,
  Empty,
  Image,
  Input,
  Modal,
  Result,
  Row,
  Skeleton,
  Space,
  Tag,
  Timeline,
  Typography,
} from 'antd';
import { useEffect, useRef, useState } from 'react';
import { api, ApiError, query } from '../../shared/api.ts';
import { pick, useLanguage, useT } from '../../shared/i18n.ts';
import { loadCategories } from '../common/data.ts';
import { formatTime, formatTimeLeft } from '../shell/format.ts';
import { ACTION_LABELS, RATING_LABELS, SOURCE_LABELS, STATE_COLORS } from '../shell/labels.ts';
import { navigate } from '../shell/router.ts';
import { useSession } from '../shell/session.tsx';
import { pollInterval, useCaseEvents } from '../shell/live.ts';
import { useRequest } from '../shell/use-request.ts';
import { ActionDialog } from './ActionDialog.tsx';
import { CaseMap } from './CaseMap.tsx';
import { describeChanges } from './changes.ts';

/** How often an open case page looks for what others did (until the live stream carries it). */
const REFRESH_MS = 10_000;

/** The actions offered as buttons, in the order people meet them in the workflow. */
const BUTTON_ORDER: CaseAction[] = [
  'accept',
  'reject',
  'assign-grid',
  'dispatch',
  'start',
  'submit',
  'return',
  'verify',
  'follow-up',
  'merge',
  'remind',
  'escalate',
  'note',
];
const PRIMARY: CaseAction[] = ['accept', 'dispatch', 'start', 'submit', 'verify', 'follow-up'];

export default function CasePage({ params }: { params: Record<string, string> }) {
  const id = params.id!;
  const t = useT();
  const [language] = useLanguage();
  const { message } = App.useApp();
  const { me } = useSession();
  const detail = useRequest(() => api.get<CaseDetail>(`/api/cases/${id}`), `case:${id}`);
  const categories = useRequest(loadCategories, 'categories');
  const [action, setAction] = useState<CaseAction | null>(null);
  const [contact, setContact] = useState<{ name: string | null; phone: string | null }>();
  const [revealing, setRevealing] = useState(false);
  const seen = useRef<CaseDetail | undefined>(undefined);

  // Someone else acting on the case shows up here at once (the live stream), with what they did; a
  // slow poll stays as the fallback, quicker while the stream is down.
  const liveStatus = useCaseEvents((events) => {
    if (!action && events.some((event) => event.caseId === id)) void detail.reload();
  });
  useEffect(() => {
    const timer = window.setInterval(
      () => {
        if (document.visibilityState === 'visible' && !action) void detail.reload();
      },
      pollInterval(liveStatus, REFRESH_MS),
    );
    return () => window.clearInterval(timer);
  }, [detail, action, liveStatus]);
  useEffect(() => {
    const current = detail.data;
    const before = seen.current;
    if (current && before && before.id === current.id && current.timeline.length > before.timeline.length) {
      // Only what others did: the person's own action already answered with its own message.
      const fresh = current.timeline
        .slice(before.timeline.length)
        .filter((entry) => entry.actor.id !== me.id);
      if (!action && fresh.length > 0) {
        message.info(
          t(
            `事件已更新：${fresh.map((e) => `${e.actor.name ?? '系统'}${e.label.zh}`).join('，')}`,
            `Case updated: ${fresh.map((e) => `${e.label.en} by ${e.actor.name ?? 'system'}`).join(', ')}`,
          ),
        );
      }
    }
    if (current) seen.current = current;
  }, [detail.data, action, message, t, me.id]);

  if (detail.error && !detail.data) {
    return (
      <Result
        status={detail.error.status === 404 ? '404' : detail.error.status === 403 ? '403' : 'error'}
        title={detail.error.text()}
        extra={
          <Button onClick={() => navigate('/console')}>{t('返回工作台', 'Back to the workbench')}</Button>
        }
      />
    );
  }
  const c = detail.data;
  if (!c) return <Skeleton active />;

  const category: Category | undefined = categories.data?.groups
    .flatMap((group) => group.categories)
    .find((item) => item.code === c.category.code);
  const buttons = BUTTON_ORDER.filter((a) => c.allowedActions.includes(a));

  const reveal = () => {
    let purpose = '';
    Modal.confirm({
      title: t('查看完整联系方式', 'Show the full contact'),
      content: (
        <Space orientation="vertical" style={{ width: '100%' }}>
          <Typography.Text type="secondary">
            {t('查看记录会写入访问日志。请说明用途：', 'Every reveal is logged. State why you need it:')}
          </Typography.Text>
          <Input
            aria-label={t('用途', 'Purpose')}
            defaultValue={t('回访联系', 'Follow-up call')}
            onChange={(event) => (purpose = event.target.value)}
          />
        </Space>
      ),
      okText: t('查看', 'Show'),
      onOk: async () => {
        setRevealing(true);
        try {
          const why = purpose.trim() || t('回访联系', 'Follow-up call');
          setContact(await api.get(`/api/cases/${c.id}/reporter-contact${query({ purpose: why })}`));
        } catch (caught) {
          message.error((caught as ApiError).text());
        } finally {
          setRevealing(false);
        }
      },
    });
  };

  return (
    <Space orientation="vertical" size={12} style={{ width: '100%' }}>
      <Card size="small">
        <Space wrap align="center" style={{ width: '100%', justifyContent: 'space-between' }}>
          <Space wrap align="center">
            <Button size="small" onClick={() => (history.length > 1 ? history.back() : navigate('/console'))}>
              {t('返回', 'Back')}
            </Button>
            <Typography.Title level={1} style={{ fontSize: 20, margin: 0 }}>
              {c.code}
            </Typography.Title>
            <Tag color={STATE_COLORS[c.state]} data-testid="case-state">
              {pick(c.stateName, language)}
            </Tag>
            <Tag>{`${c.category.code} ${pick(c.category.name, language)}`}</Tag>
            {c.priority === 'urgent' && <Tag color="red">{t('紧急', 'Urgent')}</Tag>}
            {c.timeLeftMinutes !== null && (
              <Typography.Text type={c.isOverdue ? 'danger' : undefined}>
                {formatTimeLeft(c.timeLeftMinutes, language)}
                {c.dueAt && ` · ${t('期限', 'due')} ${formatTime(c.dueAt, language)}`}
              </Typography.Text>
            )}
            {c.escalationLevel > 0 && (
              <Tag color="volcano">
                {t(`已督办 ${c.escalationLevel} 次`, `Escalated ${c.escalationLevel}×`)}
              </Tag>
            )}
            {c.reworkCount > 0 && (
              <Tag color="orange">{t(`返工 ${c.reworkCount} 次`, `Reworked ${c.reworkCount}×`)}</Tag>
            )}
          </Space>
          <Space wrap data-testid="case-actions">
            {buttons.map((a) => (
              <Button
                key={a}
                type={PRIMARY.includes(a) ? 'primary' : 'default'}
                danger={a === 'reject'}
                onClick={() => setAction(a)}
              >
                {pick(ACTION_LABELS[a], language)}
              </Button>
            ))}
            {buttons.length === 0 && (
              <Typography.Text type="secondary">
                {t('您目前对此事件没有可执行的操作', 'Nothing for you to do on this case now')}
              </Typography.Text>
            )}
          </Space>
        </Space>
      </Card>

      <Row gutter={[12, 12]}>
        <Col xs={24} xl={14}>
          <Space orientation="vertical" size={12} style={{ width: '100%' }}>
            <Card size="small" title={t('事件信息', 'Case')}>
              <Typography.Paragraph style={{ fontSize: 15 }}>{c.description}</Typography.Paragraph>
              <Descriptions size="small" column={{ xs: 1, md: 2 }} bordered>
                <Descriptions.Item label={t('地址', 'Address')}>{c.address ?? '—'}</Descriptions.Item>
                <Descriptions.Item label={t('网格', 'Grid')}>
                  {c.gridName ?? t('未定网格', 'No grid yet')}
                </Descriptions.Item>
                <Descriptions.Item label={t('来源', 'Source')}>
                  {pick(SOURCE_LABELS[c.source], language)}
                </Descriptions.Item>
                <Descriptions.Item label={t('上报时间', 'Reported')}>
                  {formatTime(c.reportedAt, language)}
                </Descriptions.Item>
                <Descriptions.Item label={t('处置单位', 'Organisation')}>
                  {c.org?.name ?? '—'}
                </Descriptions.Item>
                <Descriptions.Item label={t('处置人', 'Assignee')}>
                  {c.assignee?.name ?? '—'}
                </Descriptions.Item>
                <Descriptions.Item label={t('处置期限', 'Handling deadline')}>
                  {formatTime(c.handleDueAt, language)}
                </Descriptions.Item>
                <Descriptions.Item label={t('评价', 'Rating')}>
                  {c.rating ? pick(RATING_LABELS[c.rating]!, language) : '—'}
                </Descriptions.Item>
                <Descriptions.Item label={t('上报人', 'Reporter')} span={2}>
                  <Space wrap>
                    {c.reporter.isPublicAnonymous && <Tag>{t('匿名', 'Anonymous')}</Tag>}
                    <span data-testid="reporter">
                      {contact?.name ?? c.reporter.name ?? t('（无姓名）', '(no name)')}{' '}
                      {contact?.phone ?? c.reporter.phone ?? ''}
                    </span>
                    {c.reporter.phone && !contact && (
                      <Button size="small" loading={revealing} onClick={reveal}>
                        {t('查看完整号码', 'Show full number')}
                      </Button>
                    )}
                  </Space>
                </Descriptions.Item>
                {c.resultSummary && (
                  <Descriptions.Item label={t('处置结果', 'Result')} span={2}>
                    {c.resultSummary}
                  </Descriptions.Item>
                )}
                {c.rejectReason && (
                  <Descriptions.Item label={t('不予受理原因', 'Rejected because')} span={2}>
                    {c.rejectReason}
                  </Descriptions.Item>
                )}
                {category && (
                  <Descriptions.Item label={t('结案标准', 'Closure standard')} span={2}>
                    {c.closureStandard || category.closureStandard || '—'}
                  </Descriptions.Item>
                )}
              </Descriptions>
            </Card>
            <Card size="small" title={t(`照片（${c.photos.length}）`, `Photos (${c.photos.length})`)}>
              {c.photos.length === 0 ? (
                <Typography.Text type="secondary">{t('没有照片', 'No photos')}</Typography.Text>
              ) : (
                <Image.PreviewGroup>
                  <Space wrap>
                    {c.photos.map((photo) => (
                      <Image
                        key={photo.id}
                        width={120}
                        height={90}
                        style={{ objectFit: 'cover' }}
                        src={photo.urls.thumb}
                        preview={{ src: photo.urls.public }}
                        alt={t(`${photo.stage} 照片`, `${photo.stage} photo`)}
                      />
                    ))}
                  </Space>
                </Image.PreviewGroup>
              )}
            </Card>
            <Card size="small" title={t('位置', 'Location')}>
              {c.location ? (
                <CaseMap location={c.location} gridId={c.gridId} />
              ) : (
                <Empty description={t('上报时没有地图位置', 'Reported without a map location')} />
              )}
            </Card>
          </Space>
        </Col>
        <Col xs={24} xl={10}>
          <Card
            size="small"
            title={t('办理过程', 'Timeline')}
            extra={detail.loading ? t('刷新中…', 'Refreshing…') : null}
          >
            <Timeline
              data-testid="timeline"
              items={[...c.timeline].reverse().map((entry) => ({
                color: entry.action === 'escalate' ? 'red' : entry.action === 'note' ? 'gray' : 'blue',
                children: (
                  <div>
                    <Typography.Text strong>{pick(entry.label, language)}</Typography.Text>{' '}
                    <Typography.Text type="secondary">
                      {entry.actor.name ?? (entry.actor.role === 'system' ? t('系统', 'System') : '')} ·{' '}
                      {formatTime(entry.at, language)}
                    </Typography.Text>
                    <TimelineDetails details={entry.details} />
                    <div>
                      <Typography.Text
                        type="secondary"
                        style={{ fontSize: 12 }}
                        copyable={{ text: entry.hash }}
                      >
                        #{entry.seq} {entry.hash.slice(0, 12)}…
                      </Typography.Text>
                    </div>
                  </div>
                ),
              }))}
            />
            <Button
              size="small"
              onClick={() =>
                navigate(`/console/admin/journal?recordType=case&recordId=${c.id}&streetId=${c.streetId}`)
              }
            >
              {t('核验存证日志', 'Verify its journal')}
            </Button>
          </Card>
        </Col>
      </Row>

      {action && (
        <ActionDialog
          action={action}
          current={c}
          category={category}
          onDone={async (updated, note) => {
            setAction(null);
            seen.current = undefined;
            if (updated) {
              message.success(note ?? t('已完成', 'Done'));
              await detail.reload();
            }
          }}
          reload={async () => {
            const fresh = await api.get<CaseDetail>(`/api/cases/${id}`);
            return { fresh, changes: describeChanges(c, fresh, language) };
          }}
        />
      )}
      {detail.error && <Alert type="warning" showIcon title={detail.error.text()} />}
    </Space>
  );
}

function TimelineDetails({ details }: { details: Record<string, unknown> }) {
  const t = useT();
  const [language] = useLanguage();
  const lines: string[] = [];
  const text = (key: string) => (typeof details[key] === 'string' ? (details[key] as string) : undefined);
  if (text('reason')) lines.push(`${t('原因', 'Reason')}：${text('reason')}`);
  if (text('result')) lines.push(`${t('结果', 'Result')}：${text('result')}`);
  if (text('note')) lines.push(`${t('备注', 'Note')}：${text('note')}`);
  if (text('text')) lines.push(text('text')!);
  if (text('comment')) lines.push(`${t('意见', 'Comment')}：${text('comment')}`);
  if (text('rating'))
    lines.push(
      `${t('评价', 'Rating')}：${pick(RATING_LABELS[text('rating')!] ?? { zh: text('rating')!, en: text('rating')! }, language)}`,
    );
  if (typeof details.passed === 'boolean')
    lines.push(
      details.passed ? t('核查通过', 'Check passed') : t('核查未通过，返工', 'Check failed: rework'),
    );
  if (lines.length === 0) return null;
  return (
    <div>
      {lines.map((line) => (
        <Typography.Paragraph key={line} style={{ margin: 0 }}>
          {line}
        </Typography.Paragraph>
      ))}
    </div>
  );
}

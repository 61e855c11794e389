import {
  CASE_SOURCES,
  CASE_STATES,
  CONSOLE_QUEUES,
  QUEUE_FILTERS,
  type Case,
  type CasePage,
  type ConsoleQueue,
  type QueueCounts,
  type SavedFilter,
  type SavedFilterQuery,
} from '@minqing/contract';
import {
  Alert,
  Badge,
  Button,
  Card,
  Cascader,
  DatePicker,
  Dropdown,
  Empty,
  Input,
  Select,
  Space,
  Table,
  Tabs,
  Tag,
  TreeSelect,
  Typography,
  type TableColumnsType,
} from 'antd';
import dayjs from 'dayjs';
import { useEffect, useMemo, useState } from 'react';
import { api, query } from '../../shared/api.ts';
import { pick, useLanguage, useT } from '../../shared/i18n.ts';
import { loadAreaTrees, loadCategories } from '../common/data.ts';
import { formatTime, formatTimeLeft } from '../shell/format.ts';
import { QUEUE_LABELS, SOURCE_LABELS, STATE_COLORS, STATE_LABELS } from '../shell/labels.ts';
import { navigate, setSearch, useLocation } from '../shell/router.ts';
import { hasCapability, useSession } from '../shell/session.tsx';
import { pollInterval, useCaseEvents } from '../shell/live.ts';
import { useRequest } from '../shell/use-request.ts';
import { BulkDialog } from './BulkDialog.tsx';
import { SaveFilterDialog } from './SaveFilterDialog.tsx';

/** The shared filters, as they sit in the address (so a reload or a link keeps them). */
interface Filters {
  queue: ConsoleQueue | 'all';
  unitId?: string;
  category?: string;
  source?: string[];
  state?: string[];
  reportedFrom?: string;
  reportedTo?: string;
  q?: string;
}

function readFilters(search: URLSearchParams, firstQueue: ConsoleQueue | undefined): Filters {
  const queue = search.get('queue');
  const list = (key: string) => search.get(key)?.split(',').filter(Boolean) || undefined;
  return {
    // Without a choice, the first queue of the person's work; 'all' is asked for explicitly.
    queue: (CONSOLE_QUEUES as readonly string[]).includes(queue ?? '')
      ? (queue as ConsoleQueue)
      : queue === 'all'
        ? 'all'
        : (firstQueue ?? 'all'),
    unitId: search.get('unitId') ?? undefined,
    category: search.get('category') ?? undefined,
    source: list('source'),
    state: list('state'),
    reportedFrom: search.get('reportedFrom') ?? undefined,
    reportedTo: search.get('reportedTo') ?? undefined,
    q: search.get('q') ?? undefined,
  };
}

function writeFilters(filters: Filters): void {
  setSearch({
    queue: filters.queue,
    unitId: filters.unitId,
    category: filters.category,
    source: filters.source?.join(','),
    state: filters.queue === 'all' ? filters.state?.join(',') : undefined,
    reportedFrom: filters.reportedFrom,
    reportedTo: filters.reportedTo,
    q: filters.q,
  });
}

/** Which queues a person works on, from what they may do (the counts come from the server). */
const QUEUE_CAPABILITIES: Record<ConsoleQueue, Parameters<typeof hasCapability>[1]> = {
  to_accept: 'case.accept',
  to_dispatch: 'case.dispatch',
  overdue: ['case.accept', 'case.supervise', 'case.handle', 'case.verify'],
  near_deadline: ['case.accept', 'case.supervise', 'case.handle', 'case.verify'],
  to_verify: 'case.verify',
  to_follow_up: 'case.follow_up',
  escalated: ['case.accept', 'case.supervise'],
};

const PAGE_SIZE = 50;

export default function WorkbenchPage() {
  const { me } = useSession();
  const [language] = useLanguage();
  const t = useT();
  const { search } = useLocation();
  const queues = CONSOLE_QUEUES.filter((queue) => hasCapability(me, QUEUE_CAPABILITIES[queue]));
  const filters = readFilters(search, queues[0]);
  const filterKey = JSON.stringify(filters);
  const [text, setText] = useState(filters.q ?? '');
  const [pages, setPages] = useState<Case[][]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [selected, setSelected] = useState<Case[]>([]);
  const [bulk, setBulk] = useState<'accept' | 'dispatch' | 'remind' | null>(null);
  const [saving, setSaving] = useState(false);

  useEffect(() => setText(filters.q ?? ''), [filters.q]);

  const shared = {
    unitId: filters.unitId,
    category: filters.category,
    source: filters.source,
    reportedFrom: filters.reportedFrom,
    reportedTo: filters.reportedTo,
    q: filters.q,
  };
  const counts = useRequest(
    () => api.get<QueueCounts>(`/api/console/queues${query(shared)}`),
    `counts:${filterKey}`,
  );
  const listQuery = {
    ...shared,
    ...(filters.queue === 'all' ? { state: filters.state } : QUEUE_FILTERS[filters.queue]),
    limit: PAGE_SIZE,
  };
  const list = useRequest(() => api.get<CasePage>(`/api/cases${query(listQuery)}`), `list:${filterKey}`);
  useEffect(() => {
    if (list.data) {
      setPages([list.data.items]);
      setCursor(list.data.nextCursor);
      setSelected([]);
    }
  }, [list.data]);

  // The queues move as colleagues work: the live stream says when (the list is reloaded too unless
  // the person is choosing cases or has paged further); a poll remains for when the stream is down.
  const liveStatus = useCaseEvents(
    () => {
      void counts.reload();
      if (selected.length === 0 && pages.length <= 1) void list.reload();
    },
    { throttleMs: 800 },
  );
  useEffect(() => {
    const again = () => {
      if (document.visibilityState === 'visible') void counts.reload();
    };
    const timer = window.setInterval(again, pollInterval(liveStatus, 30_000));
    document.addEventListener('visibilitychange', again);
    return () => {
      window.clearInterval(timer);
      document.removeEventListener('visibilitychange', again);
    };
  }, [counts, liveStatus]);

  const categories = useRequest(loadCategories, 'categories');
  const areas = useRequest(() => loadAreaTrees(me), `areas:${me.id}`);
  const saved = useRequest(() => api.get<{ items: SavedFilter[] }>('/api/console/saved-filters'), 'saved');

  const rows = pages.flat();
  const bulkActions = (['accept', 'dispatch', 'remind'] as const).filter(
    (action) => selected.length > 0 && selected.every((row) => row.allowedActions.includes(action)),
  );

  const update = (change: Partial<Filters>) => writeFilters({ ...filters, ...change });

  const columns: TableColumnsType<Case> = [
    {
      title: t('编号', 'Number'),
      dataIndex: 'code',
      width: 150,
      render: (code: string, row) => (
        <a
          href={`/console/cases/${row.id}`}
          onClick={(event) => {
            event.preventDefault();
            navigate(`/console/cases/${row.id}`);
          }}
        >
          {code}
        </a>
      ),
    },
    {
      title: t('分类', 'Category'),
      width: 130,
      render: (_, row) => pick(row.category.name, language),
    },
    {
      title: t('问题描述', 'Description'),
      dataIndex: 'description',
      ellipsis: true,
      render: (description: string, row) => (
        <span title={description}>
          {row.priority === 'urgent' && <Tag color="red">{t('紧急', 'Urgent')}</Tag>}
          {description}
        </span>
      ),
    },
    {
      title: t('网格', 'Grid'),
      dataIndex: 'gridName',
      width: 110,
      render: (name: string | null) =>
        name ?? <Typography.Text type="warning">{t('未定网格', 'No grid')}</Typography.Text>,
    },
    {
      title: t('状态', 'State'),
      width: 100,
      render: (_, row) => <Tag color={STATE_COLORS[row.state]}>{pick(row.stateName, language)}</Tag>,
    },
    {
      title: t('时限', 'Time left'),
      width: 150,
      render: (_, row) =>
        row.timeLeftMinutes === null ? (
          '—'
        ) : (
          <Typography.Text
            type={row.isOverdue ? 'danger' : row.timeLeftMinutes < 240 ? 'warning' : undefined}
          >
            {formatTimeLeft(row.timeLeftMinutes, language)}
            {row.escalationLevel > 0 && (
              <Tag color="volcano" style={{ marginInlineStart: 6 }}>
                {t(`督办${row.escalationLevel}`, `Esc. ${row.escalationLevel}`)}
              </Tag>
            )}
          </Typography.Text>
        ),
    },
    {
      title: t('来源', 'Source'),
      width: 100,
      render: (_, row) => pick(SOURCE_LABELS[row.source], language),
    },
    {
      title: t('上报时间', 'Reported'),
      width: 150,
      render: (_, row) => formatTime(row.reportedAt, language),
    },
  ];

  const categoryOptions = useMemo(
    () =>
      (categories.data?.groups ?? []).map((group) => ({
        value: group.majorCode,
        label: pick(group.name, language),
        children: group.categories.map((c) => ({
          value: c.code,
          label: `${c.code} ${pick(c.name, language)}`,
        })),
      })),
    [categories.data, language],
  );
  const unitTree = useMemo(() => {
    type Option = { value: string; title: string; children: Option[] };
    const convert = (node: NonNullable<typeof areas.data>[number]): Option => ({
      value: node.id,
      title: node.name,
      children: node.children.map(convert),
    });
    return (areas.data ?? []).map(convert);
  }, [areas.data]);

  const savedQuery = (): SavedFilterQuery => ({
    ...(filters.queue !== 'all' ? { queue: filters.queue } : {}),
    ...(filters.unitId ? { unitId: filters.unitId } : {}),
    ...(filters.category ? { category: filters.category } : {}),
    ...(filters.source ? { source: filters.source as SavedFilterQuery['source'] } : {}),
    ...(filters.state && filters.queue === 'all'
      ? { state: filters.state as SavedFilterQuery['state'] }
      : {}),
    ...(filters.reportedFrom ? { reportedFrom: filters.reportedFrom } : {}),
    ...(filters.reportedTo ? { reportedTo: filters.reportedTo } : {}),
    ...(filters.q ? { q: filters.q } : {}),
  });

  const applySaved = (filter: SavedFilter) =>
    writeFilters({
      queue: filter.query.queue ?? 'all',
      unitId: filter.query.unitId,
      category: filter.query.category,
      source: filter.query.source,
      state: filter.query.state,
      reportedFrom: filter.query.reportedFrom,
      reportedTo: filter.query.reportedTo,
      q: filter.query.q,
    });

  const tabItems = [
    ...queues.map((queue) => ({
      key: queue,
      label: (
        <span data-queue={queue}>
          {pick(QUEUE_LABELS[queue], language)}{' '}
          <Badge
            // Until the counts arrive the tab shows no number rather than a misleading 0.
            count={counts.data ? counts.data.counts[queue] : '…'}
            showZero
            overflowCount={9999}
            color={
              !counts.data?.counts[queue]
                ? '#6b7280'
                : queue === 'overdue' || queue === 'escalated'
                  ? '#b91c1c'
                  : '#1d4ed8'
            }
          />
        </span>
      ),
    })),
    {
      key: 'all',
      label: (
        <span data-queue="all">
          {t('全部', 'All')}{' '}
          <Badge
            count={counts.data ? counts.data.openTotal : '…'}
            showZero
            overflowCount={99999}
            color="#4b5563"
            title={t('未办结', 'open')}
          />
        </span>
      ),
    },
  ];

  return (
    <Space orientation="vertical" size={12} style={{ width: '100%' }}>
      <Typography.Title level={1} style={{ fontSize: 20, margin: 0 }}>
        {t('事件工作台', 'Case workbench')}
      </Typography.Title>
      <Card size="small">
        <Space wrap size={8} style={{ width: '100%' }}>
          <Input.Search
            aria-label={t('搜索编号、地址或描述', 'Search number, address or description')}
            placeholder={t('搜索编号、地址或描述', 'Search number, address or description')}
            allowClear
            value={text}
            onChange={(event) => setText(event.target.value)}
            onSearch={(value) => update({ q: value.trim() || undefined })}
            style={{ width: 280 }}
          />
          <TreeSelect
            aria-label={t('区域', 'Area')}
            placeholder={t('全部区域', 'All areas')}
            allowClear
            treeDefaultExpandAll
            value={filters.unitId}
            treeData={unitTree}
            onChange={(value?: string) => update({ unitId: value })}
            style={{ width: 200 }}
          />
          <Cascader
            aria-label={t('分类', 'Category')}
            placeholder={t('全部分类', 'All categories')}
            changeOnSelect
            options={categoryOptions}
            value={
              filters.category
                ? filters.category.length === 4
                  ? [filters.category.slice(0, 2), filters.category]
                  : [filters.category]
                : []
            }
            onChange={(value) => update({ category: (value?.at(-1) as string | undefined) ?? undefined })}
            style={{ width: 200 }}
          />
          <Select
            aria-label={t('来源', 'Source')}
            mode="multiple"
            allowClear
            placeholder={t('全部来源', 'All sources')}
            value={filters.source ?? []}
            onChange={(value: string[]) => update({ source: value.length ? value : undefined })}
            options={CASE_SOURCES.map((s) => ({ value: s, label: pick(SOURCE_LABELS[s], language) }))}
            style={{ minWidth: 160 }}
            maxTagCount="responsive"
          />
          {filters.queue === 'all' && (
            <Select
              aria-label={t('状态', 'State')}
              mode="multiple"
              allowClear
              placeholder={t('全部状态', 'All states')}
              value={filters.state ?? []}
              onChange={(value: string[]) => update({ state: value.length ? value : undefined })}
              options={CASE_STATES.map((s) => ({ value: s, label: pick(STATE_LABELS[s]!, language) }))}
              style={{ minWidth: 160 }}
              maxTagCount="responsive"
            />
          )}
          <DatePicker.RangePicker
            aria-label={t('上报时间', 'Reported between')}
            value={
              filters.reportedFrom && filters.reportedTo
                ? [dayjs(filters.reportedFrom), dayjs(filters.reportedTo).subtract(1, 'day')]
                : null
            }
            onChange={(range) =>
              update({
                reportedFrom: range?.[0] ? `${range[0].format('YYYY-MM-DD')}T00:00:00+08:00` : undefined,
                reportedTo: range?.[1]
                  ? `${range[1].add(1, 'day').format('YYYY-MM-DD')}T00:00:00+08:00`
                  : undefined,
              })
            }
          />
          <Dropdown
            menu={{
              items: [
                ...(saved.data?.items ?? []).map((filter) => ({
                  key: filter.id,
                  label: (
                    <Space>
                      <span onClick={() => applySaved(filter)}>{filter.name}</span>
                      <Button
                        size="small"
                        type="link"
                        danger
                        aria-label={t(`删除 ${filter.name}`, `Delete ${filter.name}`)}
                        onClick={async (event) => {
                          event.stopPropagation();
                          await api.delete(`/api/console/saved-filters/${filter.id}`);
                          await saved.reload();
                        }}
                      >
                        {t('删除', 'Delete')}
                      </Button>
                    </Space>
                  ),
                })),
                ...(saved.data?.items.length ? [{ type: 'divider' as const }] : []),
                {
                  key: 'save',
                  label: t('保存当前筛选…', 'Save these filters…'),
                  onClick: () => setSaving(true),
                },
              ],
            }}
          >
            <Button>{t('常用筛选', 'Saved filters')}</Button>
          </Dropdown>
          <Button onClick={() => navigate('/console')}>{t('清除筛选', 'Clear filters')}</Button>
        </Space>
      </Card>

      <Card size="small" styles={{ body: { paddingTop: 0 } }}>
        <Tabs
          activeKey={filters.queue}
          onChange={(key) => update({ queue: key as Filters['queue'], state: undefined })}
          items={tabItems}
        />
        {(list.error || counts.error) && (
          <Alert
            type="error"
            showIcon
            title={(list.error ?? counts.error)!.text()}
            action={
              <Button onClick={() => void Promise.all([list.reload(), counts.reload()])}>
                {t('重试', 'Retry')}
              </Button>
            }
            style={{ marginBottom: 12 }}
          />
        )}
        {selected.length > 0 && (
          <Space style={{ marginBottom: 12 }}>
            <Typography.Text>
              {t(`已选 ${selected.length} 件`, `${selected.length} selected`)}
            </Typography.Text>
            {bulkActions.map((action) => (
              <Button
                key={action}
                type={action === 'dispatch' ? 'primary' : 'default'}
                onClick={() => setBulk(action)}
              >
                {action === 'accept'
                  ? t('批量受理', 'Accept all')
                  : action === 'dispatch'
                    ? t('批量派遣', 'Dispatch all')
                    : t('批量催办', 'Remind all')}
              </Button>
            ))}
            {bulkActions.length === 0 && (
              <Typography.Text type="secondary">
                {t('所选事件没有可以一起执行的操作', 'The selected cases have no action in common')}
              </Typography.Text>
            )}
          </Space>
        )}
        <Table<Case>
          rowKey="id"
          size="middle"
          columns={columns}
          dataSource={rows}
          loading={list.loading && rows.length === 0}
          pagination={false}
          // No scroll.x: antd's width-measuring row would clone the select-all checkbox into an
          // aria-hidden row, a focusable element screen readers cannot see. The console is for desks.
          tableLayout="fixed"
          rowSelection={{
            selectedRowKeys: selected.map((row) => row.id),
            onChange: (_keys, chosen) => setSelected(chosen),
            getCheckboxProps: (row) => ({ 'aria-label': row.code }),
          }}
          onRow={(row) => ({ onDoubleClick: () => navigate(`/console/cases/${row.id}`) })}
          locale={{
            emptyText: (
              <Empty
                description={
                  filters.queue === 'all'
                    ? t('没有符合条件的事件。可以放宽筛选条件再看看。', 'No case matches. Try fewer filters.')
                    : t(
                        `“${QUEUE_LABELS[filters.queue].zh}”里没有事件，手头的工作都处理完了。`,
                        `Nothing in “${QUEUE_LABELS[filters.queue].en}”: all done here.`,
                      )
                }
              />
            ),
          }}
        />
        {cursor && (
          <div style={{ textAlign: 'center', marginTop: 12 }}>
            <Button
              onClick={async () => {
                const next = await api.get<CasePage>(`/api/cases${query({ ...listQuery, cursor })}`);
                setPages((all) => [...all, next.items]);
                setCursor(next.nextCursor);
              }}
            >
              {t('加载更多', 'Load more')}
            </Button>
          </div>
        )}
      </Card>

      {bulk && (
        <BulkDialog
          action={bulk}
          cases={selected}
          onClose={async (changed) => {
            setBulk(null);
            if (changed) await Promise.all([list.reload(), counts.reload()]);
          }}
        />
      )}
      {saving && (
        <SaveFilterDialog
          query={savedQuery()}
          onClose={async (changed) => {
            setSaving(false);
            if (changed) await saved.reload();
          }}
        />
      )}
    </Space>
  );
}

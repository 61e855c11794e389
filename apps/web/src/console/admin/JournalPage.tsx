import { verifyRecordJournal, type RecordVerification } from '@minqing/contract/journal-verify';
import {
  type BatchList,
  type JournalBrowsePage,
  type JournalKeys,
  type RecordJournal,
  type UnitDetail,
  type VerificationRun,
} from '@minqing/contract';
import { Alert, Button, Card, Drawer, Input, Progress, Select, Space, Table, Tag, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { api, ApiError, query } from '../../shared/api.ts';
import { pick, useLanguage, useT } from '../../shared/i18n.ts';
import { formatTime } from '../shell/format.ts';
import { setSearch, useLocation } from '../shell/router.ts';
import { roleUnits, useSession } from '../shell/session.tsx';
import { useRequest } from '../shell/use-request.ts';

const short = (hash: string | null) => (hash ? `${hash.slice(0, 10)}…` : '—');

/** The streets the person's roles lie in (a community admin's street is its community's). */
async function loadStreets(
  units: { id: string; kind: string; name: string }[],
): Promise<{ id: string; name: string }[]> {
  const streets = new Map<string, string>();
  for (const unit of units) {
    if (unit.kind === 'street') streets.set(unit.id, unit.name);
    else {
      const detail = await api.get<UnitDetail>(`/api/units/${unit.id}`);
      const street = detail.ancestors.find((a) => a.kind === 'street');
      if (street) streets.set(street.id, street.name);
    }
  }
  return [...streets].map(([id, name]) => ({ id, name }));
}

/**
 * The journal (存证日志): a street's entries with their hashes and the link to each record's previous
 * entry; one record's whole chain checked in this browser (Web Crypto) against the signed batch
 * heads; the whole street verified on the server with a progress bar; the signed checkpoints
 * (batch heads and keys) as a file to keep elsewhere.
 */
export default function JournalPage() {
  const { me } = useSession();
  const t = useT();
  const [language] = useLanguage();
  const { search } = useLocation();
  const streets = useRequest(() => loadStreets(roleUnits(me)), `streets:${me.id}`);
  const streetId = search.get('streetId') ?? streets.data?.[0]?.id;
  const recordType = search.get('recordType') ?? undefined;
  const recordId = search.get('recordId') ?? undefined;
  const [before, setBefore] = useState<number[]>([]);
  const page = useRequest(
    streetId
      ? () =>
          api.get<JournalBrowsePage>(
            `/api/console/journal/entries${query({ streetId, recordType, recordId, before: before.at(-1), limit: 30 })}`,
          )
      : null,
    `${streetId}:${recordType}:${recordId}:${before.at(-1)}`,
  );
  const [openRecord, setOpenRecord] = useState<{ type: string; id: string } | null>(
    recordType && recordId ? { type: recordType, id: recordId } : null,
  );
  const [run, setRun] = useState<VerificationRun>();
  const [runError, setRunError] = useState<ApiError>();
  const [downloading, setDownloading] = useState(false);

  useEffect(() => setBefore([]), [streetId, recordType, recordId]);

  // Poll the run until it is done; the bar follows the server's progress.
  useEffect(() => {
    if (!run || run.status !== 'running') return;
    const timer = window.setTimeout(async () => {
      try {
        setRun(await api.get<VerificationRun>(`/api/console/journal/verifications/${run.id}`));
      } catch (caught) {
        setRunError(caught as ApiError);
      }
    }, 400);
    return () => window.clearTimeout(timer);
  }, [run]);

  const startRun = async () => {
    if (!streetId) return;
    setRunError(undefined);
    try {
      setRun(await api.post<VerificationRun>('/api/console/journal/verifications', { streetId }));
    } catch (caught) {
      setRunError(caught as ApiError);
    }
  };

  const downloadCheckpoints = async () => {
    if (!streetId) return;
    setDownloading(true);
    try {
      const heads: BatchList['items'] = [];
      let after: number | null = 0;
      while (after !== null) {
        const batchPage: BatchList = await api.get<BatchList>(
          `/api/journal/batches${query({ streetId, after, limit: 500 })}`,
        );
        heads.push(...batchPage.items);
        after = batchPage.nextAfter;
      }
      const keys = await api.get<JournalKeys>('/.well-known/minqing/journal-keys.json');
      const file = new Blob(
        [
          JSON.stringify(
            {
              format: 'minqing-checkpoints/1',
              streetId,
              downloadedAt: new Date().toISOString(),
              keys: keys.keys,
              batches: heads,
            },
            null,
            2,
          ),
        ],
        { type: 'application/json' },
      );
      const link = document.createElement('a');
      link.href = URL.createObjectURL(file);
      link.download = `checkpoints-${streetId}-${new Date().toISOString().slice(0, 10)}.json`;
      link.click();
      URL.revokeObjectURL(link.href);
    } catch (caught) {
      setRunError(caught as ApiError);
    } finally {
      setDownloading(false);
    }
  };

  const percent = run
    ? run.total > 0
      ? Math.floor((run.checked / run.total) * 100)
      : run.status === 'running'
        ? 0
        : 100
    : 0;

  return (
    <Space orientation="vertical" size={12} style={{ width: '100%' }}>
      <Typography.Title level={1} style={{ fontSize: 20, margin: 0 }}>
        {t('存证日志', 'Journal')}
      </Typography.Title>
      <Card size="small" title={t('核验', 'Verification')}>
        <Space wrap>
          {(streets.data?.length ?? 0) > 1 && (
            <Select
              aria-label={t('街道', 'Street')}
              value={streetId}
              onChange={(value: string) => setSearch({ streetId: value })}
              options={(streets.data ?? []).map((s) => ({ value: s.id, label: s.name }))}
              style={{ width: 180 }}
            />
          )}
          <Button
            type="primary"
            onClick={() => void startRun()}
            loading={run?.status === 'running'}
            disabled={!streetId}
          >
            {t('核验本街道全部日志', 'Verify the street’s journal')}
          </Button>
          <Button onClick={() => void downloadCheckpoints()} loading={downloading} disabled={!streetId}>
            {t('下载签名检查点', 'Download signed checkpoints')}
          </Button>
        </Space>
        {runError && <Alert type="error" showIcon title={runError.text()} style={{ marginTop: 12 }} />}
        {run && (
          <div style={{ marginTop: 12 }} data-testid="verification">
            <Progress
              percent={percent}
              status={run.status === 'running' ? 'active' : run.status === 'passed' ? 'success' : 'exception'}
              aria-label={t('核验进度', 'Verification progress')}
            />
            <Typography.Text>
              {run.status === 'running'
                ? t(
                    `正在核验${run.phase === 'projections' ? '当前数据与日志是否一致' : '日志条目'}：${run.checked} / ${run.total}`,
                    `Checking ${run.phase}: ${run.checked} / ${run.total}`,
                  )
                : run.status === 'passed'
                  ? t(
                      `核验通过：${run.report?.entries} 条日志、${run.report?.records} 个记录、${run.report?.batches} 个签名批次，未发现问题（${((run.report?.durationMs ?? 0) / 1000).toFixed(1)} 秒）。`,
                      `Passed: ${run.report?.entries} entries, ${run.report?.records} records, ${run.report?.batches} signed batches, no problem (${((run.report?.durationMs ?? 0) / 1000).toFixed(1)} s).`,
                    )
                  : run.status === 'failed'
                    ? t(
                        `发现 ${run.report?.problemCount} 个问题：`,
                        `${run.report?.problemCount} problems found:`,
                      )
                    : t(`核验未能完成：${run.error}`, `The verification could not finish: ${run.error}`)}
            </Typography.Text>
            {run.status === 'failed' && (
              <ul>
                {(run.report?.problems ?? []).map((problem, index) => {
                  const message = problem.message as { zh: string; en: string } | undefined;
                  return <li key={index}>{message ? pick(message, language) : JSON.stringify(problem)}</li>;
                })}
              </ul>
            )}
          </div>
        )}
      </Card>
      <Card
        size="small"
        title={t('日志条目', 'Entries')}
        extra={
          <Space>
            <Select
              aria-label={t('记录类型', 'Record type')}
              allowClear
              placeholder={t('全部类型', 'All types')}
              value={recordType}
              onChange={(value?: string) => setSearch({ streetId, recordType: value })}
              options={['case', 'unit', 'organisation', 'routing_rule'].map((type) => ({
                value: type,
                label: type,
              }))}
              style={{ width: 150 }}
            />
            <Input.Search
              aria-label={t('记录编号（UUID）', 'Record id (UUID)')}
              placeholder={t('记录 ID', 'Record id')}
              allowClear
              defaultValue={recordId}
              onSearch={(value) => setSearch({ streetId, recordType, recordId: value.trim() || undefined })}
              style={{ width: 300 }}
            />
          </Space>
        }
      >
        {page.error?.status === 403 ? (
          <Alert
            type="info"
            showIcon
            style={{ marginBottom: 12 }}
            title={t(
              '整个街道的日志由街道管理员和审计员浏览与核验。单个事件的日志可在事件页点“核验存证日志”查看并在本浏览器核验。',
              'The whole street’s journal is browsed and verified by street administrators and auditors. A case’s own journal opens from its page (“Verify its journal”) and is checked in this browser.',
            )}
          />
        ) : (
          page.error && <Alert type="error" showIcon title={page.error.text()} style={{ marginBottom: 12 }} />
        )}
        <Table
          size="small"
          rowKey="id"
          loading={page.loading}
          dataSource={page.data?.items ?? []}
          pagination={false}
          scroll={{ x: 900 }}
          columns={[
            { title: '#', dataIndex: 'id', width: 80 },
            {
              title: t('时间', 'At'),
              dataIndex: 'at',
              width: 150,
              render: (at: string) => formatTime(at, language),
            },
            {
              title: t('记录', 'Record'),
              render: (_, row) => (
                <Button
                  type="link"
                  size="small"
                  style={{ padding: 0, height: 'auto' }}
                  onClick={() => setOpenRecord({ type: row.recordType, id: row.recordId })}
                >
                  {row.recordType} {row.recordId.slice(0, 8)} · {t(`第 ${row.seq} 条`, `#${row.seq}`)}
                </Button>
              ),
            },
            { title: t('动作', 'Action'), dataIndex: 'action', width: 100 },
            {
              title: t('哈希', 'Hash'),
              dataIndex: 'hash',
              render: (hash: string) => (
                <Typography.Text code copyable={{ text: hash }}>
                  {short(hash)}
                </Typography.Text>
              ),
            },
            {
              title: t('前一条哈希', 'Previous hash'),
              dataIndex: 'prevHash',
              render: (hash: string | null) => <Typography.Text code>{short(hash)}</Typography.Text>,
            },
            {
              title: t('批次', 'Batch'),
              dataIndex: 'batchId',
              width: 90,
              render: (batch: number | null) =>
                batch ? <Tag color="green">{batch}</Tag> : <Tag>{t('待封存', 'unsealed')}</Tag>,
            },
          ]}
        />
        <Space style={{ marginTop: 12 }}>
          <Button disabled={before.length === 0} onClick={() => setBefore((b) => b.slice(0, -1))}>
            {t('较新', 'Newer')}
          </Button>
          <Button
            disabled={!page.data?.nextBefore}
            onClick={() => page.data?.nextBefore && setBefore((b) => [...b, page.data!.nextBefore!])}
          >
            {t('较早', 'Older')}
          </Button>
        </Space>
      </Card>
      {openRecord && <RecordDrawer record={openRecord} onClose={() => setOpenRecord(null)} />}
    </Space>
  );
}

/** One record's chain, recomputed in the browser: each hash, each link, each proof and signature. */
function RecordDrawer({ record, onClose }: { record: { type: string; id: string }; onClose: () => void }) {
  const t = useT();
  const [language] = useLanguage();
  const journal = useRequest(
    () => api.get<RecordJournal>(`/api/journal/records/${record.type}/${record.id}`),
    `${record.type}:${record.id}`,
  );
  const [check, setCheck] = useState<RecordVerification>();
  const [checkError, setCheckError] = useState<string>();
  useEffect(() => {
    if (!journal.data) return;
    let cancelled = false;
    api
      .get<JournalKeys>('/.well-known/minqing/journal-keys.json')
      .then((keys) => verifyRecordJournal(journal.data!, keys.keys))
      .then((result) => !cancelled && setCheck(result))
      .catch((error: unknown) => !cancelled && setCheckError(String((error as Error).message ?? error)));
    return () => {
      cancelled = true;
    };
  }, [journal.data]);
  const byseq = new Map(check?.entries.map((e) => [e.seq, e]));
  return (
    <Drawer open width={760} title={`${record.type} ${record.id}`} onClose={onClose}>
      {journal.error && <Alert type="error" showIcon title={journal.error.text()} />}
      {checkError && (
        <Alert
          type="warning"
          showIcon
          title={t(`浏览器核验不可用：${checkError}`, `In-browser check unavailable: ${checkError}`)}
        />
      )}
      {check && (
        <Alert
          type={check.isValid ? 'success' : 'error'}
          showIcon
          style={{ marginBottom: 12 }}
          title={
            check.isValid
              ? t(
                  '已在本浏览器重新计算：哈希、链接、默克尔证明和签名全部正确。',
                  'Recomputed in this browser: hashes, links, Merkle proofs and signatures all check.',
                )
              : check.problems.map((p) => pick(p.message, language)).join('；')
          }
        />
      )}
      <Table
        size="small"
        rowKey="seq"
        pagination={false}
        dataSource={journal.data?.entries ?? []}
        columns={[
          { title: t('序号', 'Seq'), dataIndex: 'seq', width: 60 },
          { title: t('动作', 'Action'), dataIndex: 'action', width: 90 },
          {
            title: t('时间', 'At'),
            dataIndex: 'at',
            width: 140,
            render: (at: string) => formatTime(at, language),
          },
          {
            title: t('哈希 / 前一条', 'Hash / previous'),
            render: (_, entry) => (
              <div>
                <Typography.Text code copyable={{ text: entry.hash }}>
                  {short(entry.hash)}
                </Typography.Text>
                <br />
                <Typography.Text type="secondary" code>
                  ← {short(entry.prevHash)}
                </Typography.Text>
              </div>
            ),
          },
          {
            title: t('核验', 'Check'),
            width: 120,
            render: (_, entry) => {
              const c = byseq.get(entry.seq);
              if (!c) return '…';
              const ok = c.isHashValid && c.isChainValid && c.isProofValid !== false;
              return (
                <Space orientation="vertical" size={0}>
                  <Tag color={ok ? 'green' : 'red'}>{ok ? t('正确', 'valid') : t('不符', 'broken')}</Tag>
                  {c.isProofValid === null && (
                    <Typography.Text type="secondary">{t('待封存', 'unsealed')}</Typography.Text>
                  )}
                </Space>
              );
            },
          },
        ]}
      />
    </Drawer>
  );
}

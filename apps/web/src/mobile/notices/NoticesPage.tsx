import type { PublicNoticeList, UnitSummary } from '@minqing/contract';
import { ErrorBlock, List, Popup, PullToRefresh, SpinLoading } from 'antd-mobile';
import { useCallback, useEffect, useState } from 'react';
import { fetchTopUnits } from '../../features/map/units-api.ts';
import { useUrlUnit } from '../../features/map/use-url-unit.ts';
import { api } from '../../shared/api.ts';
import { useLanguage, useT } from '../../shared/i18n.ts';
import { PageBar } from '../components/PageBar.tsx';
import { useViewerArea } from '../map/use-viewer-area.ts';
import { goBack, navigate } from '../router.ts';
import { NoticeTags } from './NoticeTags.tsx';
import { fetchNotices, formatDate, keptList } from './notices-store.ts';
import './notices.css';

/** The community a visitor without an account chose last time (they need not choose again). */
const CHOSEN_KEY = 'mq-notices-unit';

function chosenUnit(): string | null {
  try {
    return localStorage.getItem(CHOSEN_KEY);
  } catch {
    return null;
  }
}

/**
 * /m/notices — 社区公告: the notices of the viewer's community (a resident's home; otherwise a community
 * chosen from the area list, as the map does), with the street's above it; pinned and urgent first.
 * Pull down to refresh; without a network the list kept from the last visit is shown, and says so.
 */
export default function NoticesPage() {
  const t = useT();
  const [language] = useLanguage();
  const [urlUnit, setUrlUnit] = useUrlUnit();
  const area = useViewerArea(urlUnit ?? chosenUnit());
  const unitId = area.unit?.id ?? null;
  const [list, setList] = useState<PublicNoticeList | null>(null);
  const [keptAt, setKeptAt] = useState<string | null>(null);
  const [failed, setFailed] = useState(false);
  const [choosing, setChoosing] = useState(false);

  const load = useCallback(async () => {
    if (!unitId) return;
    try {
      setList(await fetchNotices(unitId));
      setKeptAt(null);
      setFailed(false);
    } catch {
      const kept = keptList(unitId);
      if (kept) {
        setList(kept.list);
        setKeptAt(kept.savedAt);
      } else setFailed(true);
    }
  }, [unitId]);

  useEffect(() => {
    setList(null);
    void load();
  }, [load]);
  // Back on the page (from the detail, or the phone woke up): read again.
  useEffect(() => {
    const again = () => {
      if (document.visibilityState === 'visible') void load();
    };
    document.addEventListener('visibilitychange', again);
    window.addEventListener('online', again);
    return () => {
      document.removeEventListener('visibilitychange', again);
      window.removeEventListener('online', again);
    };
  }, [load]);

  const choose = (id: string) => {
    try {
      localStorage.setItem(CHOSEN_KEY, id);
    } catch {
      // not kept: they choose again next time
    }
    setChoosing(false);
    setUrlUnit(id);
  };

  const isStreet = area.unit?.kind === 'street';
  let content;
  if (area.loading && !area.unit) content = <Spinner />;
  else if (area.error || (!area.loading && !area.unit))
    content = (
      <ErrorBlock
        status="disconnected"
        title={t('无法确定您的社区', 'Could not tell which community is yours')}
        description={t(
          '请检查网络后再试，或点右上角选择社区。',
          'Check the network and try again, or choose a community.',
        )}
      />
    );
  else if (failed)
    content = (
      <ErrorBlock
        status="disconnected"
        title={t('公告暂时打不开', 'Notices cannot be loaded now')}
        description={t('请检查网络，下拉可重试。', 'Check the network; pull down to try again.')}
      />
    );
  else if (!list) content = <Spinner />;
  else
    content = (
      <>
        {keptAt && (
          <p className="mn-kept" role="status">
            {t(
              `离线：显示 ${formatDate(keptAt, 'zh')} 保存的公告`,
              `Offline: notices as saved on ${formatDate(keptAt, 'en')}`,
            )}
          </p>
        )}
        {list.items.length === 0 ? (
          <div className="mn-empty">
            <p>{t(`${list.unit.name}目前没有公告。`, `${list.unit.name} has no notices at the moment.`)}</p>
            <p>
              {t(
                '社区（村）或街道发布停水停电、疫苗接种、议事会等通知后，会显示在这里。',
                'Water or power cuts, vaccinations, council meetings and other notices from the community or street appear here.',
              )}
            </p>
          </div>
        ) : (
          <List className="m-card" aria-label={t('公告列表', 'Notices')}>
            {list.items.map((notice) => (
              <List.Item
                key={notice.id}
                arrowIcon
                className={notice.category === 'urgent' ? 'mn-item-urgent' : undefined}
                onClick={() => navigate(`/m/notices/${notice.id}`)}
              >
                <NoticeTags notice={notice} />
                <div className="mn-item-title">{notice.title}</div>
                <div className="mn-item-meta">
                  {notice.unit.name} · {formatDate(notice.publishedAt, language)}
                </div>
              </List.Item>
            ))}
          </List>
        )}
      </>
    );

  return (
    <div className="m-scroll">
      <PageBar onBack={() => goBack()}>{t('社区公告', 'Notices')}</PageBar>
      {area.unit && (
        <div className="mn-area">
          <span>
            {isStreet
              ? t(`${area.unit.name}（请选择您的社区或村）`, `${area.unit.name} (choose your community)`)
              : area.unit.name}
          </span>
          <button type="button" onClick={() => setChoosing(true)}>
            {t('切换社区', 'Change')}
          </button>
        </div>
      )}
      <PullToRefresh
        onRefresh={load}
        pullingText={t('下拉刷新', 'Pull to refresh')}
        canReleaseText={t('松开刷新', 'Release to refresh')}
        refreshingText={t('正在刷新…', 'Refreshing…')}
        completeText={t('已刷新', 'Refreshed')}
      >
        {content}
      </PullToRefresh>
      <Popup
        visible={choosing}
        onMaskClick={() => setChoosing(false)}
        bodyStyle={{ maxHeight: '70vh', overflowY: 'auto' }}
      >
        {choosing && <AreaChooser onChoose={choose} />}
      </Popup>
    </div>
  );
}

function Spinner() {
  const t = useT();
  return (
    <div className="m-loading" role="status">
      <SpinLoading />
      <span>{t('加载中…', 'Loading…')}</span>
    </div>
  );
}

/** The streets and their communities/villages, as the public area list gives them. */
function AreaChooser(props: { onChoose: (id: string) => void }) {
  const t = useT();
  const [streets, setStreets] = useState<{ street: UnitSummary; communities: UnitSummary[] }[] | null>(null);
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    (async () => {
      const top = await fetchTopUnits();
      const withCommunities = await Promise.all(
        top.map(async (street) => ({
          street,
          communities: (
            await api.get<{ items: UnitSummary[] }>(`/api/units/${street.id}/children?kind=community`)
          ).items,
        })),
      );
      setStreets(withCommunities);
    })().catch(() => setFailed(true));
  }, []);
  if (failed)
    return (
      <p className="mn-empty">{t('区域列表打不开，请检查网络。', 'The list of areas cannot be loaded.')}</p>
    );
  if (!streets) return <Spinner />;
  return (
    <div className="mn-choose" role="dialog" aria-label={t('选择社区', 'Choose a community')}>
      {streets.map(({ street, communities }) => (
        <section key={street.id}>
          <h2>{street.name}</h2>
          <List>
            <List.Item arrowIcon onClick={() => props.onChoose(street.id)}>
              {t(`${street.name}（只看街道公告）`, `${street.name} (street notices only)`)}
            </List.Item>
            {communities.map((community) => (
              <List.Item key={community.id} arrowIcon onClick={() => props.onChoose(community.id)}>
                {community.name}
              </List.Item>
            ))}
          </List>
        </section>
      ))}
    </div>
  );
}

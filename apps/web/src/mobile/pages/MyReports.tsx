import type { Case, CasePage } from '@minqing/contract';
import { Button, ErrorBlock, List, PullToRefresh, SpinLoading, Tag } from 'antd-mobile';
import { PageBar } from '../components/PageBar.tsx';
import { useCallback, useEffect, useState } from 'react';
import { api } from '../../shared/api.ts';
import { pick, useLanguage, useT } from '../../shared/i18n.ts';
import { OutboxList } from '../components/OutboxList.tsx';
import { onSent } from '../offline/outbox.ts';
import { goBack, navigate } from '../router.ts';
import { formatTime, STATE_HINTS } from '../text.ts';

const CACHE_KEY = 'minqing.my-reports';

/** /m/mine — my reports, newest first, what waits to be sent on top; kept for offline reading. */
export default function MyReportsPage() {
  const t = useT();
  const [language] = useLanguage();
  const [items, setItems] = useState<Case[] | null>(() => {
    try {
      const text = localStorage.getItem(CACHE_KEY);
      return text ? (JSON.parse(text) as Case[]) : null;
    } catch {
      return null;
    }
  });
  const [offline, setOffline] = useState(false);
  const load = useCallback(async () => {
    try {
      const page = await api.get<CasePage>('/api/cases?mine=reported&limit=100');
      setItems(page.items);
      setOffline(false);
      localStorage.setItem(CACHE_KEY, JSON.stringify(page.items));
    } catch {
      setOffline(true);
      setItems((old) => old ?? []);
    }
  }, []);
  useEffect(() => {
    void load();
    return onSent((event) => event.item.kind === 'report' && void load());
  }, [load]);

  return (
    <div className="m-scroll">
      <PageBar onBack={() => goBack()}>{t('我的上报', 'My reports')}</PageBar>
      <OutboxList kinds={['report']} />
      {offline && (
        <p className="m-banner">
          {t('网络不可用，显示的是上次的记录', 'Offline: showing the last list read')}
        </p>
      )}
      <PullToRefresh onRefresh={load}>
        {items === null ? (
          <div className="m-loading">
            <SpinLoading />
          </div>
        ) : items.length === 0 ? (
          <ErrorBlock
            status="empty"
            title={t('还没有上报过问题', 'No reports yet')}
            description={
              <Button color="primary" onClick={() => navigate('/m/report')}>
                {t('我要上报', 'Report a problem')}
              </Button>
            }
          />
        ) : (
          <List className="m-case-list">
            {items.map((item) => (
              <List.Item
                key={item.id}
                arrowIcon
                onClick={() => navigate(`/m/cases/${item.id}`)}
                description={
                  <>
                    <span>{STATE_HINTS[item.state][language]}</span>
                    <br />
                    <span>
                      {item.code} · {formatTime(item.reportedAt, language)}
                    </span>
                  </>
                }
                extra={
                  <Tag
                    color={
                      item.state === 'closed' ? 'success' : item.state === 'follow_up' ? 'warning' : 'primary'
                    }
                  >
                    {pick(item.stateName, language)}
                  </Tag>
                }
              >
                {pick(item.category.name, language)}：{item.description.slice(0, 24)}
              </List.Item>
            ))}
          </List>
        )}
      </PullToRefresh>
    </div>
  );
}

import type { Notification } from '@minqing/contract';
import { Button, ErrorBlock, List, SpinLoading } from 'antd-mobile';
import { PageBar } from '../components/PageBar.tsx';
import { useCallback, useEffect, useState } from 'react';
import { api } from '../../shared/api.ts';
import { pick, useLanguage, useT } from '../../shared/i18n.ts';
import { goBack, navigate } from '../router.ts';
import { formatTime } from '../text.ts';

interface Page {
  items: Notification[];
  unreadCount: number;
}

/** The number of unread notifications, refreshed every minute while the page is open. */
export function useUnreadCount(enabled: boolean): number {
  const [count, setCount] = useState(0);
  useEffect(() => {
    if (!enabled) return;
    let live = true;
    const read = () =>
      api
        .get<Page>('/api/me/notifications?unreadOnly=true&limit=1')
        .then((page) => live && setCount(page.unreadCount))
        .catch(() => undefined);
    void read();
    const timer = setInterval(read, 60_000);
    return () => {
      live = false;
      clearInterval(timer);
    };
  }, [enabled]);
  return count;
}

/** /m/notifications — what changed on my reports and my work; opening one marks it read. */
export default function NotificationsPage() {
  const t = useT();
  const [language] = useLanguage();
  const [page, setPage] = useState<Page | null>(null);
  const [failed, setFailed] = useState(false);
  const load = useCallback(() => {
    api
      .get<Page>('/api/me/notifications?limit=100')
      .then((value) => {
        setPage(value);
        setFailed(false);
      })
      .catch(() => setFailed(true));
  }, []);
  useEffect(load, [load]);

  async function open(item: Notification) {
    if (!item.readAt) await api.post(`/api/me/notifications/${item.id}/read`).catch(() => undefined);
    if (item.recordType === 'case' && item.recordId) navigate(`/m/cases/${item.recordId}`);
    else load();
  }

  return (
    <div className="m-scroll">
      <PageBar
        onBack={() => goBack()}
        right={
          page && page.unreadCount > 0 ? (
            <Button
              size="mini"
              fill="none"
              onClick={() => void api.post('/api/me/notifications/read-all').then(load)}
            >
              {t('全部已读', 'Mark all read')}
            </Button>
          ) : null
        }
      >
        {t('消息通知', 'Notifications')}
      </PageBar>
      {failed ? (
        <ErrorBlock
          status="disconnected"
          title={t('网络不可用', 'Offline')}
          description={<Button onClick={load}>{t('重试', 'Retry')}</Button>}
        />
      ) : page === null ? (
        <div className="m-loading">
          <SpinLoading />
        </div>
      ) : page.items.length === 0 ? (
        <ErrorBlock
          status="empty"
          title={t('暂无消息', 'No notifications')}
          description={t('上报的问题有进展时会通知您', 'You are told here when a report moves on')}
        />
      ) : (
        <List>
          {page.items.map((item) => (
            <List.Item
              key={item.id}
              arrowIcon={item.recordType === 'case'}
              onClick={() => void open(item)}
              prefix={
                item.readAt ? undefined : (
                  <span className="m-unread" role="img" aria-label={t('未读', 'Unread')} />
                )
              }
              description={formatTime(item.createdAt, language)}
            >
              {pick(item.title, language)}
            </List.Item>
          ))}
        </List>
      )}
    </div>
  );
}

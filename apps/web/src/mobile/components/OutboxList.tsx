import { Button, List, Tag } from 'antd-mobile';
import { useSyncExternalStore } from 'react';
import { useLanguage, useT } from '../../shared/i18n.ts';
import {
  discard,
  flush,
  outboxItems,
  retry,
  sendingId,
  subscribeOutbox,
  type OutboxItem,
  type OutboxKind,
} from '../offline/outbox.ts';

export function useOutbox(): OutboxItem[] {
  return useSyncExternalStore(subscribeOutbox, outboxItems);
}

/** What waits to be sent (待发送), with what is being sent now and what the server refused. */
export function OutboxList(props: { kinds?: OutboxKind[]; title?: string }) {
  const t = useT();
  const [language] = useLanguage();
  const all = useOutbox();
  const sending = useSyncExternalStore(subscribeOutbox, sendingId);
  const items = props.kinds ? all.filter((item) => props.kinds!.includes(item.kind)) : all;
  if (items.length === 0) return null;
  return (
    <div className="m-outbox" data-testid="outbox">
      <List header={props.title ?? t(`等待发送（${items.length}）`, `Waiting to send (${items.length})`)}>
        {items.map((item) => (
          <List.Item
            key={item.id}
            description={
              item.failed
                ? item.failed[language]
                : item.id === sending
                  ? t('正在发送…', 'Sending…')
                  : t(
                      '已保存在手机上，联网后自动发送',
                      'Saved on this phone; it is sent when the network is back',
                    )
            }
            extra={
              item.failed ? (
                <span className="m-outbox-actions">
                  <Button size="mini" onClick={() => void retry(item.id)}>
                    {t('重试', 'Retry')}
                  </Button>
                  <Button size="mini" color="danger" fill="none" onClick={() => void discard(item.id)}>
                    {t('放弃', 'Discard')}
                  </Button>
                </span>
              ) : (
                <Tag color={item.id === sending ? 'primary' : 'warning'} fill="outline">
                  {item.id === sending ? t('发送中', 'Sending') : t('待发送', 'Waiting')}
                </Tag>
              )
            }
          >
            {item.label[language]}
          </List.Item>
        ))}
      </List>
      {items.some((item) => !item.failed) && (
        <div className="m-outbox-send">
          <Button size="small" fill="outline" onClick={() => void flush()}>
            {t('立即发送', 'Send now')}
          </Button>
        </div>
      )}
    </div>
  );
}

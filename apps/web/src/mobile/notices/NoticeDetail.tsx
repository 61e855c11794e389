import type { PublicNotice } from '@minqing/contract';
import { ErrorBlock, SpinLoading } from 'antd-mobile';
import { useEffect, useState } from 'react';
import { ApiError } from '../../shared/api.ts';
import { useLanguage, useT } from '../../shared/i18n.ts';
import { PageBar } from '../components/PageBar.tsx';
import { goBack } from '../router.ts';
import { formatTime } from '../text.ts';
import { NoticeTags } from './NoticeTags.tsx';
import { fetchNotice, keptNotice } from './notices-store.ts';
import './notices.css';

/** /m/notices/:id — one notice, its text as written (line breaks kept). */
export default function NoticeDetail(props: { id: string }) {
  const t = useT();
  const [language] = useLanguage();
  const [notice, setNotice] = useState<PublicNotice | null>(null);
  const [problem, setProblem] = useState<'gone' | 'offline' | null>(null);
  useEffect(() => {
    let live = true;
    fetchNotice(props.id)
      .then((value) => live && setNotice(value))
      .catch((error: unknown) => {
        if (!live) return;
        if (error instanceof ApiError && error.status === 404) return setProblem('gone');
        const kept = keptNotice(props.id);
        if (kept) setNotice(kept);
        else setProblem('offline');
      });
    return () => {
      live = false;
    };
  }, [props.id]);

  return (
    <div className="m-scroll">
      <PageBar onBack={() => goBack('/m/notices')}>{t('公告详情', 'Notice')}</PageBar>
      {problem === 'gone' ? (
        <ErrorBlock
          status="empty"
          title={t('公告不存在或已撤回', 'This notice does not exist or was withdrawn')}
          description={t('请返回公告列表查看最新公告。', 'Go back to the list for the current notices.')}
        />
      ) : problem === 'offline' ? (
        <ErrorBlock
          status="disconnected"
          title={t('暂时打不开这条公告', 'This notice cannot be loaded now')}
          description={t('请检查网络后再试。', 'Check the network and try again.')}
        />
      ) : !notice ? (
        <div className="m-loading" role="status">
          <SpinLoading />
        </div>
      ) : (
        <article className="mn-detail">
          <NoticeTags notice={notice} />
          <h2>{notice.title}</h2>
          <p className="mn-item-meta">
            {notice.unit.name} · {t('发布于', 'Published')} {formatTime(notice.publishedAt, language)}
          </p>
          {notice.expiresAt && (
            <p className="mn-item-meta">
              {t('有效期至', 'Valid until')} {formatTime(notice.expiresAt, language)}
            </p>
          )}
          <div className="mn-body">{notice.body}</div>
        </article>
      )}
    </div>
  );
}

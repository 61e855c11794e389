import type { PublicNotice } from '@minqing/contract';
import { pick, useLanguage, useT } from '../../shared/i18n.ts';

/** 置顶 · 紧急 · the category, as small labels (colours chosen for AA contrast). */
export function NoticeTags(props: { notice: PublicNotice }) {
  const t = useT();
  const [language] = useLanguage();
  const { notice } = props;
  return (
    <span className="mn-tags">
      {notice.isPinned && <span className="mn-tag mn-tag-pinned">{t('置顶', 'Pinned')}</span>}
      <span className={`mn-tag mn-tag-${notice.category}`}>{pick(notice.categoryName, language)}</span>
      {notice.isExpired && <span className="mn-tag">{t('已过期', 'Expired')}</span>}
    </span>
  );
}

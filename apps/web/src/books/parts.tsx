import type { ApiError } from '../shared/api.ts';
import { useT } from '../shared/i18n.ts';

export function Waiting() {
  const t = useT();
  return (
    <div className="bk-waiting" role="status">
      {t('正在加载…', 'Loading…')}
    </div>
  );
}

export function Problem({ error, retry }: { error: ApiError; retry?: () => void }) {
  const t = useT();
  return (
    <div className="bk-problem" role="alert">
      <p>
        {error.status === 404
          ? t('没有找到这份公开，可能地址有误。', 'This disclosure was not found; the address may be wrong.')
          : error.text()}
      </p>
      {retry && (
        <button type="button" className="bk-button" onClick={retry}>
          {t('重试', 'Try again')}
        </button>
      )}
    </div>
  );
}

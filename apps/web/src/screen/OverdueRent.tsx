import { formatFen, type OverdueRentSummary } from '@minqing/contract';
import { useEffect, useState } from 'react';
import { api } from '../shared/api.ts';
import { useT } from '../shared/i18n.ts';

/** The figure is read again this often: rent falls overdue by the day, not by the second. */
const REFRESH_MS = 5 * 60_000;

/**
 * 欠租预警 for the area on the big screen: how many rent instalments of the villages' contracts are past
 * due and unpaid, and how much (docs/decisions/0720). A public figure: counts and amounts, no names.
 */
export function OverdueRent({ unitId }: { unitId: string | null }) {
  const t = useT();
  const [summary, setSummary] = useState<OverdueRentSummary | null>(null);
  useEffect(() => {
    if (!unitId) return;
    const controller = new AbortController();
    const load = () =>
      api
        .get<OverdueRentSummary>(`/api/public/overdue-rent?unitId=${encodeURIComponent(unitId)}`, {
          signal: controller.signal,
        })
        .then(setSummary)
        .catch(() => undefined);
    void load();
    const timer = setInterval(() => void load(), REFRESH_MS);
    return () => {
      controller.abort();
      clearInterval(timer);
    };
  }, [unitId]);
  if (!summary) return null;
  if (summary.instalments === 0)
    return <span className="overdue-rent">{t('无欠租', 'No overdue rent')}</span>;
  return (
    <span className="overdue-rent overdue-rent-on" role="status">
      {t(
        `欠租预警 ${summary.instalments} 笔 / ¥${formatFen(summary.amount)}`,
        `Overdue rent: ${summary.instalments} / ¥${formatFen(summary.amount)}`,
      )}
    </span>
  );
}

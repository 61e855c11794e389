import type { PublicBookList as BookList } from '@minqing/contract';
import { useLanguage, useT } from '../shared/i18n.ts';
import { formatDateTime, periodLabel, useApi } from './data.ts';
import { navigate } from './router.ts';
import { Problem, Waiting } from './parts.tsx';

/** Every village with disclosed books: pick yours. */
export function BookList() {
  const t = useT();
  const [language] = useLanguage();
  const books = useApi<BookList>('/api/public/books');
  if (books.error) return <Problem error={books.error} retry={books.reload} />;
  if (!books.data) return <Waiting />;
  return (
    <section>
      <h1 className="bk-h1">{t('选择村（社区）', 'Pick your village')}</h1>
      <p className="bk-muted">
        {t(
          '村集体的收入、支出、资产、资源和合同，每月或每季度公开。',
          'The collective’s income, spending, assets, resources and contracts, disclosed monthly or quarterly.',
        )}
      </p>
      {books.data.items.length === 0 && (
        <div className="bk-empty">
          {t(
            '还没有村公开账目。村两委封存第一期公开后，这里就会出现。',
            'No village has disclosed its books yet. They appear here once the first disclosure is sealed.',
          )}
        </div>
      )}
      <ul className="bk-list">
        {books.data.items.map((book) => (
          <li key={book.id}>
            <a
              href={`/books/${book.id}`}
              className="bk-card bk-link"
              onClick={(event) => {
                event.preventDefault();
                navigate(`/books/${book.id}`);
              }}
            >
              <div className="bk-card-title">{book.unitName}</div>
              <div className="bk-muted">
                {book.streetName} · {book.name}
              </div>
              {book.lastSealed && (
                <div className="bk-small">
                  {t('最近公开', 'Latest')}：{periodLabel(book.lastSealed.label, language)} ·{' '}
                  {formatDateTime(book.lastSealed.sealedAt, language)} ·{' '}
                  {t(`共 ${book.disclosureCount} 期`, `${book.disclosureCount} disclosures`)}
                </div>
              )}
            </a>
          </li>
        ))}
      </ul>
    </section>
  );
}

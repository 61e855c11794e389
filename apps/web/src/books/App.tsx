import { useLanguage, useT } from '../shared/i18n.ts';
import { BookPage } from './BookPage.tsx';
import { BookList } from './BookList.tsx';
import { DisclosurePage } from './DisclosurePage.tsx';
import { usePath } from './router.ts';

/** 村务公开: the village collective's books as every villager may read them, no sign-in. */
export function App() {
  const path = usePath();
  const t = useT();
  const [language, setLanguage] = useLanguage();
  const parts = path
    .replace(/^\/books\/?/, '')
    .split('/')
    .filter(Boolean);
  document.title = t('村务公开 · 集体三资和财务', 'Open books · village collective finances');
  return (
    <div className="bk-app">
      <header className="bk-top">
        <a
          className="bk-brand"
          href="/books"
          onClick={(event) => {
            event.preventDefault();
            history.pushState(null, '', '/books');
            dispatchEvent(new PopStateEvent('popstate'));
          }}
        >
          {t('村务公开', 'Open books')}
        </a>
        <button
          type="button"
          className="bk-lang"
          onClick={() => setLanguage(language === 'zh' ? 'en' : 'zh')}
          title={t('切换到英文', 'Switch to Chinese')}
        >
          {language === 'zh' ? 'EN' : '中文'}
        </button>
      </header>
      <main className="bk-main">
        {parts.length === 0 && <BookList />}
        {parts.length === 1 && <BookPage bookId={parts[0]!} />}
        {parts.length >= 2 && <DisclosurePage bookId={parts[0]!} disclosureId={parts[1]!} />}
      </main>
      <footer className="bk-foot">
        {t(
          '数据来自村集体经济组织账套，经民主理财小组审核、村两委封存公开；每期公开都可在本页核验。',
          'From the collective’s books, reviewed by the finance group and sealed by the village committee; every disclosure can be verified on this page.',
        )}
      </footer>
    </div>
  );
}

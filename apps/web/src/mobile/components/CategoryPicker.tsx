import type { CategoryDictionary } from '@minqing/contract';
import { ErrorBlock, SpinLoading } from 'antd-mobile';
import { useEffect, useState } from 'react';
import { api } from '../../shared/api.ts';
import { pick, useLanguage, useT } from '../../shared/i18n.ts';
import { categoryIcon } from './icons.tsx';

const CACHE_KEY = 'minqing.categories';

/** The category dictionary, from the server or (offline) from the last time it was read. */
export function useCategories(): CategoryDictionary | null | 'failed' {
  const [dictionary, setDictionary] = useState<CategoryDictionary | null | 'failed'>(() => {
    try {
      const text = localStorage.getItem(CACHE_KEY);
      return text ? (JSON.parse(text) as CategoryDictionary) : null;
    } catch {
      return null;
    }
  });
  useEffect(() => {
    api
      .get<CategoryDictionary>('/api/categories')
      .then((value) => {
        localStorage.setItem(CACHE_KEY, JSON.stringify(value));
        setDictionary(value);
      })
      .catch(() => setDictionary((old) => old ?? 'failed'));
  }, []);
  return dictionary;
}

/** Categories as large icons: the major class as tabs, its minor classes as big buttons. */
export function CategoryPicker(props: { value: string | null; onChange: (code: string) => void }) {
  const t = useT();
  const [language] = useLanguage();
  const dictionary = useCategories();
  const [major, setMajor] = useState<string | null>(props.value ? props.value.slice(0, 2) : null);
  if (dictionary === null) return <SpinLoading aria-label={t('加载中', 'Loading')} />;
  if (dictionary === 'failed')
    return (
      <ErrorBlock
        status="disconnected"
        title={t('分类加载失败', 'Categories could not be loaded')}
        description={t('请联网后重试', 'Connect and try again')}
      />
    );
  const groups = dictionary.groups.filter((group) => group.categories.some((c) => c.isActive));
  const active = major ?? groups[0]?.majorCode ?? '';
  const group = groups.find((g) => g.majorCode === active);
  return (
    <div className="m-categories">
      <div className="m-majors" role="group" aria-label={t('问题大类', 'Kind of problem')}>
        {groups.map((g) => (
          <button
            type="button"
            key={g.majorCode}
            aria-pressed={g.majorCode === active}
            className={`m-major${g.majorCode === active ? ' m-major-on' : ''}`}
            onClick={() => setMajor(g.majorCode)}
          >
            {pick(g.name, language)}
          </button>
        ))}
      </div>
      <div className="m-category-grid" role="radiogroup" aria-label={t('问题分类', 'Category')}>
        {group?.categories
          .filter((c) => c.isActive)
          .map((category) => (
            <button
              type="button"
              role="radio"
              aria-checked={props.value === category.code}
              key={category.code}
              className={`m-category${props.value === category.code ? ' m-category-on' : ''}`}
              onClick={() => props.onChange(category.code)}
            >
              <span className="m-category-icon" aria-hidden="true">
                {categoryIcon(category.icon)}
              </span>
              <span>{pick(category.name, language)}</span>
            </button>
          ))}
      </div>
    </div>
  );
}

import type { CategoryDictionary, MapCaseState } from '@minqing/contract';
import { Button, Popup, Selector } from 'antd-mobile';
import { useEffect, useState } from 'react';
import { MAP_STATES, STATE_NAMES } from '../../features/map/styles.ts';
import { pick, useLanguage, useT } from '../../shared/i18n.ts';

export interface PhoneMapFilters {
  states: MapCaseState[];
  /** Major category codes (2 digits). */
  categories: string[];
}

export const NO_FILTERS: PhoneMapFilters = { states: [], categories: [] };

/**
 * Filters by state and by category, in a sheet from the bottom (reachable with the thumb). Nothing
 * chosen means everything; the choice applies when the user presses 确定.
 */
export function FilterSheet({
  visible,
  value,
  dictionary,
  onClose,
  onApply,
}: {
  visible: boolean;
  value: PhoneMapFilters;
  dictionary: CategoryDictionary | null;
  onClose: () => void;
  onApply: (filters: PhoneMapFilters) => void;
}) {
  const t = useT();
  const [language] = useLanguage();
  const [draft, setDraft] = useState(value);
  useEffect(() => {
    if (visible) setDraft(value);
  }, [visible, value]);

  return (
    <Popup
      visible={visible}
      onMaskClick={onClose}
      onClose={onClose}
      bodyStyle={{ borderTopLeftRadius: 12, borderTopRightRadius: 12, maxHeight: '80vh', overflowY: 'auto' }}
    >
      <div className="pm-sheet" role="dialog" aria-labelledby="pm-filter-title">
        <h2 id="pm-filter-title">{t('筛选事件', 'Filter cases')}</h2>
        <h3 id="pm-filter-states">{t('状态', 'State')}</h3>
        <Selector
          aria-labelledby="pm-filter-states"
          multiple
          columns={3}
          value={draft.states}
          onChange={(states) => setDraft({ ...draft, states: states as MapCaseState[] })}
          options={MAP_STATES.map((state) => ({ label: pick(STATE_NAMES[state], language), value: state }))}
        />
        <h3 id="pm-filter-categories">{t('类别', 'Category')}</h3>
        {dictionary ? (
          <Selector
            aria-labelledby="pm-filter-categories"
            multiple
            columns={2}
            value={draft.categories}
            onChange={(categories) => setDraft({ ...draft, categories })}
            options={dictionary.groups.map((group) => ({
              label: pick(group.name, language),
              value: group.majorCode,
            }))}
          />
        ) : (
          <p className="pm-muted">{t('类别读取中…', 'Loading categories…')}</p>
        )}
        <div className="pm-sheet-actions">
          <Button size="large" onClick={() => setDraft(NO_FILTERS)}>
            {t('清除', 'Clear')}
          </Button>
          <Button
            size="large"
            color="primary"
            onClick={() => {
              onApply(draft);
              onClose();
            }}
          >
            {t('确定', 'Apply')}
          </Button>
        </div>
      </div>
    </Popup>
  );
}

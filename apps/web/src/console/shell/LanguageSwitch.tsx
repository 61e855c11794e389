import { Segmented } from 'antd';
import { useLanguage } from '../../shared/i18n.ts';

export function LanguageSwitch() {
  const [language, setLanguage] = useLanguage();
  return (
    <Segmented
      size="small"
      aria-label="语言 Language"
      value={language}
      onChange={(value) => setLanguage(value as 'zh' | 'en')}
      options={[
        { label: '中文', value: 'zh' },
        { label: 'EN', value: 'en' },
      ]}
    />
  );
}

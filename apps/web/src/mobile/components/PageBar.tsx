import { LeftOutline } from 'antd-mobile-icons';
import type { ReactNode } from 'react';
import { useT } from '../../shared/i18n.ts';

/** The bar at the top of a page: a back button with a name screen readers announce, the title, actions. */
export function PageBar(props: { onBack?: () => void; right?: ReactNode; children: ReactNode }) {
  const t = useT();
  return (
    <header className="m-bar">
      <div className="m-bar-side">
        {props.onBack && (
          <button type="button" className="m-bar-back" onClick={props.onBack} aria-label={t('返回', 'Back')}>
            <LeftOutline aria-hidden="true" />
          </button>
        )}
      </div>
      <h1 className="m-bar-title">{props.children}</h1>
      <div className="m-bar-side m-bar-right">{props.right}</div>
    </header>
  );
}

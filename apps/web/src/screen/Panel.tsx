import type { ReactNode } from 'react';

/** A framed block of the screen with its heading. */
export function Panel({
  title,
  children,
  className,
  aside,
}: {
  title: string;
  children: ReactNode;
  className?: string;
  aside?: ReactNode;
}) {
  return (
    <section className={`panel ${className ?? ''}`} aria-label={title}>
      <header className="panel-head">
        <h2>{title}</h2>
        {aside ? <span className="panel-aside">{aside}</span> : null}
      </header>
      <div className="panel-body">{children}</div>
    </section>
  );
}

/** Shown in a panel while its data has not come, or when there is none: say which, in plain words. */
export function PanelNote({ children, tone = 'muted' }: { children: ReactNode; tone?: 'muted' | 'error' }) {
  return (
    <p className={`panel-note panel-note-${tone}`} role={tone === 'error' ? 'alert' : undefined}>
      {children}
    </p>
  );
}

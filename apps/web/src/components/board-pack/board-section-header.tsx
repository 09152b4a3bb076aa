import type { ReactNode } from 'react';

/**
 * The header of a board-pack page: its numbered title, then the "Demo data" mark (on every page
 * of a demo's pack) and what the page is about (`children`: period, benchmark, footnote marks).
 */
export function BoardSectionHeader({
  id,
  title,
  demo,
  children,
}: {
  id: string | undefined;
  title: ReactNode;
  demo: boolean;
  children: ReactNode;
}) {
  return (
    <header className="board-section-header">
      <h2 id={id}>{title}</h2>
      <span>
        {demo && (
          <span className="demo-badge" data-testid="board-demo">
            Demo data
          </span>
        )}{' '}
        {children}
      </span>
    </header>
  );
}

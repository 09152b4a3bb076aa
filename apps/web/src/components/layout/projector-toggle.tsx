import { useEffect, useState } from 'react';

const KEY = 'stride.projector';

/**
 * "Large text" display for projectors: scales the whole UI (rem-based) up. A display preference of
 * this browser (localStorage), not part of the view, so it stays out of shared links.
 */
export function ProjectorToggle() {
  const [on, setOn] = useState(() => localStorage.getItem(KEY) === '1');
  useEffect(() => {
    document.documentElement.classList.toggle('projector', on);
    localStorage.setItem(KEY, on ? '1' : '0');
  }, [on]);
  return (
    <button type="button" className="projector-toggle" aria-pressed={on} onClick={() => setOn(!on)}>
      Large text
    </button>
  );
}

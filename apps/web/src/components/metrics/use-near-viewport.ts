import { type RefObject, useEffect, useState } from 'react';

// One observer for every element (300 table rows would otherwise make 300 observers). Elements
// within MARGIN of the viewport count as near: rows draw just before they are scrolled to.
const MARGIN = '800px 0px';
const listeners = new WeakMap<Element, () => void>();
let observer: IntersectionObserver | undefined;

function shared(): IntersectionObserver {
  observer ??= new IntersectionObserver(
    (entries) => {
      for (const entry of entries) {
        if (!entry.isIntersecting) continue;
        listeners.get(entry.target)?.();
      }
    },
    { rootMargin: MARGIN },
  );
  return observer;
}

/**
 * Whether an element has come near the viewport (within 800 px) since it mounted; once true it
 * stays true, so what was drawn is never torn down again. Lets a long table draw only the rows
 * a reader can see and the ones they scroll to.
 * @param ref the element watched
 * @param initially start as near (rows known to be on the first screen draw in the first render,
 *   without waiting a frame for the observer); where IntersectionObserver is missing, always true
 */
export function useNearViewport(ref: RefObject<Element | null>, initially: boolean): boolean {
  const [near, setNear] = useState(initially || typeof IntersectionObserver === 'undefined');
  useEffect(() => {
    const element = ref.current;
    if (near || !element) return;
    const io = shared();
    listeners.set(element, () => {
      setNear(true);
      io.unobserve(element);
      listeners.delete(element);
    });
    io.observe(element);
    return () => {
      io.unobserve(element);
      listeners.delete(element);
    };
  }, [near, ref]);
  return near;
}

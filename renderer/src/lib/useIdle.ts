import { useEffect, useRef } from 'react';

const ACTIVITY = ['pointerdown', 'keydown', 'wheel', 'touchstart'] as const;

/**
 * Calls `onIdle` after `ms` without any user activity (a kiosk: back to the start for the next person; a staff
 * session: locked). `onActive` hears of activity at most every `ms / 3` (the main process keeps its own idle clock).
 */
export function useIdle(enabled: boolean, ms: number, onIdle: () => void, onActive?: () => void): void {
  const active = useRef(onActive);
  active.current = onActive;
  useEffect(() => {
    if (!enabled) return;
    let timer = window.setTimeout(onIdle, ms);
    let reported = 0;
    const reset = () => {
      window.clearTimeout(timer);
      timer = window.setTimeout(onIdle, ms);
      if (Date.now() - reported > ms / 3) {
        reported = Date.now();
        active.current?.();
      }
    };
    for (const type of ACTIVITY) window.addEventListener(type, reset, { passive: true });
    return () => {
      window.clearTimeout(timer);
      for (const type of ACTIVITY) window.removeEventListener(type, reset);
    };
  }, [enabled, ms, onIdle]);
}

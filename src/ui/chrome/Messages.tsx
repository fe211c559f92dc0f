/** The toast (a short status near the pointer) and the banner (a message that stays). */
import { useEffect } from 'react';
import { useUiStore } from '../../store/ui-store';

/** How long a toast stays, in milliseconds. */
export const TOAST_MS = 4000;

/** Space kept between the toast and the right and bottom edges of the window, in pixels. */
const TOAST_MARGIN = 16;

export function Toast() {
  const toast = useUiStore((state) => state.toast);

  useEffect(() => {
    if (!toast) return;
    const timer = setTimeout(() => {
      if (useUiStore.getState().toast?.key === toast.key) useUiStore.getState().clearToast();
    }, TOAST_MS);
    return () => clearTimeout(timer);
  }, [toast]);

  const style = toast?.at
    ? {
        left: Math.min(toast.at.x + 14, window.innerWidth - 340 - TOAST_MARGIN),
        top: Math.min(toast.at.y + 14, window.innerHeight - 80 - TOAST_MARGIN),
      }
    : undefined;

  return (
    <div
      className={`toast${toast ? ` is-visible is-${toast.tone}` : ''}${toast?.at ? ' is-at-pointer' : ''}`}
      role="status"
      aria-live="polite"
      data-testid="toast"
      style={style}
    >
      {toast?.message}
    </div>
  );
}

export function Banner() {
  const banner = useUiStore((state) => state.banner);
  if (!banner) return null;
  return (
    <div className={`banner is-${banner.tone}`} role={banner.tone === 'error' ? 'alert' : 'status'} data-testid="banner">
      <p>{banner.message}</p>
      <button type="button" className="banner__close" onClick={() => useUiStore.getState().clearBanner()} aria-label="Dismiss message">
        ×
      </button>
    </div>
  );
}

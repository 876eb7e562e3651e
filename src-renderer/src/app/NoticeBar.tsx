import { useAppStore } from '../stores/app-store';

export function NoticeBar() {
  const notices = useAppStore((state) => state.notices);
  const error = useAppStore((state) => state.error);
  const dismiss = useAppStore((state) => state.dismissNotice);
  const clearError = useAppStore((state) => state.clearError);
  if (notices.length === 0 && !error) return null;
  return (
    <div className="notice-stack">
      {error ? (
        <div className="notice notice-error" role="alert">
          <div>
            <strong>Something went wrong</strong>
            <p>{error}</p>
          </div>
          <button type="button" className="button-quiet" onClick={clearError}>
            Dismiss
          </button>
        </div>
      ) : null}
      {notices.map((notice) => (
        <div key={notice.id} className={`notice notice-${notice.level}`} role="alert">
          <div>
            <strong>{notice.title}</strong>
            <p>{notice.detail}</p>
          </div>
          <button type="button" className="button-quiet" onClick={() => void dismiss(notice.id)}>
            Dismiss
          </button>
        </div>
      ))}
    </div>
  );
}

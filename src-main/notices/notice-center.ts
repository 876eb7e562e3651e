import type { Notice } from '../../src-shared/schemas/notice';

export interface NoticeCenter {
  add(notice: Notice): void;
  list(): Notice[];
  dismiss(id: string): void;
  onChange(listener: (notices: Notice[]) => void): () => void;
}

export function createNoticeCenter(): NoticeCenter {
  let notices: Notice[] = [];
  const listeners = new Set<(notices: Notice[]) => void>();
  const emit = () => listeners.forEach((listener) => listener(notices));
  return {
    add(notice) {
      notices = [...notices.filter((existing) => existing.id !== notice.id), notice];
      emit();
    },
    list: () => notices,
    dismiss(id) {
      notices = notices.filter((notice) => notice.id !== id);
      emit();
    },
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

// What is typed and attached in the composer, per conversation (NEW_CHAT_DRAFT before a conversation exists).
import { api } from '../lib/api-client';
import { readImages } from '../lib/image-attachments';
import { useAppStore } from './app-store';
import { emptyDraft, type Draft, type DraftsSlice, type GetChat, type SetChat } from './chat-store-types';
import { useTasksStore } from './tasks-store';

/** Reads of attached images still under way, per draft: a send waits for them. */
export interface AttachmentReads {
  track(draftKey: string, read: Promise<void>): void;
  settled(draftKey: string): Promise<void>;
}

export function createAttachmentReads(): AttachmentReads {
  const reading = new Map<string, Set<Promise<void>>>();
  return {
    track(draftKey, read) {
      const pending = reading.get(draftKey) ?? new Set<Promise<void>>();
      reading.set(draftKey, pending);
      pending.add(read);
      read
        .finally(() => {
          pending.delete(read);
          if (pending.size === 0 && reading.get(draftKey) === pending) reading.delete(draftKey);
        })
        // The caller of attachFiles sees a failed read; this is only the bookkeeping.
        .catch(() => undefined);
    },
    async settled(draftKey) {
      for (let pending = reading.get(draftKey); pending && pending.size > 0; pending = reading.get(draftKey)) {
        await Promise.all(pending);
      }
    },
  };
}

export function setDraft(set: SetChat, get: GetChat, draftKey: string, change: (draft: Draft) => Draft): void {
  const drafts = get().drafts;
  set({ drafts: { ...drafts, [draftKey]: change(drafts[draftKey] ?? emptyDraft) } });
}

export function createDraftsSlice(set: SetChat, get: GetChat, reads: AttachmentReads): DraftsSlice {
  return {
    drafts: {},
    setDraftText: (draftKey, text) => setDraft(set, get, draftKey, (draft) => ({ ...draft, text })),
    addAttachments: (draftKey, attachments, errors) =>
      setDraft(set, get, draftKey, (draft) => ({
        ...draft,
        attachments: [...draft.attachments, ...attachments],
        attachmentError: errors.length > 0 ? errors.join(' ') : null,
      })),
    attachFiles(draftKey, files) {
      if (files.length === 0) return Promise.resolve();
      const alreadyAttached = get().drafts[draftKey]?.attachments.length ?? 0;
      const read: Promise<void> = readImages(files, alreadyAttached).then(({ attachments, errors }) =>
        get().addAttachments(draftKey, attachments, errors),
      );
      reads.track(draftKey, read);
      return read;
    },
    removeAttachment: (draftKey, attachmentId) =>
      setDraft(set, get, draftKey, (draft) => ({
        ...draft,
        attachments: draft.attachments.filter((item) => item.id !== attachmentId),
        attachmentError: null,
      })),

    async runAsVisionTask(draftKey) {
      const draft = get().drafts[draftKey] ?? emptyDraft;
      if (draft.attachments.length === 0) return false;
      const result = await api.tasks.create({
        agent: 'vision_agent',
        instruction: draft.text.trim() || 'Describe what this image shows.',
        attachments: draft.attachments.map(({ mediaType, data }) => ({ type: 'image' as const, mediaType, data })),
      });
      if (!result.ok) {
        setDraft(set, get, draftKey, (current) => ({ ...current, attachmentError: result.error.message }));
        return false;
      }
      setDraft(set, get, draftKey, () => emptyDraft);
      await useTasksStore.getState().select(result.value.id);
      useAppStore.getState().show('tasks');
      return true;
    },
  };
}

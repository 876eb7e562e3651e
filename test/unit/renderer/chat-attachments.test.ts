import { beforeEach, describe, expect, it, vi } from 'vitest';

// The store reaches main only through api-client, and reads files through image-attachments:
// both are replaced so the test decides when main answers and when an image finishes reading.
const main = vi.hoisted(() => ({
  sent: [] as Array<{ conversationId: string; content: unknown }>,
  created: 0,
  createGate: null as Promise<void> | null,
}));
const reads = vi.hoisted(() => ({ pending: [] as Array<() => void> }));

vi.mock('../../../src-renderer/src/lib/api-client', () => ({
  api: {
    chat: {
      async create() {
        if (main.createGate) await main.createGate;
        main.created += 1;
        return {
          ok: true,
          value: { id: `conversation-${main.created}`, title: 'New chat', localOnly: false, updatedAt: 0, messageCount: 0 },
        };
      },
      async send(request: { conversationId: string; content: unknown }) {
        main.sent.push(request);
        const message = (id: number, role: string, status: string) => ({
          id,
          conversationId: request.conversationId,
          sequence: id,
          role,
          content: '',
          parts: null,
          status,
          provenance: null,
          error: null,
          createdAt: 0,
          updatedAt: 0,
        });
        const id = main.sent.length * 2;
        return {
          ok: true,
          value: { userMessage: message(id - 1, 'user', 'complete'), assistantMessage: message(id, 'assistant', 'streaming') },
        };
      },
      async messages() {
        return { ok: true, value: { messages: [], hasOlder: false, totalCount: 0, retryOn: {} } };
      },
    },
  },
}));
vi.mock('../../../src-renderer/src/lib/image-attachments', () => ({
  readImages: (files: readonly File[]) =>
    new Promise((resolve) => {
      reads.pending.push(() =>
        resolve({
          attachments: files.map((file) => ({
            id: file.name,
            name: file.name,
            mediaType: 'image/png',
            data: `data-of-${file.name}`,
            size: 1,
          })),
          errors: [],
        }),
      );
    }),
}));

const { useChatStore, NEW_CHAT_DRAFT } = await import('../../../src-renderer/src/stores/chat-store');

const image = (name: string) => new File([new Uint8Array([137, 80, 78, 71])], name, { type: 'image/png' });
const finishReads = async () => {
  await Promise.resolve();
  for (const finish of reads.pending.splice(0)) finish();
};
const imagesSent = (index: number) =>
  ((main.sent[index]?.content as Array<{ type: string; data?: string }>) ?? [])
    .filter((part) => part.type === 'image')
    .map((part) => part.data);

beforeEach(() => {
  main.sent = [];
  main.createGate = null;
  reads.pending = [];
  useChatStore.setState({ drafts: {}, conversations: [], threads: {}, activeId: null });
});

describe('an image still being read when the user presses Send', () => {
  it('goes with the message it was attached to, not into the next one', async () => {
    useChatStore.getState().setDraftText('conversation-a', 'What is this?');
    void useChatStore.getState().attachFiles('conversation-a', [image('cat.png')]);
    const sending = useChatStore.getState().send('conversation-a');
    await finishReads();
    await sending;
    expect(main.sent).toHaveLength(1);
    expect(imagesSent(0)).toEqual(['data-of-cat.png']);
    expect(useChatStore.getState().drafts['conversation-a']?.attachments ?? []).toEqual([]);
  });

  it('in a chat that is being created by this send, goes with the first message, and the next new chat starts empty', async () => {
    let letCreate = () => {};
    main.createGate = new Promise<void>((resolve) => (letCreate = resolve));
    useChatStore.getState().setDraftText(NEW_CHAT_DRAFT, 'Describe both');
    void useChatStore.getState().attachFiles(NEW_CHAT_DRAFT, [image('one.png')]);
    const sending = useChatStore.getState().send(NEW_CHAT_DRAFT);
    await finishReads();
    // Attached while the chat is being created: still part of this message.
    void useChatStore.getState().attachFiles(NEW_CHAT_DRAFT, [image('two.png')]);
    await finishReads();
    letCreate();
    await sending;
    expect(main.sent).toHaveLength(1);
    expect(main.sent[0]?.conversationId).toMatch(/^conversation-/);
    expect(imagesSent(0)).toEqual(['data-of-one.png', 'data-of-two.png']);
    expect(useChatStore.getState().drafts[NEW_CHAT_DRAFT]).toBeUndefined();
    expect(Object.values(useChatStore.getState().drafts).flatMap((draft) => draft.attachments)).toEqual([]);
  });

  it('"New chat" pressed while an image is read takes the image along', async () => {
    useChatStore.getState().setDraftText(NEW_CHAT_DRAFT, 'Later');
    void useChatStore.getState().attachFiles(NEW_CHAT_DRAFT, [image('late.png')]);
    const creating = useChatStore.getState().newChat();
    await finishReads();
    const id = await creating;
    expect(useChatStore.getState().drafts[id!]?.attachments.map((item) => item.name)).toEqual(['late.png']);
    expect(useChatStore.getState().drafts[NEW_CHAT_DRAFT]).toBeUndefined();
  });
});

import { describe, expect, it } from 'vitest';
import { conversationAnswerer, pinnableConnections } from '../../../src-shared/schemas/conversation-answerer';

const connection = (id: string, kind: 'openai' | 'anthropic' | 'ollama', baseUrl: string, local?: boolean) => ({
  id,
  name: id,
  kind,
  defaultModel: `${id}-default`,
  baseUrl,
  enabled: true,
  ...(local === undefined ? {} : { local }),
});
const openai = connection('openai', 'openai', 'https://api.openai.com/v1');
const claude = connection('claude', 'anthropic', 'https://api.anthropic.com');
const ollama = connection('ollama', 'ollama', 'http://127.0.0.1:11434');
const settings = { connections: [openai, claude, ollama], primaryConnectionId: 'claude' };

describe('what answers a conversation', () => {
  it('is the Primary for a new conversation, with the Claude selection when the Primary is Anthropic', () => {
    expect(conversationAnswerer(settings, { pinned: null })).toMatchObject({
      source: 'primary',
      connection: { id: 'claude' },
      claudeSelection: true,
      pinGone: false,
    });
    expect(conversationAnswerer({ ...settings, primaryConnectionId: 'openai' }, { pinned: null })).toMatchObject({
      source: 'primary',
      model: 'openai-default',
      claudeSelection: false,
    });
  });

  it('is the pinned connection and model when the user pinned one', () => {
    expect(conversationAnswerer(settings, { pinned: { connectionId: 'openai', model: 'gpt-4o' } })).toMatchObject({
      source: 'pinned',
      connection: { id: 'openai' },
      model: 'gpt-4o',
    });
  });

  it('goes back to the Primary, and says so, when the pinned connection was removed', () => {
    expect(conversationAnswerer(settings, { pinned: { connectionId: 'gone', model: 'x' } })).toMatchObject({
      source: 'primary',
      pinGone: true,
    });
  });

  it('is nobody, in words, without a provider', () => {
    expect(conversationAnswerer({ connections: [], primaryConnectionId: null }, { pinned: null })).toEqual({
      source: 'none',
      reason: 'Add a provider first: chat answers from your Primary provider.',
    });
  });

  it('offers a local-only conversation local connections only, by the user’s word first', () => {
    const tailnet = connection('gpu-box', 'ollama', 'http://gpu.example.net:11434', true);
    const proxy = connection('proxy', 'openai', 'http://127.0.0.1:8080/v1', false);
    const all = [openai, ollama, tailnet, proxy];
    expect(pinnableConnections(all, true).map((item) => item.id)).toEqual(['ollama', 'gpu-box']);
    expect(pinnableConnections(all, false)).toHaveLength(4);
  });
});

import { create } from 'zustand';
import { externalLinkProblem } from '../../../src-shared/schemas/external-link';
import { api } from '../lib/api-client';

/** A link from model output waiting for the user's word before it opens in the browser. */
export interface LinkPrompt {
  /** The full address exactly as it will be opened. */
  url: string;
  /** Where it goes (punycode for non-ASCII hosts, so look-alike names show). */
  host: string | null;
  /** Why it cannot be opened at all, or null when it can. */
  problem: string | null;
  /** Main refused or the OS could not open it. */
  error: string | null;
}

export interface LinkState {
  prompt: LinkPrompt | null;
  /** Shows the prompt for a link; nothing opens until open() is called. */
  ask(url: string): void;
  open(): Promise<void>;
  cancel(): void;
}

function hostOf(url: string): string | null {
  try {
    return new URL(url).host || null;
  } catch {
    return null;
  }
}

export const useLinkStore = create<LinkState>()((set, get) => ({
  prompt: null,
  ask(url) {
    const problem = externalLinkProblem(url);
    set({ prompt: { url: problem ? url : new URL(url).href, host: hostOf(url), problem, error: null } });
  },
  async open() {
    const prompt = get().prompt;
    if (!prompt || prompt.problem) return;
    const result = await api.app.openExternal({ url: prompt.url });
    if (result.ok) set({ prompt: null });
    else set({ prompt: { ...prompt, error: result.error.message } });
  },
  cancel() {
    set({ prompt: null });
  },
}));

export const isMac = typeof navigator !== 'undefined' && /Mac|iPhone|iPad/.test(navigator.platform);

/** A shortcut as this platform writes it: "Ctrl+K", or "⌘K" on a Mac. */
export const shortcut = (key: string) => (isMac ? `⌘${key}` : `Ctrl+${key}`);

// Builds the init script that runs the app's real preload bundle in the page, giving it the two
// modules a sandboxed preload may require from `electron`: contextBridge and ipcRenderer.

export const INVOKE_BINDING = '__switchboardIpcInvoke';
export const DELIVER_FUNCTION = '__switchboardIpcDeliver';

export function preloadInitScript(preloadSource: string): string {
  return `(() => {
  if (window !== window.top) return; // preloads run in the main frame only
  const listeners = new Map();
  Object.defineProperty(window, ${JSON.stringify(DELIVER_FUNCTION)}, {
    enumerable: false,
    value: (channel, payload) => {
      for (const listener of listeners.get(channel) ?? []) listener({ sender: null }, payload);
    },
  });
  const ipcRenderer = {
    invoke: (channel, ...args) => window[${JSON.stringify(INVOKE_BINDING)}](channel, args),
    on(channel, listener) {
      if (!listeners.has(channel)) listeners.set(channel, new Set());
      listeners.get(channel).add(listener);
      return ipcRenderer;
    },
    removeListener(channel, listener) {
      listeners.get(channel)?.delete(listener);
      return ipcRenderer;
    },
  };
  const contextBridge = {
    exposeInMainWorld(key, api) {
      Object.defineProperty(window, key, { value: api, enumerable: true, configurable: false, writable: false });
    },
  };
  const require = (name) => {
    if (name === 'electron') return { contextBridge, ipcRenderer };
    throw new Error('Module "' + name + '" is not available in a sandboxed preload');
  };
  const module = { exports: {} };
  const exports = module.exports;
  (function (require, module, exports) {
${preloadSource}
  })(require, module, exports);
})();`;
}

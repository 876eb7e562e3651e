// Loaded with `node --import` before the built main process (out/main/index.js): every import of
// `electron` resolves to the test runtime instead of the real module. Test-only; never shipped.
import { registerHooks } from 'node:module';

const runtimeUrl = new URL('./electron.ts', import.meta.url).href;

registerHooks({
  resolve(specifier, context, nextResolve) {
    if (specifier === 'electron' || specifier.startsWith('electron/')) {
      return { url: runtimeUrl, format: 'module-typescript', shortCircuit: true };
    }
    return nextResolve(specifier, context);
  },
});

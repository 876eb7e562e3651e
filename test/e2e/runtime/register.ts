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

// Load the runtime (and Playwright) now, so the app's start-up figure counts only the app's own work.
await import(runtimeUrl);
(globalThis as { switchboardMainStartedAt?: number }).switchboardMainStartedAt = performance.now();

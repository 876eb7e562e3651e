import { resolve } from 'node:path';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'electron-vite';

export default defineConfig({
  main: {
    build: {
      externalizeDeps: true,
      lib: {
        entry: {
          index: resolve(import.meta.dirname, 'src-main/index.ts'),
          // Every service (routing, the call log, chat, tasks, the gateway) runs in a worker thread so the
          // window's main thread stays free.
          'services-worker': resolve(import.meta.dirname, 'src-main/services-worker.ts'),
          // SQLite runs in a worker thread so slow queries never block the main process.
          'storage-worker': resolve(import.meta.dirname, 'src-main/storage/storage-worker.ts'),
        },
        formats: ['es'],
      },
    },
  },
  preload: {
    build: {
      // A sandboxed preload must be one self-contained CommonJS file.
      externalizeDeps: false,
      lib: { entry: resolve(import.meta.dirname, 'src-preload/index.ts'), formats: ['cjs'] },
      rolldownOptions: { output: { entryFileNames: '[name].cjs' } },
    },
  },
  renderer: {
    root: resolve(import.meta.dirname, 'src-renderer'),
    plugins: [react()],
    build: {
      rolldownOptions: { input: resolve(import.meta.dirname, 'src-renderer/index.html') },
    },
  },
});

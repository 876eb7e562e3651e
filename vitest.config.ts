import { resolve } from 'node:path';
import { defineConfig } from 'vitest/config';

const electronStub = { electron: resolve(import.meta.dirname, 'test/helpers/electron-stub.ts') };

export default defineConfig({
  test: {
    projects: [
      {
        resolve: { alias: electronStub },
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts'],
          server: { deps: { inline: ['electron-store'] } },
          environment: 'node',
        },
      },
      {
        resolve: { alias: electronStub },
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          server: { deps: { inline: ['electron-store'] } },
          environment: 'node',
          testTimeout: 30_000,
          hookTimeout: 30_000,
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.spec.ts'],
          environment: 'node',
          testTimeout: 60_000,
          hookTimeout: 60_000,
          fileParallelism: false,
        },
      },
    ],
  },
});

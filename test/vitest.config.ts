import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    root: fileURLToPath(new URL('..', import.meta.url)),
    include: ['test/**/*.test.ts', 'plugins/**/*.test.ts', 'rules/**/*.test.ts'],
    testTimeout: 30000,
    hookTimeout: 60000,
    // PostgreSQL for the store tests and Chromium for the browser tests, provisioned once per run.
    globalSetup: [fileURLToPath(new URL('./setup/global-setup.ts', import.meta.url))],
  },
});

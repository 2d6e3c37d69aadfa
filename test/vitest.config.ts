import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    root: fileURLToPath(new URL('..', import.meta.url)),
    include: ['test/**/*.test.ts', 'plugins/**/*.test.ts', 'rules/**/*.test.ts'],
    testTimeout: 30000,
    hookTimeout: 60000,
  },
});

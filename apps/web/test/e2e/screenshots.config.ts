import { defineConfig } from 'vitest/config';

// Only the README screenshots (`pnpm --filter @chatsynth/web screenshots`); the default config never
// includes them, so `pnpm test` and CI do not spend time on them.
export default defineConfig({
  test: {
    root: new URL('../..', import.meta.url).pathname,
    include: ['test/e2e/screenshots.ts'],
    environment: 'node',
    testTimeout: 300_000,
    hookTimeout: 180_000,
  },
});

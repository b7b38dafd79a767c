import { defineConfig } from 'vitest/config';
import { sharedTestConfig } from '../../vitest.shared.ts';

// Two projects so the unit tests stay fast on their own (`pnpm test:unit`); `pnpm test` runs both.
export default defineConfig({
  test: {
    // Only the reporters: each project sets its own timeouts. Under CI the JSON report joins the
    // others in .ci/run's closing line.
    reporters: sharedTestConfig.reporters,
    projects: [
      {
        test: {
          name: 'unit',
          include: ['src/**/*.test.ts'],
          environment: 'node',
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          environment: 'node',
          testTimeout: 120_000,
          hookTimeout: 180_000,
          fileParallelism: false,
        },
      },
    ],
  },
});

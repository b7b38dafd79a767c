import type { ViteUserConfig } from 'vitest/config';

/**
 * Test settings every package shares. Under CI each package also writes a JSON report, which
 * .ci/run adds up into one closing "N passed, N failed" line.
 */
export const sharedTestConfig: NonNullable<ViteUserConfig['test']> = {
  testTimeout: 60_000,
  hookTimeout: 120_000,
  reporters: process.env.CI ? ['default', ['json', { outputFile: 'test-results/vitest.json' }]] : ['default'],
};

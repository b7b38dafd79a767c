import { defineConfig } from 'tsup';

// The internal packages export TypeScript source, so they are bundled in; every npm dependency stays
// external and is listed in this package's own dependencies.
export default defineConfig({
  // The import worker's thread is an entry of its own (import-thread-host.ts loads it by path).
  entry: ['src/index.ts', 'src/import-thread.ts'],
  format: ['esm'],
  platform: 'node',
  target: 'node24',
  outDir: 'dist',
  clean: true,
  sourcemap: true,
  noExternal: [/^@chatsynth\//],
});

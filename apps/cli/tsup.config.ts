import { defineConfig } from 'tsup';

// @chatsynth/client is workspace code, bundled in; its npm dependencies stay external and are listed in
// this package's own dependencies. The entry's shebang makes tsup mark dist/cli.js executable.
export default defineConfig({
  entry: ['src/cli.ts'],
  format: ['esm'],
  platform: 'node',
  target: 'node20',
  outDir: 'dist',
  clean: true,
  sourcemap: true,
  noExternal: [/^@chatsynth\//],
});

import { defineConfig } from 'tsup';

// @chatsynth/client is workspace code, bundled in; its npm dependencies stay external and are listed in
// this package's own dependencies. So is the import format list of @chatsynth/importers/canonical: that
// package declares itself free of side effects, so only the list (none of zod) lands in dist/cli.js.
// The entry's shebang makes tsup mark dist/cli.js executable.
export default defineConfig({
  entry: ['src/cli.ts'],
  format: ['esm'],
  platform: 'node',
  target: 'node24',
  outDir: 'dist',
  clean: true,
  sourcemap: true,
  noExternal: [/^@chatsynth\//],
});

import { defineConfig } from 'tsup';

// The JavaScript only: dist/index.d.ts is written by scripts/bundle-types.ts, with the router's types
// inlined (tsup's own declarations would import them from the private @chatsynth/api).
export default defineConfig({
  entry: ['src/index.ts'],
  format: ['esm'],
  platform: 'neutral',
  target: 'es2022',
  outDir: 'dist',
  clean: true,
  sourcemap: true,
  dts: false,
});

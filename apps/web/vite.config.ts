import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// The server's default port; `turbo dev` runs it beside Vite.
const api = 'http://localhost:3000';

export default defineConfig({
  plugins: [react()],
  server: {
    port: 5173,
    strictPort: true,
    // The Host header stays the page's (no changeOrigin), so the server's same-origin check on
    // writes compares the browser's Origin with the address the browser used, and the session
    // cookie is set for that address.
    proxy: {
      '/trpc': { target: api },
      '/api': { target: api },
    },
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: true,
    target: 'es2022',
    rolldownOptions: {
      output: {
        // Libraries in chunks named after them, so the initial load reads plainly in the build output.
        codeSplitting: {
          groups: [
            { name: 'react', test: /node_modules[\\/](react|react-dom|scheduler|react-router)[\\/]/ },
            // The virtualiser serves only the chat page: it stays in that route's chunk.
            {
              name: 'data',
              test: /node_modules[\\/](@tanstack[\\/](?!react-virtual|virtual-core)[^\\/]+|@trpc|superjson|copy-anything|is-what|@chatsynth)[\\/]/,
            },
          ],
        },
      },
    },
  },
});

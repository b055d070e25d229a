import { fileURLToPath } from 'node:url';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { defineConfig } from 'vitest/config';

const repositoryRoot = fileURLToPath(new URL('..', import.meta.url));

function inputs(mode: string): Record<string, string> {
  const entries: Record<string, string> = { main: 'index.html' };
  if (mode === 'test') entries.mock = 'tests/mock.html';
  return entries;
}

// `vite build --mode test` also builds tests/mock.html (the front end over a mocked
// IPC) into dist-test/, which the browser tests serve. The app build never contains it.
export default defineConfig(({ mode }) => ({
  plugins: [svelte()],
  clearScreen: false,
  server: {
    port: 5173,
    strictPort: true,
    // The i18n catalogue lives in core/i18n, outside ui/.
    fs: { allow: [repositoryRoot] },
  },
  build: {
    target: 'es2022',
    outDir: mode === 'test' ? 'dist-test' : 'dist',
    emptyOutDir: true,
    chunkSizeWarningLimit: 1500,
    rollupOptions: {
      input: inputs(mode),
    },
  },
  test: {
    include: ['src/**/*.test.ts'],
    environment: 'node',
  },
}));

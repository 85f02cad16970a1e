// Builds the peer and floor pages for `npm run bench` into bench/out/pages.
import { resolve } from 'node:path';
import { defineConfig } from 'vite';

export default defineConfig({
  root: resolve(import.meta.dirname, 'pages'),
  base: '/bench/',
  logLevel: 'warn',
  build: {
    outDir: resolve(import.meta.dirname, 'out/pages'),
    emptyOutDir: true,
    target: 'es2022',
    chunkSizeWarningLimit: 4096,
    rollupOptions: { input: { niivue: resolve(import.meta.dirname, 'pages/niivue.html'), floor: resolve(import.meta.dirname, 'pages/floor.html') } },
  },
});

/// <reference types="vitest/config" />
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// SharedArrayBuffer needs cross-origin isolation: every page and asset is served with these two
// headers, in dev and in preview. Any static host must send the same (see README).
const isolationHeaders = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

// A DICOMweb server (a PACS, e.g. Orthanc) reached through the page's own origin, so the page stays
// cross-origin isolated and the server needs no CORS: /dicom-web/… is forwarded to it. The proxy
// asks for uncompressed answers: Orthanc gzips each instance on the fly when the browser's
// Accept-Encoding allows it, and measured on loopback that made a 300-slice CT series take 12.8 s
// instead of 2.2 s (pixel data barely compresses, and the server compresses slower than it sends).
const dicomWeb = {
  '/dicom-web': { target: process.env.VOXLENS_DICOMWEB_TARGET ?? 'http://127.0.0.1:8042', changeOrigin: true, headers: { 'accept-encoding': 'identity' } },
};

export default defineConfig({
  plugins: [react()],
  server: { headers: isolationHeaders, proxy: dicomWeb },
  preview: { headers: isolationHeaders, proxy: dicomWeb },
  worker: { format: 'es' },
  build: { target: 'es2022', sourcemap: true },
  test: {
    include: ['src/**/*.test.ts', 'scripts/**/*.test.ts', 'bench/**/*.test.ts'],
    environment: 'node',
    testTimeout: 30_000,
  },
});

import { defineConfig } from '@playwright/test';
import { launchOptions } from './e2e/browser';
const port = Number(process.env.VOXLENS_E2E_PORT ?? 4179);
// The test PACS (e2e/orthanc.ts) listens here and the preview server forwards /dicom-web to it; not
// Orthanc's usual 8042, which a machine's own Orthanc service may hold.
process.env.VOXLENS_DICOMWEB_TARGET ??= 'http://127.0.0.1:8142';

export default defineConfig({
  testDir: 'e2e',
  timeout: 90_000,
  expect: { timeout: 15_000 },
  fullyParallel: false,
  workers: 1,
  retries: process.env.CI ? 1 : 0,
  reporter: [['list']],
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    viewport: { width: 960, height: 640 },
    launchOptions: launchOptions(),
  },
  webServer: {
    // VOXLENS_E2E_OUTDIR serves another build folder (two checkouts' runs side by side on one machine).
    command: `npx vite preview --port ${port} --strictPort --host 127.0.0.1${process.env.VOXLENS_E2E_OUTDIR ? ` --outDir ${process.env.VOXLENS_E2E_OUTDIR}` : ''}`,
    url: `http://127.0.0.1:${port}/`,
    reuseExistingServer: !process.env.CI,
    timeout: 60_000,
  },
});

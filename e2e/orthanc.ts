// A real PACS for the e2e tests: Orthanc with its DICOMweb plugin (Debian packages `orthanc`,
// `orthanc-dicomweb`; .ci/run installs them), started on loopback with a throwaway store. The
// preview server forwards /dicom-web to it (vite.config.ts), as a deployment's proxy would.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const ORTHANC_BINARY = process.env.ORTHANC_PATH ?? '/usr/sbin/Orthanc';
const PLUGIN = '/usr/share/orthanc/plugins/libOrthancDicomWeb.so';
export const hasOrthanc = existsSync(ORTHANC_BINARY) && existsSync(PLUGIN);
export const ORTHANC_SKIP = `Orthanc with DICOMweb is not installed (${ORTHANC_BINARY}, ${PLUGIN}): apt-get install -y orthanc orthanc-dicomweb`;
/** The port vite.config.ts forwards /dicom-web to. */
const PORT = Number(new URL(process.env.VOXLENS_DICOMWEB_TARGET ?? 'http://127.0.0.1:8042').port || 8042);

export interface Orthanc {
  url: string;
  upload(files: string[]): Promise<void>;
  /** Deletes every patient (and so every study) from the store. */
  clear(): Promise<void>;
  stop(): Promise<void>;
}

export async function startOrthanc(): Promise<Orthanc> {
  const dir = mkdtempSync(join(tmpdir(), 'voxlens-orthanc-'));
  const config = {
    Name: 'VoxlensTest',
    StorageDirectory: join(dir, 'db'),
    IndexDirectory: join(dir, 'db'),
    HttpPort: PORT,
    DicomPort: 0,
    RemoteAccessAllowed: false,
    AuthenticationEnabled: false,
    Plugins: [PLUGIN],
    DicomWeb: { Enable: true, Root: '/dicom-web/' },
  };
  writeFileSync(join(dir, 'config.json'), JSON.stringify(config));
  const child: ChildProcess = spawn(ORTHANC_BINARY, [join(dir, 'config.json')], { stdio: 'ignore' });
  const url = `http://127.0.0.1:${PORT}`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    try {
      if ((await fetch(`${url}/system`)).ok) break;
    } catch {
      // not up yet
    }
    if (child.exitCode !== null) throw new Error(`Orthanc exited with code ${child.exitCode} (is port ${PORT} taken?)`);
    if (Date.now() > deadline) throw new Error('Orthanc did not start within 30 s');
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    url,
    async upload(files) {
      for (const f of files) {
        const r = await fetch(`${url}/instances`, { method: 'POST', body: readFileSync(f) });
        if (!r.ok) throw new Error(`Orthanc refused ${f}: HTTP ${r.status}`);
      }
    },
    async clear() {
      const patients = (await (await fetch(`${url}/patients`)).json()) as string[];
      for (const id of patients) await fetch(`${url}/patients/${id}`, { method: 'DELETE' });
    },
    async stop() {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

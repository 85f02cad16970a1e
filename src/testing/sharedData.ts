// Access to ../shared/data (real public volumes with ground truth), for tests that skip cleanly
// when the folder is absent. Node only.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface ManifestProbe {
  label: string;
  ijk: number[];
  raw: number | number[];
  scaled: number | number[];
  world: number[];
}

export interface ManifestEntry {
  file: string;
  format: string;
  dims: number[];
  datatype: string;
  affine: number[][];
  axcodes: string;
  slope: number | null;
  inter: number | null;
  probes: ManifestProbe[];
  /** The largest raw value (RGB files: a per-channel list). */
  raw_max?: number | number[];
}

const here = dirname(fileURLToPath(import.meta.url));
export const SHARED_DATA_DIR = process.env.VOXLENS_SHARED_DATA ?? resolve(here, '../../../shared/data');
export const hasSharedData = existsSync(join(SHARED_DATA_DIR, 'manifest.json'));
export const SKIP_REASON = `../shared/data not found at ${SHARED_DATA_DIR}: real-data tests skipped`;

export function loadManifest(): ManifestEntry[] {
  if (!hasSharedData) return [];
  return JSON.parse(readFileSync(join(SHARED_DATA_DIR, 'manifest.json'), 'utf8')) as ManifestEntry[];
}

/** The manifest's single-file volumes (NIfTI, NRRD, MGZ): everything but the DICOM series. */
export const volumeEntries = (): ManifestEntry[] => loadManifest().filter((e) => e.format !== 'dicom');

/** The manifest's datatype as Voxlens names it ("FLOAT32", "NRRD unsigned char", "MGH_UCHAR" → float32, uint8, uint8). */
export function manifestDatatype(entry: ManifestEntry): string {
  const named: Record<string, string> = { MGH_UCHAR: 'uint8', MGH_INT: 'int32', MGH_FLOAT: 'float32', MGH_SHORT: 'int16' };
  const nrrd: Record<string, string> = { 'unsigned char': 'uint8', 'signed char': 'int8', short: 'int16', 'unsigned short': 'uint16', int: 'int32', 'unsigned int': 'uint32', float: 'float32', double: 'float64' };
  const t = entry.datatype;
  if (t.startsWith('NRRD ')) return nrrd[t.slice(5)] ?? t;
  return named[t] ?? t.toLowerCase();
}


/** Relative closeness for floats, absolute for values near zero. */
export function close(actual: number, expected: number, rel = 1e-5, abs = 1e-6): boolean {
  return Math.abs(actual - expected) <= Math.max(abs, rel * Math.abs(expected));
}

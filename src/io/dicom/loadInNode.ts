// For tests: what the DICOM worker does with a drop of files, in one synchronous-looking pass in
// Node: parse each header, group into series, build the chosen one, decode every plane into its
// slot. No worker, no pool: the voxels land in a plain ArrayBuffer.
import { DATA_TYPES, voxelView, type VoxelArray } from '../../volume/dataTypes';
import type { VolumeHeader } from '../../volume/header';
import { fail, ok, type Result } from '../errors';
import type { ScanResult } from '../worker/dicomProtocol';
import { decodeFrameAsync } from './pixels';
import { buildSeries, seriesCandidates, type Scanned } from './series';
import { fileInfo, framePixels, parseDataSet } from './tags';

export interface LoadedInNode {
  header: VolumeHeader;
  values: VoxelArray;
  scanned: Scanned;
}

export function scanInNode(files: readonly Uint8Array[]): ScanResult[] {
  return files.map((bytes, file): ScanResult => {
    const name = `file${file}.dcm`;
    const parsed = parseDataSet(bytes, name, false);
    if (parsed.kind === 'error') return { kind: 'skipped', file, name, error: parsed };
    const info = fileInfo(parsed.value, file, name);
    return info.kind === 'error' ? { kind: 'skipped', file, name, error: info } : { kind: 'ok', info: info.value };
  });
}

/** Scans, builds the first (largest) series, or the one `key` names, and decodes it. */
export async function loadInNode(files: readonly Uint8Array[], key?: string): Promise<Result<LoadedInNode>> {
  const scanned = seriesCandidates(scanInNode(files));
  const candidate = key === undefined ? scanned.candidates[0] : scanned.candidates.find((c) => c.key === key || c.seriesUid === key);
  if (!candidate) return fail('unknown-format', `no series: ${scanned.skipped.map((s) => s.message).join(' ')}`);
  const built = buildSeries(candidate);
  if (built.kind === 'error') return built;
  const { header, plan, bytes } = built.value;
  const memory = new ArrayBuffer(bytes);
  const slotBytes = bytes / plan.slices.length;
  const infos = new Map(candidate.files.map((f) => [f.file, f]));
  for (const s of plan.slices) {
    const info = infos.get(s.file)!;
    const ds = parseDataSet(files[s.file], info.name, false);
    if (ds.kind === 'error') return ds;
    const src = framePixels(ds.value, info, s.frame);
    if (src.kind === 'error') return src;
    const decoded = await decodeFrameAsync(info.transferSyntax, src.value, new Uint8Array(memory, s.slot * slotBytes, slotBytes), plan.format);
    if (decoded.kind === 'error') return fail(decoded.code, `${info.name}: ${decoded.message}`);
  }
  const values = voxelView(header.datatype, memory, bytes / DATA_TYPES[header.datatype].bytesPerVoxel);
  return ok({ header, values, scanned });
}

// A series' geometry from the DICOMweb server before any pixel is fetched: WADO-RS "retrieve
// series metadata" (PS3.18 §10.4.1.1.2) answers every instance's header as DICOM JSON, which
// dicom/tags.ts reads through the same TagReader as a parsed file. The series builder then sizes
// and places the volume, and the frames are fetched straight into their slots.
import type { TagReader } from '../dicom/tags';
import { infoFromTags } from '../dicom/tags';
import type { DicomFileInfo } from '../dicom/types';
import { fail, ok, type Result } from '../errors';
import type { ScanResult } from '../worker/dicomProtocol';
import { getJson, isPersonName, type DicomJson, type JsonValue } from './qido';

const text = (v: JsonValue): string => (typeof v !== 'object' ? String(v) : isPersonName(v) ? (v.Alphabetic ?? '') : '');

/** DICOM JSON (PS3.18 Annex F) read as tags: keys are upper-case hex, 'x00280010' → '00280010'. */
export function jsonTags(o: DicomJson): TagReader {
  const entry = (tag: string) => o[tag.slice(1).toUpperCase()];
  const values = (tag: string) => entry(tag)?.Value;
  const number = (v: JsonValue | undefined): number | undefined => {
    // JSON null stands for an empty value (PS3.18 F.2.5).
    if (v === undefined || v === null || typeof v === 'object') return undefined;
    const n = typeof v === 'number' ? v : Number(String(v).trim());
    return String(v).trim() === '' || !Number.isFinite(n) ? undefined : n;
  };
  return {
    string: (tag) => {
      const vs = values(tag);
      return vs?.length ? vs.map((v) => (v === null ? '' : text(v))).join('\\') : undefined;
    },
    uint16: (tag) => number(values(tag)?.[0]),
    intString: (tag) => {
      const n = number(values(tag)?.[0]);
      return n === undefined ? undefined : Math.trunc(n);
    },
    floatString: (tag, index = 0) => number(values(tag)?.[index]),
    item: (tag, n = 0) => {
      const inner = values(tag)?.[n];
      return inner !== undefined && inner !== null && typeof inner === 'object' && !isPersonName(inner) ? jsonTags(inner) : undefined;
    },
    has: (tag) => entry(tag) !== undefined,
  };
}

export interface SeriesMetadata {
  /** The WADO-RS address of each instance, in the order of `results` (file index = position). */
  urls: string[];
  /** Each instance's header, as a scan of the files would have read it (transfer syntax unknown yet). */
  results: ScanResult[];
}

/** Every instance's header of one series, and where to fetch each. */
export async function seriesMetadata(base: string, studyUid: string, seriesUid: string, signal?: AbortSignal): Promise<Result<SeriesMetadata>> {
  const series = `${base}/studies/${encodeURIComponent(studyUid)}/series/${encodeURIComponent(seriesUid)}`;
  const got = await getJson(`${series}/metadata`, signal);
  if (got.kind === 'error') return got;
  const urls: string[] = [];
  const results: ScanResult[] = [];
  for (const o of got.value) {
    const tags = jsonTags(o);
    const sop = tags.string('x00080018');
    if (!sop) continue;
    const file = urls.length;
    const name = `instance ${sop}`;
    urls.push(`${series}/instances/${encodeURIComponent(sop)}`);
    const info: Result<DicomFileInfo> = infoFromTags(tags, file, name, false);
    results.push(info.kind === 'ok' ? { kind: 'ok', info: info.value } : { kind: 'skipped', file, name, error: info });
  }
  return urls.length ? ok({ urls, results }) : fail('missing-file', `The server lists no instances for series ${seriesUid}.`);
}

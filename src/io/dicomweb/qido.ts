// DICOMweb search (QIDO-RS, PS3.18 §10.6) and the WADO-RS addresses of a series' instances.
// Answers are DICOM JSON (PS3.18 Annex F): { "00100010": { vr: "PN", Value: [{ Alphabetic }] } }.
import { fail, ok, type Result } from '../errors';

/** A person name's groups (PN), a sequence's items (SQ), or a number or string. */
export type JsonValue = string | number | null | { Alphabetic?: string } | DicomJson;
export type DicomJson = { [tag: string]: { vr?: string; Value?: JsonValue[]; BulkDataURI?: string } | undefined };

export const isPersonName = (v: JsonValue): v is { Alphabetic?: string } => typeof v === 'object' && v !== null && ('Alphabetic' in v || Object.keys(v).length === 0);

const first = (o: DicomJson, tag: string): string | undefined => {
  const v = o[tag]?.Value?.[0];
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'object') return isPersonName(v) ? v.Alphabetic?.replace(/\^+/g, ' ').trim() || undefined : undefined;
  return String(v);
};
const all = (o: DicomJson, tag: string): string[] => (o[tag]?.Value ?? []).map(String);

export interface StudyQuery {
  patientName?: string;
  patientId?: string;
  /** YYYY-MM-DD or YYYYMMDD; either end may be left out. */
  dateFrom?: string;
  dateTo?: string;
  modality?: string;
}

export interface StudySummary {
  studyUid: string;
  patientName?: string;
  patientId?: string;
  date?: string;
  description?: string;
  modalities: string[];
  seriesCount?: number;
  instanceCount?: number;
}

export interface SeriesSummary {
  seriesUid: string;
  modality?: string;
  description?: string;
  number?: number;
  instanceCount?: number;
}

const dicomDate = (d?: string) => (d ? d.replace(/-/g, '') : '');

/** The QIDO-RS query string: a name matches by prefix (wildcard), dates as a range. */
export function studyQueryString(q: StudyQuery): string {
  const p = new URLSearchParams();
  if (q.patientName?.trim()) p.set('PatientName', `${q.patientName.trim()}*`);
  if (q.patientId?.trim()) p.set('PatientID', q.patientId.trim());
  if (q.dateFrom || q.dateTo) p.set('StudyDate', `${dicomDate(q.dateFrom)}-${dicomDate(q.dateTo)}`);
  if (q.modality?.trim()) p.set('ModalitiesInStudy', q.modality.trim().toUpperCase());
  for (const field of ['00081030', '00201206', '00201208', '00080061']) p.append('includefield', field);
  return p.toString();
}

export async function getJson(url: string, signal?: AbortSignal): Promise<Result<DicomJson[]>> {
  let response: Response;
  try {
    response = await fetch(url, { headers: { Accept: 'application/dicom+json' }, signal });
  } catch (e) {
    if (signal?.aborted) return fail('cancelled', 'Cancelled.');
    return fail('fetch-failed', `The DICOMweb server at ${url} did not answer (${e instanceof Error ? e.message : String(e)}).`);
  }
  if (response.status === 204) return ok([]);
  if (!response.ok) return fail('fetch-failed', `The DICOMweb server answered ${url} with HTTP ${response.status} ${response.statusText}.`);
  try {
    const body: unknown = await response.json();
    if (!Array.isArray(body)) return fail('bad-header', `${url} did not answer with a DICOM JSON list.`);
    return ok(body as DicomJson[]);
  } catch {
    return fail('bad-header', `${url} did not answer with JSON (content type ${response.headers.get('content-type') ?? 'none'}): is it a DICOMweb server?`);
  }
}

export async function searchStudies(base: string, q: StudyQuery, signal?: AbortSignal): Promise<Result<StudySummary[]>> {
  const got = await getJson(`${base}/studies?${studyQueryString(q)}`, signal);
  if (got.kind === 'error') return got;
  return ok(
    got.value.flatMap((o) => {
      const studyUid = first(o, '0020000D');
      if (!studyUid) return [];
      const n = (tag: string) => (first(o, tag) !== undefined ? Number(first(o, tag)) : undefined);
      return [{ studyUid, patientName: first(o, '00100010'), patientId: first(o, '00100020'), date: first(o, '00080020'), description: first(o, '00081030'), modalities: all(o, '00080061'), seriesCount: n('00201206'), instanceCount: n('00201208') }];
    }),
  );
}

export async function listSeries(base: string, studyUid: string, signal?: AbortSignal): Promise<Result<SeriesSummary[]>> {
  const got = await getJson(`${base}/studies/${encodeURIComponent(studyUid)}/series?includefield=00201209`, signal);
  if (got.kind === 'error') return got;
  return ok(
    got.value
      .flatMap((o) => {
        const seriesUid = first(o, '0020000E');
        if (!seriesUid) return [];
        const num = first(o, '00200011');
        const count = first(o, '00201209');
        return [{ seriesUid, modality: first(o, '00080060'), description: first(o, '0008103E'), number: num !== undefined ? Number(num) : undefined, instanceCount: count !== undefined ? Number(count) : undefined }];
      })
      .sort((a, b) => (a.number ?? 0) - (b.number ?? 0)),
  );
}

/** What the WADO-RS request for one instance accepts: the instance as stored, whatever its transfer syntax. */
export const WADO_ACCEPT = 'multipart/related; type="application/dicom"; transfer-syntax=*';

/** The DICOMweb root: `?dicomweb=` on the page, else /dicom-web (which the dev and preview servers forward to a PACS). */
export const dicomWebBase = (): string => {
  const param = typeof location !== 'undefined' ? new URLSearchParams(location.search).get('dicomweb') : null;
  return (param ?? '/dicom-web').replace(/\/+$/, '');
};

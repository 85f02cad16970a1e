import { useEffect, useRef, useState, type FormEvent } from 'react';
import { dicomWebBase, listSeries, searchStudies, type SeriesSummary, type StudyQuery, type StudySummary } from '../io/dicomweb/qido';
import { loadDicomWeb } from '../state/dicomLoad';
import { useEscape } from './useEscape';
import { fetchPacsObjects, isSeriesOpen, openPacsObjects, RT_OBJECT_MODALITIES, type PacsObject } from '../state/rtPacs';

const date = (d?: string) => (d && /^\d{8}$/.test(d) ? `${d.slice(0, 4)}-${d.slice(4, 6)}-${d.slice(6)}` : (d ?? ''));

/** The last search and its answer, kept while the page lives: reopening the dialog shows them again. */
let remembered: { query: StudyQuery; studies: StudySummary[] | null } = { query: {}, studies: null };

/** Search a PACS (QIDO-RS), list a study's series, open one (WADO-RS) as a layer. */
export function PacsBrowser({ onClose }: { onClose: () => void }) {
  const [query, setQuery] = useState<StudyQuery>(remembered.query);
  const [studies, setStudies] = useState<StudySummary[] | null>(remembered.studies);
  const dialog = useRef<HTMLDivElement>(null);
  useEffect(() => {
    remembered = { query, studies };
  }, [query, studies]);
  // The dialog takes focus when it opens; Escape closes it wherever focus has gone since.
  useEffect(() => {
    dialog.current?.querySelector<HTMLElement>('input, select, button')?.focus();
  }, []);
  useEscape(onClose);
  const [series, setSeries] = useState<Record<string, SeriesSummary[] | string>>({});
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const base = dicomWebBase();

  const search = async (e?: FormEvent) => {
    e?.preventDefault();
    setBusy(true);
    setError(null);
    const r = await searchStudies(base, query);
    setBusy(false);
    if (r.kind === 'error') {
      setError(r.message);
      setStudies(null);
    } else setStudies(r.value);
  };

  const expand = async (study: StudySummary) => {
    if (series[study.studyUid]) return;
    const r = await listSeries(base, study.studyUid);
    setSeries((s) => ({ ...s, [study.studyUid]: r.kind === 'error' ? r.message : r.value }));
  };

  // A SEG or RTSTRUCT whose images are not open: the series it refers to, offered first (issue 22).
  const [offer, setOffer] = useState<{ study: StudySummary; object: SeriesSummary; objects: PacsObject[]; referenced: SeriesSummary } | null>(null);
  const openObjects = async (study: StudySummary, s: SeriesSummary) => {
    setBusy(true);
    setError(null);
    const got = await fetchPacsObjects(base, study.studyUid, s.seriesUid);
    setBusy(false);
    if (got.kind === 'error') return setError(got.message);
    const uid = got.value.find((o) => o.referencedSeriesUid)?.referencedSeriesUid;
    const list = series[study.studyUid];
    const referenced = Array.isArray(list) ? list.find((x) => x.seriesUid === uid) : undefined;
    if (referenced && !isSeriesOpen(uid)) return setOffer({ study, object: s, objects: got.value, referenced });
    onClose();
    void openPacsObjects(got.value);
  };
  const acceptOffer = (withImages: boolean) => {
    if (!offer) return;
    onClose();
    // The images' load begins first: the SEG's layers wait for it and land on its grid.
    if (withImages) void loadDicomWeb(base, offer.study.studyUid, offer.referenced.seriesUid, { name: offer.referenced.description ?? `series ${offer.referenced.number ?? ''}`.trim() });
    void openPacsObjects(offer.objects);
  };

  const open = async (study: StudySummary, s: SeriesSummary) => {
    if (s.modality && RT_OBJECT_MODALITIES.has(s.modality.toUpperCase())) return openObjects(study, s);
    onClose();
    void loadDicomWeb(base, study.studyUid, s.seriesUid, { name: s.description ?? `${study.patientName ?? 'series'} ${s.number ?? ''}`.trim() });
  };

  const field = (key: keyof StudyQuery, label: string, type = 'text') => (
    <label>
      {label}
      <input type={type} value={query[key] ?? ''} onChange={(e) => setQuery({ ...query, [key]: e.target.value })} data-testid={`pacs-${key}`} />
    </label>
  );

  return (
    <div className="modal-backdrop">
      <div ref={dialog} className="modal pacs" role="dialog" aria-modal="true" aria-labelledby="pacs-title" data-testid="pacs-browser">
        <h2 id="pacs-title">PACS studies</h2>
        <p className="muted">DICOMweb at {base} · not for diagnostic use</p>
        <form className="pacs-search" onSubmit={(e) => void search(e)}>
          {field('patientName', 'Patient name')}
          {field('patientId', 'Patient ID')}
          {field('dateFrom', 'From', 'date')}
          {field('dateTo', 'To', 'date')}
          <label>
            Modality
            <select value={query.modality ?? ''} title="Only studies with this modality" onChange={(e) => setQuery({ ...query, modality: e.target.value })} data-testid="pacs-modality">
              {['', 'CT', 'MR', 'PT', 'US', 'CR', 'DX', 'NM', 'SEG', 'RTSTRUCT', 'RTDOSE'].map((m) => (
                <option key={m} value={m}>
                  {m || 'any'}
                </option>
              ))}
            </select>
          </label>
          <button type="submit" disabled={busy} title="Search the PACS (QIDO-RS)">
            {busy ? 'Searching…' : 'Search'}
          </button>
        </form>
        {error && (
          <p className="pacs-error" role="alert">
            {error}
          </p>
        )}
        {offer && (
          <div className="pacs-offer" role="alert" data-testid="pacs-offer">
            <p>
              This {offer.object.modality} refers to {offer.referenced.modality} {offer.referenced.number !== undefined ? `#${offer.referenced.number} ` : ''}
              {offer.referenced.description ?? ''}, which is not open.
            </p>
            <button type="button" onClick={() => acceptOffer(true)} data-testid="pacs-offer-both">
              Open both
            </button>{' '}
            <button type="button" onClick={() => acceptOffer(false)} data-testid="pacs-offer-only">
              Only the {offer.object.modality}
            </button>
          </div>
        )}
        {studies && (
          <div className="pacs-results">
            {studies.length === 0 && <p className="muted">No study matches.</p>}
            {studies.map((st) => {
              const list = series[st.studyUid];
              return (
                <details key={st.studyUid} onToggle={(e) => (e.currentTarget as HTMLDetailsElement).open && void expand(st)} data-testid="pacs-study">
                  <summary>
                    <strong>{st.patientName ?? 'anonymous'}</strong> <span className="muted">{st.patientId}</span> · {date(st.date)} · {st.description ?? 'no description'} · {st.modalities.join('/')}
                    {st.seriesCount !== undefined ? ` · ${st.seriesCount} series` : ''}
                  </summary>
                  {typeof list === 'string' ? (
                    <p className="pacs-error">{list}</p>
                  ) : !list ? (
                    <p className="muted">Loading series…</p>
                  ) : (
                    <ul className="series-list">
                      {list.map((s) => (
                        <li key={s.seriesUid}>
                          <button onClick={() => void open(st, s)} data-testid="pacs-series">
                            <strong>
                              {s.modality} {s.number !== undefined ? `#${s.number}` : ''} {s.description ?? ''}
                            </strong>
                            <span className="muted">{s.instanceCount !== undefined ? `${s.instanceCount} images` : ''}</span>
                          </button>
                        </li>
                      ))}
                    </ul>
                  )}
                </details>
              );
            })}
          </div>
        )}
        <button onClick={onClose} title="Close (Escape)">
          Close
        </button>
      </div>
    </div>
  );
}

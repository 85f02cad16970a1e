import { useViewerStore } from '../state/viewerStore';
import { Section } from './Section';

const date = (d?: string) => (d && /^\d{8}$/.test(d) ? `${d.slice(0, 4)}-${d.slice(4, 6)}-${d.slice(6)}` : d);

/** Who and what the DICOM layers are, with the notice every DICOM view must carry. */
export function DicomPanel() {
  const layers = useViewerStore((s) => s.layers).filter((l) => l.dicom);
  if (!layers.length) return null;
  return (
    <Section id="dicom" title="DICOM" testId="dicom-panel" tooltip="who and what the DICOM layers are">
      <p className="not-diagnostic" role="note">Not for diagnostic use</p>
      {layers.map((l) => {
        const d = l.dicom!;
        const rows: [string, string | number | undefined][] = [
          ['Patient', d.patientName],
          ['Patient ID', d.patientId],
          ['Study date', date(d.studyDate)],
          ['Study', d.studyDescription],
          ['Series', [d.seriesNumber, d.seriesDescription].filter((x) => x !== undefined).join(' · ') || undefined],
          ['Modality', d.modality],
          ['Institution', d.institution],
          ['Images', `${d.images} · ${d.transferSyntax}`],
        ];
        return (
          <dl key={l.id} className="kv" data-testid={`dicom-meta-${l.id}`}>
            {rows
              .filter(([, v]) => v !== undefined && v !== '')
              .map(([k, v]) => (
                <div key={k} className="kv-row">
                  <dt>{k}</dt>
                  <dd>{v}</dd>
                </div>
              ))}
          </dl>
        );
      })}
    </Section>
  );
}

// Where each open layer came from, for the view state (viewState.ts): a URL or a PACS series a link
// can load again, or local files a link can only name. Told by loadVolume (actions.ts) and
// loadDicomWeb (dicomLoad.ts) when a layer is added; a layer with no entry (a DICOM series from
// local files) is left out of links, and the share notice says so.
import { mainFileIndex } from '../io/fileGroups';
import type { LayerSourceState } from './viewState';

type Source = string | Blob;

const sources = new Map<string, LayerSourceState>();

/** A URL as a link keeps it: a path when it is on this page's origin (the link then works on any host of the app). */
export function shareableAddress(url: string): string {
  if (typeof location === 'undefined') return url;
  try {
    const u = new URL(url, location.href);
    return u.origin === location.origin ? `${u.pathname}${u.search}` : u.href;
  } catch {
    return url;
  }
}

const fileName = (s: Source, fallback: string): string => (typeof File !== 'undefined' && s instanceof File ? s.name : fallback);

/** What `source` (as loadVolume was given it) is in a link; undefined where a link cannot carry it (URLs with companion URLs). */
export function sourceState(source: Source | readonly Source[], name: string): LayerSourceState | undefined {
  if (typeof source === 'string') return { url: shareableAddress(source) };
  if (!Array.isArray(source)) return { file: fileName(source as Blob, name) };
  const list = source as readonly Source[];
  if (list.some((s) => typeof s === 'string')) return undefined;
  const names = list.map((s, i) => fileName(s, i === 0 ? name : `${name}.${i}`));
  const main = mainFileIndex(names.map((n) => ({ name: n })));
  const companions = names.filter((_, i) => i !== main);
  return companions.length ? { file: names[main], companions } : { file: names[main] };
}

export function noteLayerSource(layerId: string, source: Source | readonly Source[], name: string): void {
  const s = sourceState(source, name);
  if (s) sources.set(layerId, s);
}

/** Loads whose layer is shown before they finish (a PACS series, drawn while it arrives): kept while they run. */
const loading = new Set<string>();

/**
 * A series opened from the DICOMweb server at `server` (its root, as loadDicomWeb was given it),
 * noted when its load starts, since its layer is shown while it arrives. Call the function returned
 * when the load ends: `added` false (failed, cancelled) forgets it.
 */
export function notePacsSource(layerId: string, server: string, study: string, series: string): (added: boolean) => void {
  sources.set(layerId, { pacs: { server: shareableAddress(server), study, series } });
  loading.add(layerId);
  return (added) => {
    loading.delete(layerId);
    if (!added) sources.delete(layerId);
  };
}

export const layerSourceOf = (layerId: string): LayerSourceState | undefined => sources.get(layerId);

/** Forgets closed layers (called when capturing). */
export function forgetLayerSources(openIds: readonly string[]): void {
  for (const id of [...sources.keys()]) if (!openIds.includes(id) && !loading.has(id)) sources.delete(id);
}

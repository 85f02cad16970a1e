// Files from the Open… and Folder… pickers and from drops: DICOM images become one series load
// (the user picks a series when they hold several), headers go with their data files, a label
// lookup of a volume's stem (or a FreeSurfer colour table) names that volume's labels, and every
// other volume file is a layer of its own, in the order given.
import { groupFiles, HEADER_TEXT_BYTES, type FileGroup } from '../io/fileGroups';
import type { Result } from '../io/errors';
import { loadVolume, openLabelLookup } from '../state/actions';
import { isDicomSource, loadDicom } from '../state/dicomLoad';
import { useViewerStore, type LayerMeta } from '../state/viewerStore';

/** Names a volume decoder might read; in a drop with DICOM images, anything else is skipped. */
const VOLUME_NAME = /\.(nii|nii\.gz|hdr|hdr\.gz|img|img\.gz|nrrd|nhdr|raw|raw\.gz|mgh|mgz|gz)$/i;

export async function openFiles(files: File[]): Promise<void> {
  const dicomFlags = await Promise.all(files.map((f) => isDicomSource(f)));
  const dicom = files.filter((_, i) => dicomFlags[i]);
  let rest = files.filter((_, i) => !dicomFlags[i]);
  if (dicom.length) {
    const skipped = rest.filter((f) => !VOLUME_NAME.test(f.name));
    rest = rest.filter((f) => VOLUME_NAME.test(f.name));
    if (skipped.length) {
      useViewerStore.getState().notify({
        kind: 'info',
        title: `${skipped.length} file${skipped.length > 1 ? 's' : ''} skipped`,
        message: `Neither DICOM images nor volumes: ${skipped.slice(0, 5).map((f) => f.name).join(', ')}${skipped.length > 5 ? ` and ${skipped.length - 5} more` : ''}.`,
      });
    }
    void loadDicom(dicom, { askUser: true });
  }
  const groups = await groupFiles(rest, (f) => f.slice(0, HEADER_TEXT_BYTES).text());
  const loads = groups.map(async (g) => ({ group: g, result: await loadVolume(g.companions.length ? [g.main, ...g.companions] : g.main) }));
  void attachLookups(loads);
}

/**
 * Names the labels of each volume loaded with a lookup, once it is shown: a lookup of its stem
 * always, a FreeSurfer colour table where the volume opened as a label map. A colour table no
 * volume took is said so, not dropped silently.
 */
async function attachLookups(loads: Promise<{ group: FileGroup<File>; result: Result<LayerMeta> }>[]): Promise<void> {
  const unused = new Map<File, boolean>();
  await Promise.all(
    loads.map(async (load) => {
      const { group, result } = await load;
      const lookup = group.lookup;
      if (!lookup) return;
      if (!unused.has(lookup.file)) unused.set(lookup.file, true);
      if (result.kind === 'error') return;
      const layer = useViewerStore.getState().layers.find((l) => l.id === result.value.id);
      if (!layer || (lookup.by === 'colour table' && layer.display.colormap !== 'label')) return;
      unused.set(lookup.file, false);
      const attached = await openLabelLookup(layer.id, lookup.file, lookup.file.name, { quiet: true });
      if (attached.kind === 'ok' && attached.value === 'none') {
        useViewerStore.getState().notify({ kind: 'info', title: `${lookup.file.name} not used`, message: `${lookup.file.name} was dropped with ${group.main.name} but is not a list of label names (lines "index name", or JSON { "1": "name" }).` });
      }
    }),
  );
  for (const [file, notUsed] of unused) {
    if (notUsed) useViewerStore.getState().notify({ kind: 'info', title: `${file.name} not used`, message: `None of the volumes opened with ${file.name} is a label map; open it for one with the layer's Names… button.` });
  }
}

/** The files of a drop, folders walked recursively (a dropped DICOM folder). */
export async function filesFromDrop(data: DataTransfer): Promise<File[]> {
  const entries = Array.from(data.items, (item) => item.webkitGetAsEntry?.() ?? null);
  if (!entries.length || entries.some((e) => e === null)) return Array.from(data.files);
  const out: File[] = [];
  const walk = async (entry: FileSystemEntry): Promise<void> => {
    if (entry.isFile) {
      out.push(await new Promise<File>((resolve, reject) => (entry as FileSystemFileEntry).file(resolve, reject)));
    } else if (entry.isDirectory) {
      const reader = (entry as FileSystemDirectoryEntry).createReader();
      // readEntries answers in batches (100 in Chromium) until an empty one.
      for (;;) {
        const batch = await new Promise<FileSystemEntry[]>((resolve, reject) => reader.readEntries(resolve, reject));
        if (!batch.length) break;
        for (const e of batch) await walk(e);
      }
    }
  };
  for (const e of entries) if (e) await walk(e);
  return out;
}

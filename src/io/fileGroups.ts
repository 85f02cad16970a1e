// Which files make one volume. A detached NRRD header (.nhdr) names its data files; a NIfTI/Analyze
// .hdr has its voxels in the .img of the same stem. A drop of many files becomes one load per
// volume: each header with its data files, every other file alone, in the order dropped. A label
// lookup (`atlas.txt`, `.lut`, `.json`, `.ctbl`) of a volume's stem goes with that volume, and a
// FreeSurfer colour table (`*LUT.txt`, `.ctbl`) with every volume of the drop, for the label maps.
import { companionImageNames } from './decoders/niftiCommon';
import { nrrdDataFiles } from './decoders/nrrd';

export interface NamedFile {
  name: string;
}

const HEADER = /\.(nhdr|hdr|hdr\.gz)$/i;
/** Read as a header's text: enough for any real NRRD header's `data file` lines. */
export const HEADER_TEXT_BYTES = 1 << 20;

const baseName = (path: string) => path.slice(Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\')) + 1);

/** Of several files given for one volume, the one to open first: the header when one is named so. */
export function mainFileIndex(files: readonly NamedFile[]): number {
  const i = files.findIndex((f) => HEADER.test(f.name));
  return i < 0 ? 0 : i;
}

export interface FileGroup<F extends NamedFile> {
  main: F;
  companions: F[];
  /**
   * A label lookup dropped with the volume: 'stem' (`atlas.json` with `atlas.nii.gz`) names its
   * labels whatever its values; 'colour table' (a FreeSurfer `*LUT.txt` of no volume's stem) is for
   * the volume only if it opens as a label map.
   */
  lookup?: { file: F; by: 'stem' | 'colour table' };
}

const VOLUME_EXTENSION = /\.(nii|nii\.gz|mgz|mgh|nrrd|nhdr|hdr|hdr\.gz|img|img\.gz)$/i;
const LOOKUP_EXTENSION = /\.(txt|lut|json|ctbl)$/i;
/** FreeSurfer's colour tables: FreeSurferColorLUT.txt, a subject's `*LUT.txt`, `*.ctbl`. */
const COLOUR_TABLE = /(lut\.txt|\.ctbl)$/i;

/** A volume file's stem: its name without folder and volume extension (`aal` of `atlases/aal.nii.gz`); undefined for other names. */
export function volumeStem(name: string): string | undefined {
  const base = baseName(name);
  const m = VOLUME_EXTENSION.exec(base);
  return m && m.index > 0 ? base.slice(0, m.index) : undefined;
}

/** Whether a name is a label lookup's: `.txt`, `.lut`, `.json`, `.ctbl`. */
export const isLookupName = (name: string): boolean => LOOKUP_EXTENSION.test(name);

/** A lookup file's stem (`aal` of `aal.json`); undefined for other names. */
export function lookupStem(name: string): string | undefined {
  const base = baseName(name);
  const m = LOOKUP_EXTENSION.exec(base);
  return m && m.index > 0 ? base.slice(0, m.index) : undefined;
}

/** The lookups tried beside a volume opened by URL, in order: `<stem>.txt`, `<stem>.lut`, `<stem>.json`. */
export function lookupNamesBeside(volumeName: string): string[] {
  const stem = volumeStem(volumeName);
  return stem ? ['txt', 'lut', 'json'].map((ext) => `${stem}.${ext}`) : [];
}

const sameStem = (a: string | undefined, b: string | undefined) => a !== undefined && b !== undefined && a.toLowerCase() === b.toLowerCase();

/**
 * Groups dropped files into volumes. `headerText` reads a .nhdr's text (only those are read, and
 * only their first HEADER_TEXT_BYTES). Data files no header claims load alone (and fail with a
 * message saying what they look like), so nothing dropped is silently ignored.
 */
export async function groupFiles<F extends NamedFile>(files: readonly F[], headerText: (file: F) => Promise<string>): Promise<FileGroup<F>[]> {
  const claimed = new Set<F>();
  const groups = new Map<F, F[]>();
  const byName = (name: string) => {
    const wanted = baseName(name);
    return files.find((f) => f.name === wanted) ?? files.find((f) => f.name.toLowerCase() === wanted.toLowerCase());
  };
  for (const f of files) {
    if (!HEADER.test(f.name)) continue;
    let names: string[];
    if (/\.nhdr$/i.test(f.name)) names = nrrdDataFiles(await headerText(f)) ?? [];
    else names = companionImageNames(f.name);
    const companions: F[] = [];
    for (const name of names) {
      const match = byName(name);
      if (match && match !== f && !HEADER.test(match.name) && !companions.includes(match)) companions.push(match);
    }
    companions.forEach((c) => claimed.add(c));
    groups.set(f, companions);
  }
  const volumes = files.filter((f) => !claimed.has(f) && !isLookupName(f.name)).map((f): FileGroup<F> => ({ main: f, companions: groups.get(f) ?? [] }));
  // Lookups: one of a volume's stem goes with it; a colour table of no volume's stem with every volume.
  const lookups = files.filter((f) => !claimed.has(f) && isLookupName(f.name));
  const unused: F[] = [];
  for (const lookup of lookups) {
    const owner = volumes.find((g) => !g.lookup && sameStem(volumeStem(g.main.name), lookupStem(lookup.name)));
    if (owner) owner.lookup = { file: lookup, by: 'stem' };
    else unused.push(lookup);
  }
  const table = volumes.length ? unused.find((f) => COLOUR_TABLE.test(f.name)) : undefined;
  if (table) for (const g of volumes) g.lookup ??= { file: table, by: 'colour table' };
  // The rest load alone (and fail, saying what they look like), in drop order.
  const alone = new Set(unused.filter((f) => f !== table));
  return files.flatMap((f): FileGroup<F>[] => {
    const volume = volumes.find((g) => g.main === f);
    return volume ? [volume] : alone.has(f) ? [{ main: f, companions: [] }] : [];
  });
}

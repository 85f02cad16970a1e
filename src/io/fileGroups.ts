// Which files make one volume. A detached NRRD header (.nhdr) names its data files; a NIfTI/Analyze
// .hdr has its voxels in the .img of the same stem. A drop of many files becomes one load per
// volume: each header with its data files, every other file alone, in the order dropped.
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
}

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
  return files.filter((f) => !claimed.has(f)).map((f) => ({ main: f, companions: groups.get(f) ?? [] }));
}

// Which fragments of encapsulated Pixel Data (PS3.5 A.4) make up each frame.
//
// Offsets count from the first byte of the first fragment's item tag (the byte after the Basic
// Offset Table item), as dicom-parser's fragment `offset` does. In order of trust:
//   1. the Extended Offset Table (7FE0,0001) and its lengths (7FE0,0002), one entry per frame;
//   2. a Basic Offset Table with one entry per frame;
//   3. an empty table (the common case) with as many fragments as frames: one fragment each
//      (always so for RLE, PS3.5 A.4.2);
//   4. otherwise JPEG-family streams split at their end markers (FFD9: JPEG EOI and J2K EOC; a
//      fragment that ends with one ends its frame).
// Anything else is refused with the counts, never guessed.
import { fail, ok, type Result } from '../../errors';

/** One fragment as dicom-parser lists it: `offset` of its item tag (see the header), `position` of its first data byte. */
export interface Fragment {
  offset: number;
  position: number;
  length: number;
}

export interface OffsetTables {
  /** The Basic Offset Table's entries ([] when empty). */
  basic: readonly number[];
  /** The Extended Offset Table's entries, where present. */
  extended?: readonly number[];
}

/** For each frame, the index range [first, end) of its fragments. */
export type FrameFragments = [first: number, end: number][];

/**
 * Whether a fragment ends a JPEG-family stream: its last bytes are FF D9 (EOI / EOC), after any
 * zero padding to an even length.
 */
export function endsWithEndMarker(bytes: Uint8Array, fragment: Fragment): boolean {
  let end = Math.min(bytes.length, fragment.position + fragment.length);
  while (end > fragment.position && bytes[end - 1] === 0) end--;
  return end - fragment.position >= 2 && bytes[end - 2] === 0xff && bytes[end - 1] === 0xd9;
}

/** Fragment ranges from a table of offsets, one per frame, each the offset of a frame's first fragment. */
function fromOffsets(fragments: readonly Fragment[], offsets: readonly number[], table: string): Result<FrameFragments> {
  const firsts: number[] = [];
  for (const [f, offset] of offsets.entries()) {
    const first = fragments.findIndex((x) => x.offset === offset);
    if (first < 0) return fail('bad-offset', `the ${table} gives frame ${f + 1} the offset ${offset}, where no fragment starts (fragments start at ${fragments.slice(0, 4).map((x) => x.offset).join(', ')}${fragments.length > 4 ? ', …' : ''})`);
    if (f > 0 && first <= firsts[f - 1]) return fail('bad-offset', `the ${table}'s offsets are not increasing at frame ${f + 1} (${offsets[f - 1]}, then ${offset})`);
    firsts.push(first);
  }
  return ok(firsts.map((first, f) => [first, f + 1 < firsts.length ? firsts[f + 1] : fragments.length]));
}

/**
 * The fragments of each of `frames` frames (see the header). `byEndMarker` allows step 4 (JPEG
 * family only: RLE has no end marker). Errors ('bad-offset') say which step failed and why.
 */
export function frameFragments(fragments: readonly Fragment[], frames: number, tables: OffsetTables, bytes: Uint8Array, byEndMarker: boolean): Result<FrameFragments> {
  if (fragments.length === 0) return fail('bad-offset', 'the encapsulated pixel data holds no fragments');
  if (frames === 1) return ok([[0, fragments.length]]);
  if (tables.extended && tables.extended.length > 0) {
    if (tables.extended.length !== frames) return fail('bad-offset', `the Extended Offset Table has ${tables.extended.length} entries for ${frames} frames`);
    return fromOffsets(fragments, tables.extended, 'Extended Offset Table');
  }
  if (tables.basic.length > 0) {
    if (tables.basic.length !== frames) return fail('bad-offset', `the Basic Offset Table has ${tables.basic.length} entries for ${frames} frames`);
    return fromOffsets(fragments, tables.basic, 'Basic Offset Table');
  }
  if (fragments.length === frames) return ok(fragments.map((_, f) => [f, f + 1]));
  if (!byEndMarker) {
    return fail('bad-offset', `the offset table is empty and ${fragments.length} fragments hold ${frames} frames: without one fragment per frame the frames cannot be told apart`);
  }
  const out: FrameFragments = [];
  let first = 0;
  fragments.forEach((fragment, i) => {
    if (endsWithEndMarker(bytes, fragment)) {
      out.push([first, i + 1]);
      first = i + 1;
    }
  });
  if (first < fragments.length || out.length !== frames) {
    return fail('bad-offset', `the offset table is empty and the ${fragments.length} fragments end ${out.length} JPEG streams (end markers FFD9)${first < fragments.length ? `, the last ${fragments.length - first} fragment(s) ending none` : ''}, for ${frames} frames`);
  }
  return ok(out);
}

/** The bytes of fragments [first, end): a view into `bytes` for one fragment, else one joined copy. */
export function joinFragments(bytes: Uint8Array, fragments: readonly Fragment[], [first, end]: [number, number]): Uint8Array {
  const span = fragments.slice(first, end);
  if (span.length === 1) return bytes.subarray(span[0].position, span[0].position + span[0].length);
  const out = new Uint8Array(span.reduce((n, f) => n + f.length, 0));
  let at = 0;
  for (const f of span) {
    out.set(bytes.subarray(f.position, f.position + f.length), at);
    at += f.length;
  }
  return out;
}

/** The 64-bit unsigned entries of an OV element (the Extended Offset Table), little endian. */
export function readOv(bytes: Uint8Array, offset: number, length: number): number[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset + offset, length - (length % 8));
  return Array.from({ length: Math.floor(length / 8) }, (_, i) => Number(view.getBigUint64(i * 8, true)));
}

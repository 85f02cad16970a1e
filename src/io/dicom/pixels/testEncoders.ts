// Encoders used by this folder's tests only: DICOM RLE frames and JPEG Lossless (process 14,
// predictor 1) streams built from known pixels, so the decoders can be checked without files.

/** Little-endian uint32 header of an RLE frame: segment count, then offsets (64 bytes). */
export function rleHeader(offsets: number[], count = offsets.length): Uint8Array {
  const header = new Uint8Array(64);
  const view = new DataView(header.buffer);
  view.setUint32(0, count, true);
  offsets.forEach((o, i) => view.setUint32(4 + 4 * i, o, true));
  return header;
}

/** An RLE frame from already coded segments (each padded to even length, as DICOM asks). */
export function rleFrame(segments: number[][]): Uint8Array {
  const padded = segments.map((s) => (s.length % 2 ? [...s, 0x80] : s));
  const offsets: number[] = [];
  let at = 64;
  for (const s of padded) {
    offsets.push(at);
    at += s.length;
  }
  const out = new Uint8Array(at);
  out.set(rleHeader(offsets));
  padded.forEach((s, i) => out.set(s, offsets[i]));
  return out;
}

/** PackBits-codes one byte plane: runs of 3 or more as repeat codes, the rest as literals. */
export function packBits(plane: ArrayLike<number>): number[] {
  const out: number[] = [];
  let i = 0;
  while (i < plane.length) {
    let run = 1;
    while (i + run < plane.length && run < 128 && plane[i + run] === plane[i]) run++;
    if (run >= 3) {
      out.push(257 - run, plane[i]);
      i += run;
      continue;
    }
    const start = i;
    while (i < plane.length && i - start < 128) {
      if (i + 2 < plane.length && plane[i] === plane[i + 1] && plane[i] === plane[i + 2]) break;
      i++;
    }
    out.push(i - start - 1, ...Array.from({ length: i - start }, (_, k) => plane[start + k]));
  }
  return out;
}

/** An RLE frame of little-endian values (`bytes` each, `samples` interleaved): byte planes MSB first. */
export function encodeRle(values: Uint8Array, bytes: number, samples: number): Uint8Array {
  const pixels = values.length / (bytes * samples);
  const segments: number[][] = [];
  for (let s = 0; s < samples; s++) {
    for (let b = bytes - 1; b >= 0; b--) {
      const plane = new Uint8Array(pixels);
      for (let p = 0; p < pixels; p++) plane[p] = values[(p * samples + s) * bytes + b];
      segments.push(packBits(plane));
    }
  }
  return rleFrame(segments);
}

class BitWriter {
  readonly bytes: number[] = [];
  private acc = 0;
  private n = 0;
  write(value: number, length: number) {
    for (let i = length - 1; i >= 0; i--) {
      this.acc = (this.acc << 1) | ((value >>> i) & 1);
      if (++this.n === 8) this.flush();
    }
  }
  private flush() {
    this.bytes.push(this.acc);
    if (this.acc === 0xff) this.bytes.push(0x00); // byte stuffing
    this.acc = 0;
    this.n = 0;
  }
  finish() {
    while (this.n !== 0) this.write(1, 1);
  }
}

/**
 * A JPEG Lossless stream (SOF3, predictor 1, point transform 0) of `components` interleaved
 * samples per pixel, `precision` bits each. Every difference category 0..16 has a 5-bit code.
 */
export function encodeJpegLossless(values: ArrayLike<number>, rows: number, columns: number, precision: number, components = 1): Uint8Array {
  const out: number[] = [0xff, 0xd8];
  const segment = (marker: number, body: number[]) => out.push(0xff, marker, (body.length + 2) >> 8, (body.length + 2) & 0xff, ...body);
  segment(0xfe, [...'voxlens test'].map((c) => c.charCodeAt(0))); // a comment before the frame
  const sof = [precision, rows >> 8, rows & 0xff, columns >> 8, columns & 0xff, components];
  for (let c = 0; c < components; c++) sof.push(c + 1, 0x11, 0);
  segment(0xc3, sof);
  const counts = new Array<number>(16).fill(0);
  counts[4] = 17; // 17 codes of 5 bits: categories 0..16 get codes 0..16
  segment(0xc4, [0x00, ...counts, ...Array.from({ length: 17 }, (_, i) => i)]);
  const sos = [components];
  for (let c = 0; c < components; c++) sos.push(c + 1, 0x00);
  sos.push(1, 0, 0); // Ss = predictor 1, Se = 0, Ah/Al = 0
  segment(0xda, sos);

  const bits = new BitWriter();
  const modulus = 2 ** 16;
  for (let y = 0; y < rows; y++) {
    for (let x = 0; x < columns; x++) {
      for (let c = 0; c < components; c++) {
        const at = (y * columns + x) * components + c;
        const prediction = x > 0 ? values[at - components] : y > 0 ? values[at - columns * components] : 1 << (precision - 1);
        let diff = (((values[at] - prediction) % modulus) + modulus) % modulus;
        if (diff > 32768) diff -= modulus;
        const category = diff === 0 ? 0 : Math.floor(Math.log2(Math.abs(diff))) + 1;
        bits.write(category, 5);
        if (category > 0 && category < 16) bits.write(diff > 0 ? diff : diff + (1 << category) - 1, category);
      }
    }
  }
  bits.finish();
  out.push(...bits.bytes, 0xff, 0xd9);
  return new Uint8Array(out);
}

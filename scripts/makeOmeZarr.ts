// Writes a volume as an OME-Zarr image pyramid, by hand (JSON metadata and compressed chunk files;
// no Zarr library): NGFF 0.4 on Zarr v2 (.zgroup, .zattrs, .zarray, chunks under "/" keys) or NGFF
// 0.5 on Zarr v3 (zarr.json with the "ome" attributes, chunks under c/…), gzip (fflate) or blosc
// (numcodecs: lz4, byte shuffle). Level 0 is the volume voxel for voxel; each coarser level keeps
// every other voxel along every axis longer than one chunk (stored values, not averages), with the
// scale and translation that put its voxels where they were.
//
//   npx tsx scripts/makeOmeZarr.ts IN (.nii[.gz], .nrrd, .mgz, …) OUT.ome.zarr [--zarr 2|3] [--codec gzip|blosc] [--chunk 32]
import { mkdirSync, openAsBlob, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { gzipSync } from 'fflate';
import { decodeVolume } from '../src/io/decodeStream';
import { ok } from '../src/io/errors';
import { blobSource } from '../src/io/sources';
import { voxelView, type DataType } from '../src/volume/dataTypes';
import { voxelCount } from '../src/volume/header';

export interface ZarrVolume {
  /** [nx, ny, nz]; values x fastest. */
  dims: [number, number, number];
  datatype: Extract<DataType, 'uint8' | 'int8' | 'uint16' | 'int16' | 'uint32' | 'int32' | 'float32' | 'float64'>;
  values: Uint8Array | Int8Array | Uint16Array | Int16Array | Uint32Array | Int32Array | Float32Array | Float64Array;
  /** Voxel size and the position of voxel (0, 0, 0) along x, y, z (mm). */
  spacing: [number, number, number];
  origin: [number, number, number];
  name: string;
  /**
   * More channels (same dims and type) after `values`: the image then has a channel axis (c, z, y,
   * x), one chunk per channel, and omero channel metadata with these labels and windows.
   */
  channels?: { values: ZarrVolume['values']; label: string; window: [number, number]; color?: string }[];
  /** 'time': the extra arrays are time points (a t axis, no omero), not channels. */
  leadingAxis?: 'channel' | 'time';
  /** The first channel's label, window and colour (hex RRGGBB), when there are several. */
  label?: string;
  window?: [number, number];
  color?: string;
}

export interface OmeZarrOptions {
  zarr: 2 | 3;
  codec: 'gzip' | 'blosc';
  /** Chunk edge (voxels) along each axis. */
  chunk: number;
  /** Levels at most (stops earlier when every axis fits one chunk). */
  levels?: number;
}

const V2_TYPES: Record<ZarrVolume['datatype'], string> = { uint8: '|u1', int8: '|i1', uint16: '<u2', int16: '<i2', uint32: '<u4', int32: '<i4', float32: '<f4', float64: '<f8' };

/** Every other voxel along each axis longer than `chunk`: the next level down the pyramid. */
function halve(v: ZarrVolume, chunk: number): { volume: ZarrVolume } {
  const factor = v.dims.map((n) => (n > chunk ? 2 : 1)) as [number, number, number];
  const dims = v.dims.map((n, a) => Math.ceil(n / factor[a])) as [number, number, number];
  const Ctor = v.values.constructor as new (n: number) => ZarrVolume['values'];
  const keep = (from: ZarrVolume['values']) => {
    const values = new Ctor(dims[0] * dims[1] * dims[2]);
    for (let k = 0; k < dims[2]; k++)
      for (let j = 0; j < dims[1]; j++)
        for (let i = 0; i < dims[0]; i++) values[(k * dims[1] + j) * dims[0] + i] = from[(k * factor[2] * v.dims[1] + j * factor[1]) * v.dims[0] + i * factor[0]];
    return values;
  };
  const channels = v.channels?.map((c) => ({ ...c, values: keep(c.values) }));
  return { volume: { ...v, dims, values: keep(v.values), ...(channels ? { channels } : {}), spacing: v.spacing.map((s, a) => s * factor[a]) as [number, number, number] } };
}

/** The chunk at grid (ci, cj, ck) of `values` in C order (z, y, x), padded with zeros past the edges. */
function chunkBytes(v: ZarrVolume, values: ZarrVolume['values'], chunk: number, ci: number, cj: number, ck: number): Uint8Array {
  const Ctor = v.values.constructor as new (n: number) => ZarrVolume['values'];
  const out = new Ctor(chunk * chunk * chunk);
  for (let z = 0; z < chunk; z++) {
    const k = ck * chunk + z;
    if (k >= v.dims[2]) break;
    for (let y = 0; y < chunk; y++) {
      const j = cj * chunk + y;
      if (j >= v.dims[1]) break;
      const row = (k * v.dims[1] + j) * v.dims[0] + ci * chunk;
      const n = Math.min(chunk, v.dims[0] - ci * chunk);
      out.set(values.subarray(row, row + n), (z * chunk + y) * chunk);
    }
  }
  return new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
}

async function compressor(codec: OmeZarrOptions['codec'], typesize: number): Promise<{ encode(b: Uint8Array): Promise<Uint8Array>; v2: object; v3: object }> {
  if (codec === 'gzip') return { encode: (b) => Promise.resolve(gzipSync(b, { level: 1 })), v2: { id: 'gzip', level: 1 }, v3: { name: 'gzip', configuration: { level: 1 } } };
  const { default: Blosc } = await import('numcodecs/blosc');
  const config = { cname: 'lz4', clevel: 5, shuffle: 1, blocksize: 0 };
  const blosc = Blosc.fromConfig({ id: 'blosc', ...config });
  return {
    encode: async (b) => blosc.encode(b),
    v2: { id: 'blosc', ...config },
    v3: { name: 'blosc', configuration: { cname: 'lz4', clevel: 5, shuffle: 'shuffle', typesize, blocksize: 0 } },
  };
}

/** Writes `volume` as an OME-Zarr pyramid at `dir` (replacing what is there); returns the files written, relative to `dir`. */
export async function writeOmeZarr(dir: string, volume: ZarrVolume, opts: OmeZarrOptions): Promise<string[]> {
  rmSync(dir, { recursive: true, force: true });
  const written: string[] = [];
  const put = (rel: string, bytes: Uint8Array | string) => {
    mkdirSync(dirname(join(dir, rel)), { recursive: true });
    writeFileSync(join(dir, rel), bytes);
    written.push(rel);
  };
  const typesize = volume.values.BYTES_PER_ELEMENT;
  const codec = await compressor(opts.codec, typesize);
  const levels: { path: string; scale: number[]; translation: number[] }[] = [];
  let level = volume;
  for (let n = 0; n < (opts.levels ?? 8); n++) {
    const path = String(n);
    const grid = level.dims.map((d) => Math.ceil(d / opts.chunk));
    const channelValues = [level.values, ...(level.channels ?? []).map((c) => c.values)];
    const multi = channelValues.length > 1;
    const shape = [...(multi ? [channelValues.length] : []), level.dims[2], level.dims[1], level.dims[0]];
    const chunks = [...(multi ? [1] : []), opts.chunk, opts.chunk, opts.chunk];
    if (opts.zarr === 2) {
      put(`${path}/.zarray`, JSON.stringify({ zarr_format: 2, shape, chunks, dtype: V2_TYPES[level.datatype], compressor: codec.v2, fill_value: 0, order: 'C', filters: null, dimension_separator: '/' }));
    } else {
      put(
        `${path}/zarr.json`,
        JSON.stringify({
          zarr_format: 3,
          node_type: 'array',
          shape,
          data_type: level.datatype,
          chunk_grid: { name: 'regular', configuration: { chunk_shape: chunks } },
          chunk_key_encoding: { name: 'default', configuration: { separator: '/' } },
          fill_value: 0,
          codecs: [{ name: 'bytes', configuration: { endian: 'little' } }, codec.v3],
          dimension_names: [...(multi ? [level.leadingAxis === 'time' ? 't' : 'c'] : []), 'z', 'y', 'x'],
          attributes: {},
        }),
      );
    }
    for (const [c, values] of channelValues.entries())
      for (let ck = 0; ck < grid[2]; ck++)
        for (let cj = 0; cj < grid[1]; cj++)
          for (let ci = 0; ci < grid[0]; ci++) put(`${path}/${opts.zarr === 3 ? 'c/' : ''}${multi ? `${c}/` : ''}${ck}/${cj}/${ci}`, await codec.encode(chunkBytes(level, values, opts.chunk, ci, cj, ck)));
    // (c,) z, y, x order, as the axes are listed. A coarser level's voxel 0 is the finer level's
    // voxel 0, so every level has the same translation.
    levels.push({ path, scale: [...(multi ? [1] : []), level.spacing[2], level.spacing[1], level.spacing[0]], translation: [...(multi ? [0] : []), volume.origin[2], volume.origin[1], volume.origin[0]] });
    if (level.dims.every((d) => d <= opts.chunk)) break;
    level = halve(level, opts.chunk).volume;
  }
  const multi = (volume.channels?.length ?? 0) > 0;
  const time = volume.leadingAxis === 'time';
  const lead = time ? { name: 't', type: 'time', unit: 'second' } : { name: 'c', type: 'channel' };
  const axes = [...(multi ? [lead] : []), ...['z', 'y', 'x'].map((name) => ({ name, type: 'space', unit: 'millimeter' }))];
  const channelMeta = [{ label: volume.label ?? 'channel 0', window: volume.window, color: volume.color }, ...(volume.channels ?? [])].map((c) => ({
    label: c.label,
    color: c.color ?? 'FFFFFF',
    ...(c.window ? { window: { start: c.window[0], end: c.window[1], min: c.window[0], max: c.window[1] } } : {}),
  }));
  const omero = multi && !time ? { omero: { channels: channelMeta } } : {};
  const multiscales = [{ ...(opts.zarr === 2 ? { version: '0.4' } : {}), name: volume.name, axes, datasets: levels.map((l) => ({ path: l.path, coordinateTransformations: [{ type: 'scale', scale: l.scale }, { type: 'translation', translation: l.translation }] })) }];
  if (opts.zarr === 2) {
    put('.zgroup', JSON.stringify({ zarr_format: 2 }));
    put('.zattrs', JSON.stringify({ multiscales, ...omero }));
  } else {
    put('zarr.json', JSON.stringify({ zarr_format: 3, node_type: 'group', attributes: { ome: { version: '0.5', multiscales, ...omero } } }));
  }
  return written;
}

/**
 * A volume file Voxlens reads (NIfTI, NRRD, MGH/MGZ, Analyze), decoded by Voxlens's own decoder:
 * its voxels, and as geometry the length of each voxel axis and the position of voxel 0 (an
 * OME-Zarr has no orientation, so rotations and flips are not kept). 3D, single-channel only.
 */
export async function volumeFromFile(path: string): Promise<ZarrVolume> {
  const name = basename(path);
  const decoded = await decodeVolume(blobSource(await openAsBlob(path), name), { acquire: (_header, bytes) => Promise.resolve(ok(new Uint8Array(bytes))) });
  if (decoded.kind === 'error') throw new Error(`${name}: ${decoded.message}`);
  const { header, voxels } = decoded.value;
  if (header.dims.length > 3) throw new Error(`${name}: only 3D volumes are written here (dims ${header.dims.join(' × ')})`);
  const datatype = header.datatype;
  if (!(datatype in V2_TYPES)) throw new Error(`${name}: ${datatype} voxels are not written to OME-Zarr here`);
  const a = header.affine;
  const spacing = [0, 1, 2].map((c) => Math.hypot(a[c], a[4 + c], a[8 + c])) as [number, number, number];
  const values = voxelView(datatype, voxels.buffer, voxelCount(header.dims), voxels.byteOffset) as ZarrVolume['values'];
  return { dims: header.dims as [number, number, number], datatype: datatype as ZarrVolume['datatype'], values, spacing, origin: [a[3], a[7], a[11]], name };
}

async function main(argv: string[]) {
  const positional = argv.filter((a, i) => !a.startsWith('--') && !argv[i - 1]?.startsWith('--'));
  const [input, output] = positional;
  if (!input || !output) throw new Error('usage: npx tsx scripts/makeOmeZarr.ts IN.nii[.gz]|.nrrd|.mgz OUT.ome.zarr [--zarr 2|3] [--codec gzip|blosc] [--chunk 32]');
  const opt = (name: string) => {
    const i = argv.indexOf(name);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const zarrVersion = opt('--zarr') === '3' ? 3 : 2;
  const codec = opt('--codec') === 'blosc' ? 'blosc' : 'gzip';
  const files = await writeOmeZarr(resolve(output), await volumeFromFile(input), { zarr: zarrVersion, codec, chunk: Number(opt('--chunk') ?? 32) });
  console.log(`wrote ${files.length} files to ${output} (Zarr v${zarrVersion}, ${codec})`);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main(process.argv.slice(2)).catch((e: unknown) => {
    console.error(e instanceof Error ? e.message : e);
    process.exit(1);
  });
}

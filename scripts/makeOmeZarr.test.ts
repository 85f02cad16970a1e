// The OME-Zarr writer: every variant (Zarr v2 and v3, gzip and blosc) reads back through zarrita
// and Voxlens's metadata reader with the volume's values at level 0 and a consistent pyramid.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import FileSystemStore from '@zarrita/storage/fs';
import { afterAll, describe, expect, it } from 'vitest';
import * as zarr from 'zarrita';
import { readOmeImage } from '../src/io/omezarr/metadata';
import { writeOmeZarr, type ZarrVolume } from './makeOmeZarr';

const dims: [number, number, number] = [40, 36, 20];
const formula = (i: number, j: number, k: number) => ((i * 7 + j * 13 + k * 31) % 2000) - 1000;
const values = new Int16Array(dims[0] * dims[1] * dims[2]);
for (let k = 0; k < dims[2]; k++) for (let j = 0; j < dims[1]; j++) for (let i = 0; i < dims[0]; i++) values[(k * dims[1] + j) * dims[0] + i] = formula(i, j, k);
const volume: ZarrVolume = { dims, datatype: 'int16', values, spacing: [0.5, 0.75, 2], origin: [-10, 5, 3], name: 'formula' };
const root = mkdtempSync(join(tmpdir(), 'voxlens-omezarr-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe.each([
  [2, 'gzip'],
  [2, 'blosc'],
  [3, 'gzip'],
  [3, 'blosc'],
] as const)('makeOmeZarr: Zarr v%i, %s', (version, codec) => {
  it('reads back with the volume at level 0, every level on the same origin at twice the voxel size', async () => {
    const dir = join(root, `v${version}-${codec}.ome.zarr`);
    await writeOmeZarr(dir, volume, { zarr: version, codec, chunk: 16 });
    const attrs = version === 2 ? JSON.parse(readFileSync(join(dir, '.zattrs'), 'utf8')) : JSON.parse(readFileSync(join(dir, 'zarr.json'), 'utf8')).attributes;
    const image = readOmeImage(attrs, 3);
    if (image.kind === 'error') throw new Error(image.message);
    expect(image.value.version).toBe(version === 2 ? '0.4' : '0.5');
    expect(image.value.levels.map((l) => l.path)).toEqual(['0', '1', '2']);
    expect(image.value.levels.map((l) => l.scale)).toEqual([
      [2, 0.75, 0.5],
      [4, 1.5, 1],
      [4, 3, 2],
    ]);
    expect(image.value.levels.every((l) => l.translation.join() === '3,5,-10')).toBe(true);
    const store = new FileSystemStore(dir);
    const level0 = await zarr.open(zarr.root(store).resolve('0'), { kind: 'array' });
    expect(level0.shape).toEqual([20, 36, 40]);
    const all = await zarr.get(level0);
    expect(Array.from(all.data as Int16Array)).toEqual(Array.from(values));
    // Level 2 keeps every fourth voxel in x and y, every other one in z (z is 20: one halving to 10, then one chunk).
    const level2 = await zarr.open(zarr.root(store).resolve('2'), { kind: 'array' });
    expect(level2.shape).toEqual([10, 9, 10]);
    const coarse = await zarr.get(level2);
    expect((coarse.data as Int16Array)[(3 * 9 + 4) * 10 + 5]).toBe(formula(5 * 4, 4 * 4, 3 * 2));
  });
});

import { describe, expect, it } from 'vitest';
import { isOmeZarrUrl, readOmeImage, unitSymbol } from './metadata';

const v04 = {
  multiscales: [
    {
      version: '0.4',
      name: 'cells',
      axes: [
        { name: 't', type: 'time', unit: 'second' },
        { name: 'c', type: 'channel' },
        { name: 'z', type: 'space', unit: 'micrometer' },
        { name: 'y', type: 'space', unit: 'micrometer' },
        { name: 'x', type: 'space', unit: 'micrometer' },
      ],
      datasets: [
        { path: 's0', coordinateTransformations: [{ type: 'scale', scale: [1, 1, 2, 0.5, 0.5] }, { type: 'translation', translation: [0, 0, 10, 0, -4] }] },
        { path: 's1', coordinateTransformations: [{ type: 'scale', scale: [1, 1, 2, 1, 1] }] },
      ],
      coordinateTransformations: [{ type: 'scale', scale: [60, 1, 1, 1, 1] }],
    },
  ],
  omero: { channels: [{ label: 'DAPI', color: '0000FF', window: { start: 100, end: 900, min: 0, max: 4095 } }, { label: 'GFP', color: 'nope', window: { start: 5, end: 5 } }] },
};

describe('readOmeImage', () => {
  it('reads NGFF 0.4: axes, each level composed with the multiscale transform, omero channels', () => {
    const r = readOmeImage(v04, 5);
    if (r.kind === 'error') throw new Error(r.message);
    const img = r.value;
    expect([img.version, img.name, img.x, img.y, img.z, img.t, img.c]).toEqual(['0.4', 'cells', 4, 3, 2, 0, 1]);
    expect(img.levels[0]).toEqual({ path: 's0', scale: [60, 1, 2, 0.5, 0.5], translation: [0, 0, 10, 0, -4] });
    expect(img.levels[1]).toEqual({ path: 's1', scale: [60, 1, 2, 1, 1], translation: [0, 0, 0, 0, 0] });
    expect(img.channels).toEqual([{ label: 'DAPI', color: '0000FF', window: { start: 100, end: 900 } }, { label: 'GFP' }]);
    expect(unitSymbol(img.axes[2].unit)).toBe('µm');
  });

  it('reads NGFF 0.5 under "ome", and 0.3 axes given as names', () => {
    const v05 = { ome: { version: '0.5', multiscales: [{ axes: [{ name: 'z', type: 'space' }, { name: 'y', type: 'space' }, { name: 'x', type: 'space' }], datasets: [{ path: '0', coordinateTransformations: [{ type: 'scale', scale: [3, 2, 1] }] }] }] } };
    const a = readOmeImage(v05, 3);
    expect(a.kind === 'ok' && [a.value.version, a.value.levels[0].scale, a.value.c]).toEqual(['0.5', [3, 2, 1], undefined]);
    const v03 = { multiscales: [{ version: '0.3', axes: ['z', 'y', 'x'], datasets: [{ path: '0' }] }] };
    const b = readOmeImage(v03, 3);
    expect(b.kind === 'ok' && [b.value.x, b.value.y, b.value.z, b.value.levels[0].scale]).toEqual([2, 1, 0, [1, 1, 1]]);
    // Before axes were named (0.1, 0.2): t, c, z, y, x by rank.
    const old = readOmeImage({ multiscales: [{ datasets: [{ path: '0' }] }] }, 4);
    expect(old.kind === 'ok' && old.value.axes.map((x) => x.name)).toEqual(['c', 'z', 'y', 'x']);
  });

  it('refuses what it cannot place, naming the key', () => {
    const one = (ms: object, rank = 3) => {
      const r = readOmeImage({ multiscales: [ms] }, rank);
      return r.kind === 'error' ? `${r.code}: ${r.message}` : 'ok';
    };
    const axes = [{ name: 'z' }, { name: 'y' }, { name: 'x' }];
    expect(readOmeImage({ plate: {} }, 3)).toMatchObject({ code: 'unknown-format' });
    expect(readOmeImage(null, 3)).toMatchObject({ code: 'unknown-format' });
    expect(one({ axes: [{ name: 'a' }, { name: 'b' }, { name: 'c' }], datasets: [{ path: '0' }] })).toMatch(/no x and y/);
    expect(one({ axes, datasets: [] })).toMatch(/lists no level/);
    expect(one({ axes, datasets: [{ coordinateTransformations: [] }] })).toMatch(/dataset 0 has no path/);
    expect(one({ axes, datasets: [{ path: '0', coordinateTransformations: [{ type: 'scale', scale: [1, 0, 1] }] }] })).toMatch(/not 3 positive numbers/);
    expect(one({ axes, datasets: [{ path: '0', coordinateTransformations: [{ type: 'scale', path: 'scale.json' }] }] })).toMatch(/separate array/);
    expect(one({ axes, datasets: [{ path: '0', coordinateTransformations: [{ type: 'affine', affine: [] }] }] })).toMatch(/^unsupported-format: .*"affine"/);
    expect(one({ axes, datasets: [{ path: '0' }] }, 4)).toMatch(/3 axes for arrays of rank 4/);
  });

  it('knows a Zarr URL by its name', () => {
    expect(['https://x.org/a.ome.zarr', '/data/b.zarr/', 'c.zarr?x=1', 'd.ZARR'].map(isOmeZarrUrl)).toEqual([true, true, true, true]);
    expect(['e.nii.gz', 'f.zarr.zip', '/zarr/g.nrrd'].map(isOmeZarrUrl)).toEqual([false, false, false]);
  });
});

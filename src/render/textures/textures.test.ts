import { describe, expect, it } from 'vitest';
import { BufferPool } from '../../memory/pool';
import { identity } from '../../volume/affine';
import type { DataType } from '../../volume/dataTypes';
import { DATA_TYPES } from '../../volume/dataTypes';
import type { VolumeHeader } from '../../volume/header';
import { niftiDecoder } from '../../io/decoders/nifti';
import { encodeNifti } from '../../io/decoders/niftiWrite';
import { textureFormatFor } from './textureFormats';
import type { WebGLRenderer } from 'three';
import { slabTextureSplit } from '../../gpu/plan';
import { createVolumeTexture, setTexelData, setUploadContext, texelData, textureGrid, uploadSlices } from './textures';

const caps = { floatLinear: true, max3DSize: 2048 };

function header(datatype: DataType, dims = [2, 2, 2]): VolumeHeader {
  return { format: 'nifti1', dims, datatype, datatypeCode: 0, littleEndian: true, slope: 1, inter: 0, affine: identity(), affineSource: 'sform', axcodes: 'RAS', voxOffset: 352, description: '', intentCode: 0 };
}

function buffer(bytes: number) {
  const pool = new BufferPool({ budgetBytes: 1 << 20, shared: true });
  const r = pool.acquire(bytes, 'test');
  if (r.kind === 'error') throw new Error(r.message);
  return { pool, held: r.buffer };
}

describe('format table', () => {
  // Every NIfTI datatype code: either an exact texture, a visible float32 conversion, or a refusal.
  const expected: Record<number, string> = {
    1: 'refused', 2: 'R8', 4: 'R16I', 8: 'R32I', 16: 'R32F', 32: 'refused', 64: 'R32F converted', 128: 'RGB8',
    256: 'R8I', 512: 'R16UI', 768: 'R32UI', 1024: 'R32F converted', 1280: 'R32F converted', 1536: 'refused',
    1792: 'refused', 2048: 'refused', 2304: 'RGBA8',
  };
  const dtypeOf: Record<number, DataType> = {
    2: 'uint8', 4: 'int16', 8: 'int32', 16: 'float32', 64: 'float64', 128: 'rgb24', 256: 'int8',
    512: 'uint16', 768: 'uint32', 1024: 'int64', 1280: 'uint64', 2304: 'rgba32',
  };
  const refusedBits: Record<number, number> = { 1: 1, 32: 64, 1536: 128, 1792: 128, 2048: 256 };
  for (const [codeText, want] of Object.entries(expected)) {
    const code = Number(codeText);
    it(`NIfTI datatype ${code} → ${want}`, () => {
      const dtype = dtypeOf[code];
      const bitpix = dtype ? DATA_TYPES[dtype].bytesPerVoxel * 8 : refusedBits[code];
      const file = encodeNifti({ dims: [1, 1, 1], datatypeCode: code, bitpix, data: new Uint8Array(32) });
      const parsed = niftiDecoder.parseHeader(file, { name: 'x.nii' });
      if (want === 'refused') {
        expect(parsed.kind === 'error' && parsed.code).toBe('unsupported-dtype');
        return;
      }
      expect(parsed.kind === 'ok' && parsed.value.header.datatype).toBe(dtype);
      const f = textureFormatFor(dtype, caps);
      expect(f.internalFormat + (f.convert ? ' converted' : '')).toBe(want);
      if (f.convert) expect(f.convert.reason).toMatch(/probes read the original/i);
      expect(f.bytesPerTexel).toBe(f.convert ? 4 : DATA_TYPES[dtype].bytesPerVoxel);
    });
  }

  it('16-bit RGB (DICOM) is an exact RGB16UI texture over the layer memory, no copy', () => {
    const f = textureFormatFor('rgb48', caps);
    expect([f.internalFormat, f.sampler, f.channels, f.bytesPerTexel, f.rawScale, f.convert]).toEqual(['RGB16UI', 'uint', 3, 6, 1, undefined]);
    expect(f.gl).toEqual({ format: 'RGB_INTEGER', type: 'UNSIGNED_SHORT' });
    const { held } = buffer(2 * 2 * 2 * 6);
    const data = texelData(held.value, header('rgb48'), f);
    expect(data).toBeInstanceOf(Uint16Array);
    expect(data.buffer === held.value.memory && data.length).toBe(2 * 2 * 2 * 3);
  });

  it('signed integer types never use SNORM formats', () => {
    for (const d of ['int8', 'int16', 'int32'] as DataType[]) expect(textureFormatFor(d, caps).sampler).toBe('int');
  });
});

describe('volume textures', () => {
  it('hand three.js a view over the layer buffer itself, not a copy', () => {
    const { held } = buffer(8 * 2);
    const t = createVolumeTexture(held.value, header('int16'), 'tex', caps);
    const data = t.texture.image.data as Int16Array;
    expect(data).toBeInstanceOf(Int16Array);
    expect(data.buffer).toBe(held.value.memory);
    expect(t.convertedBytes).toBe(0);
    t.dispose();
  });

  it('4D: every frame stacked along k in one texture over the same memory, when it fits', () => {
    const { held } = buffer(8 * 4 * 3);
    const t = createVolumeTexture(held.value, header('float32', [2, 2, 2, 3]), 'tex', caps, 1);
    const data = t.texture.image.data as Float32Array;
    expect(t.allFrames).toBe(true);
    expect(data.buffer).toBe(held.value.memory);
    expect(data.byteOffset).toBe(0);
    expect(data.length).toBe(24);
    expect(t.texture.image.depth).toBe(6);
    expect(t.gpuBytes).toBe(96);
    t.dispose();
  });

  it('4D past the 3D size limit: the shown frame is a subarray of the same memory', () => {
    const { held } = buffer(8 * 4 * 3);
    const t = createVolumeTexture(held.value, header('float32', [2, 2, 2, 3]), 'tex', { ...caps, max3DSize: 4 }, 1);
    const data = t.texture.image.data as Float32Array;
    expect(t.allFrames).toBe(false);
    expect(data.buffer).toBe(held.value.memory);
    expect(data.byteOffset).toBe(32);
    expect(data.length).toBe(8);
    expect(t.gpuBytes).toBe(32);
    t.dispose();
  });

  it('float64 becomes a counted float32 copy', () => {
    const { held } = buffer(8 * 8);
    new Float64Array(held.value.memory).set([1.5, 2, 3, 4, 5, 6, 7, -8.25]);
    const t = createVolumeTexture(held.value, header('float64'), 'tex', caps);
    expect(Array.from(t.texture.image.data as Float32Array)).toEqual([1.5, 2, 3, 4, 5, 6, 7, -8.25]);
    expect(t.convertedBytes).toBe(32);
    t.dispose();
  });

  it('a texture pins its buffer: closing the layer keeps the memory until the texture is disposed', () => {
    const { pool, held } = buffer(8);
    const layerPin = held.value.pin('layer', 'layer');
    held.pin.release();
    const t = createVolumeTexture(held.value, header('uint8'), 'tex', caps);
    layerPin.release(); // close the layer while its texture is still drawn
    expect(pool.stats()[0]).toMatchObject({ pooled: false, pins: [{ owner: 'texture', label: 'tex' }] });
    expect(pool.acquire(8, 'other').kind === 'ok' && pool.allocations).toBe(2); // not handed out again
    t.dispose();
    t.dispose(); // harmless twice
    expect(pool.stats().find((s) => s.id === held.value.id)?.pooled).toBe(true);
  });
});

describe('z-slab textures', () => {
  it('a grid deeper than the 3D size limit is split into slabs, each a subarray of the same memory', () => {
    const small = { floatLinear: true, max3DSize: 4 };
    const { held } = buffer(3 * 2 * 10 * 2);
    const values = new Int16Array(held.value.memory);
    values.forEach((_, n) => (values[n] = n));
    const t = createVolumeTexture(held.value, header('int16', [3, 2, 10]), 'deep', small);
    expect(t.slabs.map((s) => s.image.depth)).toEqual([4, 4, 2]);
    expect(t.slabStarts).toEqual([0, 4, 8]);
    expect(t.texture).toBe(t.slabs[0]);
    for (const [n, s] of t.slabs.entries()) {
      const data = s.image.data as Int16Array;
      expect(data.buffer).toBe(held.value.memory); // no copy
      expect(data[0]).toBe(n * 4 * 6); // starts at its first slice
      expect(data.length).toBe(s.image.depth * 6);
    }
    expect(t.gpuBytes).toBe(3 * 2 * 10 * 2);
    expect(held.value.pinList().map((p) => p.owner).sort()).toEqual(['decode', 'texture']);
    t.dispose();
    expect(held.value.pinList().map((p) => p.owner)).toEqual(['decode']);
  });

  it("renewPins takes the texture's pins again after those taken since, releasing the old ones; nothing after dispose", () => {
    const { held } = buffer(4 * 4 * 4 * 2);
    const t = createVolumeTexture(held.value, header('int16', [4, 4, 4]), 'early', caps);
    const layer = held.value.pin('layer', 'layer');
    expect(held.value.pinList().map((p) => p.owner)).toEqual(['decode', 'texture', 'layer']);
    t.renewPins();
    expect(held.value.pinList().map((p) => p.owner)).toEqual(['decode', 'layer', 'texture']);
    t.dispose();
    t.renewPins();
    expect(held.value.pinList().map((p) => p.owner)).toEqual(['decode', 'layer']);
    layer.release();
  });

  it('refuses what more bricks than a shader binds would hold', () => {
    const small = { floatLinear: true, max3DSize: 4 };
    const { held } = buffer(2 * 2 * 33 * 2);
    expect(() => createVolumeTexture(held.value, header('int16', [2, 2, 33]), 'too deep', small)).toThrow(/INTERNAL ERROR/);
    // Three tiles along x and three along y: nine textures.
    expect(() => createVolumeTexture(held.value, header('int16', [9, 9, 1]), 'too wide', small)).toThrow(/INTERNAL ERROR/);
  });
});

describe('z-slab buffers', () => {
  it('a texture over z-slab buffers: a slab texture per buffer over its own memory', () => {
    const pool = new BufferPool({ budgetBytes: 1 << 20, shared: true });
    const got = [2, 2, 1].map((slices) => pool.acquire(3 * 2 * slices * 2, 'slab'));
    const buffers = got.map((g) => (g.kind === 'ok' ? g.buffer.value : null)!);
    const t = createVolumeTexture(buffers, header('int16', [3, 2, 5]), 'slabs', caps);
    expect(t.slabs.map((s) => s.image.depth)).toEqual([2, 2, 1]);
    expect(t.slabStarts).toEqual([0, 2, 4]);
    t.slabs.forEach((s, n) => expect((s.image.data as Int16Array).buffer).toBe(buffers[n].memory));
    expect(buffers.map((b) => b.pinList().filter((p) => p.owner === 'texture').length)).toEqual([1, 1, 1]);
    t.dispose();
    expect(buffers.map((b) => b.pinList().filter((p) => p.owner === 'texture').length)).toEqual([0, 0, 0]);
  });
});

describe('a 4D grid in z-slab buffers', () => {
  it("a frame's slabs: its slices in each buffer that holds some, counted from the frame's first", () => {
    const pool = new BufferPool({ budgetBytes: 1 << 20, shared: true });
    const slice = 3 * 2;
    // 9 slices (k + t·3) in buffers of 4, 4 and 1: frame 1 is slice 3 of the first and 4–5 of the second.
    const got = [4, 4, 1].map((slices) => pool.acquire(slice * slices * 2, 'slab'));
    const buffers = got.map((g) => (g.kind === 'ok' ? g.buffer.value : null)!);
    let n = 0;
    for (const b of buffers) new Int16Array(b.memory).forEach((_, i, a) => (a[i] = n++));
    const t = createVolumeTexture(buffers, header('int16', [3, 2, 3, 3]), '4d', caps, 1);
    expect(t.slabs.map((s) => s.image.depth)).toEqual([1, 2]);
    expect(t.slabStarts).toEqual([0, 1]);
    expect([...(t.slabs[0].image.data as Int16Array)]).toEqual(Array.from({ length: slice }, (_, i) => 3 * slice + i));
    expect([...(t.slabs[1].image.data as Int16Array)]).toEqual(Array.from({ length: 2 * slice }, (_, i) => 4 * slice + i));
    expect((t.slabs[1].image.data as Int16Array).buffer).toBe(buffers[1].memory);
    expect(slabTextureSplit([4, 4, 1], 2048, 6, 3)).toEqual([[6, 2], [8, 1]]);
    expect(t.bufferId).toBe(buffers[0].id);
    t.dispose();
    // Frame 2 starts in the second buffer: the memory panel counts its texture there.
    const t2 = createVolumeTexture(buffers, header('int16', [3, 2, 3, 3]), '4d', caps, 2);
    expect(t2.slabs.map((s) => s.image.depth)).toEqual([2, 1]);
    expect(t2.bufferId).toBe(buffers[1].id);
    t2.dispose();
  });
});

describe('tiles past the 3D size limit in x and y', () => {
  it("each tile is a view of its slab's whole slices, sent as a sub-box of them (no copy), slab by slab, row by row", () => {
    const small = { floatLinear: true, max3DSize: 4 };
    const [nx, ny, nz] = [6, 5, 6];
    const { held } = buffer(nx * ny * nz * 2);
    const values = new Int16Array(held.value.memory);
    values.forEach((_, n) => (values[n] = n));
    const t = createVolumeTexture(held.value, header('int16', [nx, ny, nz]), 'wide', small);
    expect(t.tiles).toEqual([2, 2]);
    expect(t.tileSize).toEqual([3, 3]);
    expect(t.slabStarts).toEqual([0, 3]);
    expect(t.slabs.map((s) => [s.image.width, s.image.height, s.image.depth])).toEqual([
      [3, 3, 3], [3, 3, 3], [3, 2, 3], [3, 2, 3],
      [3, 3, 3], [3, 3, 3], [3, 2, 3], [3, 2, 3],
    ]);
    expect(textureGrid(t)).toEqual([2, 2, 2]);
    // A fake WebGL2 context that unpacks as GL does, so each brick's texels can be read back.
    const sent: number[][] = [];
    const store: Record<number, number> = {};
    const gl = {
      UNPACK_ALIGNMENT: 1, UNPACK_ROW_LENGTH: 2, UNPACK_IMAGE_HEIGHT: 3, UNPACK_SKIP_PIXELS: 4, UNPACK_SKIP_ROWS: 5, TEXTURE_3D: 6, RED_INTEGER: 7, SHORT: 8,
      pixelStorei: (name: number, value: number) => (store[name] = value),
      texSubImage3D: (_t: number, _l: number, x: number, y: number, z: number, w: number, h: number, d: number, _f: number, _ty: number, data: Int16Array) => {
        expect(data.buffer).toBe(held.value.memory);
        const [row, image, sx, sy] = [store[2], store[3], store[4], store[5]];
        const out: number[] = [];
        for (let k = 0; k < d; k++) for (let j = 0; j < h; j++) for (let i = 0; i < w; i++) out.push(data[(k * image + sy + j) * row + sx + i]);
        sent.push([x, y, z, w, h, d, ...out]);
      },
    };
    setUploadContext(gl as unknown as WebGL2RenderingContext);
    for (const s of t.slabs) {
      expect(s.source.dataReady).toBe(false); // three.js allocates; onUpdate sends the box
      expect((s.image.data as Int16Array).buffer).toBe(held.value.memory);
      s.onUpdate!(s);
    }
    // Every stored voxel, read back from the brick holding it at the brick's own coordinates.
    for (let k = 0; k < nz; k++) {
      for (let j = 0; j < ny; j++) {
        for (let i = 0; i < nx; i++) {
          const slab = k < 3 ? 0 : 1;
          const n = (slab * 2 + Math.floor(j / 3)) * 2 + Math.floor(i / 3);
          const [, , , w, h] = sent[n];
          const [bi, bj, bk] = [i % 3, j % 3, k - t.slabStarts[slab]];
          expect(sent[n][6 + (bk * h + bj) * w + bi], `${i},${j},${k}`).toBe((k * ny + j) * nx + i);
        }
      }
    }
    // The unpack state is left as GL's default for the next upload.
    expect([store[2], store[3], store[4], store[5]]).toEqual([0, 0, 0, 0]);
    t.dispose();
  });

  it('a tiled 4D texture shows another frame, and slices written later reach only their tiles, each as its box of the new memory', () => {
    const small = { floatLinear: true, max3DSize: 4 };
    // 6 × 2 × 3 voxels, 3 frames: 9 slices stacked would pass the limit, so one frame at a time, in 2 × 1 tiles.
    const [nx, ny, nz, nt] = [6, 2, 3, 3];
    const { held } = buffer(nx * ny * nz * nt * 2);
    const values = new Int16Array(held.value.memory);
    values.forEach((_, n) => (values[n] = n));
    const h = header('int16', [nx, ny, nz, nt]);
    const t = createVolumeTexture(held.value, h, '4d wide', small);
    expect([t.allFrames, t.tiles, t.slabStarts]).toEqual([false, [2, 1], [0]]);
    const calls: { box: number[]; values: number[] }[] = [];
    const store: Record<number, number> = {};
    const ctx = {
      UNPACK_ALIGNMENT: 1, UNPACK_ROW_LENGTH: 2, UNPACK_IMAGE_HEIGHT: 3, UNPACK_SKIP_PIXELS: 4, UNPACK_SKIP_ROWS: 5, TEXTURE_3D: 6, RED_INTEGER: 7, SHORT: 8,
      pixelStorei: (name: number, value: number) => (store[name] = value),
      texSubImage3D: (_t: number, _l: number, x: number, y: number, z: number, w: number, hh: number, d: number, _f: number, _ty: number, data: Int16Array) => {
        const out: number[] = [];
        for (let k = 0; k < d; k++) for (let j = 0; j < hh; j++) for (let i = 0; i < w; i++) out.push(data[(k * store[3] + store[5] + j) * store[2] + store[4] + i]);
        calls.push({ box: [x, y, z, w, hh, d], values: out });
      },
    };
    setUploadContext(ctx as unknown as WebGL2RenderingContext);
    // Frame 2: each tile's three.js upload sends its box of frame 2's slices.
    setTexelData(t, texelData(held.value, h, t.format, 2), h.dims);
    for (const s of t.slabs) s.onUpdate!(s);
    const at = (i: number, j: number, k: number, f: number) => ((f * nz + k) * ny + j) * nx + i;
    expect(calls.map((c) => c.values[0])).toEqual([at(0, 0, 0, 2), at(3, 0, 0, 2)]);
    expect(calls[1].values).toEqual([0, 1, 2].flatMap((k) => [0, 1].flatMap((j) => [3, 4, 5].map((i) => at(i, j, k, 2)))));
    // Slice 1 of frame 2 written again (a series arriving): each tile gets that slice alone, once on the GPU.
    calls.length = 0;
    const props = new Map(t.slabs.map((s) => [s, { __webglTexture: {}, __version: s.version }]));
    const renderer = { getContext: () => ctx, properties: { get: (x: unknown) => props.get(x as never) }, state: { bindTexture: () => {}, pixelStorei: (name: number, value: number) => (store[name] = value) } };
    uploadSlices(renderer as unknown as WebGLRenderer, { ...t, frame: 2 }, held.value, h, [2 * nz + 1, 0]);
    expect(calls.map((c) => c.box)).toEqual([[0, 0, 1, 3, 2, 1], [0, 0, 1, 3, 2, 1]]);
    expect(calls[1].values).toEqual([0, 1].flatMap((j) => [3, 4, 5].map((i) => at(i, j, 1, 2))));
    t.dispose();
  });
});

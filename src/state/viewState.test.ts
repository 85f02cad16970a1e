import { deflateSync, strToU8 } from 'fflate';
import { describe, expect, it } from 'vitest';
import { decodeFragment, emptyState, encodeFragment, isShareableUrl, LIMITS, validateState, type ViewState } from './viewState';
import { mulberry32 } from '../../scripts/fuzz/prng';

/** A state that sets every field away from its default. */
function fullState(): ViewState {
  return {
    v: 1,
    layers: [
      {
        source: { url: '/data/t1.nii.gz' },
        display: { window: [-10.5, 300], colormap: 'gray', opacity: 1, visible: true, frame: 0, interpolation: 'linear', outline: false, render3d: true, negative: null },
        volume: { points: [[0, 0], [100, 0.4], [300, 0.9]], colormap: 'hot', iso: 120, colors: [[0, 1, 0, 0], [300, 0, 0, 1]], shading: { on: true, ambient: 0.2, diffuse: 0.7, specular: 0.3, specularPower: 20 } },
      },
      {
        source: { file: 'seg.hdr', companions: ['seg.img'] },
        name: 'my segmentation',
        labelLookup: 'seg.txt',
        display: { window: [0, 12], colormap: 'label', opacity: 0.6, visible: false, frame: 3, interpolation: 'nearest', outline: true, negative: { colormap: 'cool', window: [1, 5] } },
      },
      {
        source: { pacs: { server: '/dicom-web', study: '1.2.826.0.1.3680043.8.498.1', series: '1.2.826.0.1.3680043.8.498.2' } },
        name: 'CT head (CT)',
        display: { window: [-100, 200], colormap: 'hot', opacity: 0.5, visible: true, frame: 0, interpolation: 'nearest', outline: false },
      },
    ],
    layout: '1+3',
    primaryPane: 'coronal',
    crosshair: [1.5, -20, 33.25],
    paneViews: { axial: { zoom: 2.5, panMm: [3, -4] }, coronal: { zoom: 1, panMm: [0, 0] }, sagittal: { zoom: 0.5, panMm: [10, 0] }, '3d': { zoom: 1, panMm: [0, 0] } },
    camera: { azimuth: 75, elevation: -30, zoom: 1.7 },
    renderMode: 'mip',
    projection: 'mean',
    clip: { lo: [-50, -60, -70], hi: [50, 60, 70] },
    cut: true,
    convention: 'neurological',
    showCrosshair: false,
    showPatient: false,
    quality: 1.5,
    selectedLayer: 1,
    pins: [{ label: 'tumour', world: [1, 2, 3], layers: [0, 1] }],
    measurements: [
      { kind: 'line', plane: 'axial', points: [[0, 0, 0], [10, 0, 0]], layers: [0], name: 'width', color: '#ff0' },
      { kind: 'angle', plane: 'sagittal', points: [[0, 1, 0], [0, 0, 0], [0, 0, 1]], layers: [0, 1] },
      { kind: 'ellipse', plane: 'axial', points: [[-2, 0, 0], [2, 1.6, 1.2]], layers: [0], axes: [[1, 0, 0], [0, 0.8, 0.6], [0, -0.6, 0.8]] },
    ],
    selectedMeasurement: 0,
    orientation: [[1, 0, 0], [0, 0.8, -0.6], [0, 0.6, 0.8]],
    slabs: { axial: { thickness: 10, mode: 'max' } },
  };
}

const rng = mulberry32;

function deepNest(depth: number): unknown {
  let x: unknown = 1;
  for (let i = 0; i < depth; i++) x = [x];
  return x;
}

/** Every number reachable in `x` is finite (the validated state never carries NaN or ±Infinity). */
function allFinite(x: unknown): boolean {
  if (typeof x === 'number') return Number.isFinite(x);
  if (Array.isArray(x)) return x.every(allFinite);
  if (x && typeof x === 'object') return Object.values(x).every(allFinite);
  return true;
}

describe('validateState', () => {
  it('keeps a full state exactly, with nothing to report', () => {
    const r = validateState(fullState());
    expect(r.kind).toBe('ok');
    if (r.kind !== 'ok') return;
    expect(r.state).toEqual(fullState());
    expect(r.notRestored).toEqual([]);
  });

  it('refuses what is not a state, and a missing or bad version', () => {
    for (const x of [null, 3, 'x', [], [fullState()]]) expect(validateState(x).kind).toBe('error');
    expect(validateState({ layers: [] }).kind).toBe('error');
    expect(validateState({ v: 0 }).kind).toBe('error');
    expect(validateState({ v: '1' }).kind).toBe('error');
    expect(validateState({ v: 1.5 }).kind).toBe('error');
  });

  it('reads a newer version as far as it can and says so', () => {
    const r = validateState({ ...fullState(), v: 2, hologram: { depth: 3 } });
    expect(r.kind).toBe('ok');
    if (r.kind !== 'ok') return;
    expect(r.state.v).toBe(1);
    expect(r.state.layout).toBe('1+3');
    expect(r.notRestored.join('\n')).toMatch(/newer Voxlens \(state version 2\)/);
    expect(r.notRestored).toContain('hologram: unknown key, ignored');
  });

  it('drops wrong types to their defaults, clamps numbers, and lists each', () => {
    const s = fullState() as unknown as Record<string, unknown>;
    const r = validateState({
      ...s,
      layout: 'grid9',
      crosshair: [1, NaN, 2],
      camera: { azimuth: 10, elevation: 400, zoom: 1e9 },
      quality: 'high',
      cut: 'yes',
      paneViews: { axial: { zoom: -3, panMm: [1, 2] }, bogus: 1 },
      layers: [{ ...fullState().layers[0], display: { ...fullState().layers[0].display, opacity: 7, colormap: 'rainbow' } }],
    });
    expect(r.kind).toBe('ok');
    if (r.kind !== 'ok') return;
    const d = emptyState();
    expect(r.state.layout).toBe(d.layout);
    expect(r.state.crosshair).toBeNull();
    expect(validateState({ v: 1, pins: [{ world: [2e6, 0, 0] }, { world: [1e5, 0, 0] }] })).toMatchObject({ kind: 'ok', state: { pins: [{ world: [1e5, 0, 0] }] } });
    expect(r.state.camera).toEqual({ azimuth: 10, elevation: 90, zoom: 1000 });
    expect(r.state.quality).toBe(d.quality);
    expect(r.state.cut).toBe(false);
    expect(r.state.paneViews.axial).toEqual({ zoom: 0.01, panMm: [1, 2] });
    expect(r.state.layers[0].display.opacity).toBe(1);
    expect(r.state.layers[0].display.colormap).toBe('gray');
    const said = r.notRestored.join('\n');
    for (const path of ['layout', 'crosshair', 'camera.elevation', 'camera.zoom', 'quality', 'cut', 'paneViews.axial.zoom', 'paneViews.bogus', 'layers[0].display.opacity', 'layers[0].display.colormap']) {
      expect(said).toContain(`${path}:`);
    }
  });

  it('keeps a measurement on a turned plane with its axes; axes that are not orthonormal drop the measurement', () => {
    const s = fullState();
    const ok = validateState(s);
    expect(ok.kind === 'ok' && ok.state.measurements[2].axes).toEqual([[1, 0, 0], [0, 0.8, 0.6], [0, -0.6, 0.8]]);
    const bad = validateState({ ...s, measurements: [{ ...s.measurements[2], axes: [[1, 0, 0], [0, 1, 0], [0, 0.6, 0.8]] }] });
    expect(bad.kind).toBe('ok');
    if (bad.kind !== 'ok') return;
    expect(bad.state.measurements).toEqual([]);
    expect(bad.notRestored.join('\n')).toMatch(/measurements\[0\]\.axes: not three orthonormal rows/);
  });

  it('renumbers pins, measurements and selections past a dropped layer', () => {
    const s = fullState();
    const r = validateState({ ...s, layers: [{ source: { url: 'javascript:alert(1)' }, display: s.layers[0].display }, ...s.layers], pins: [{ label: 'a', world: [0, 0, 0], layers: [0, 2, 9] }], selectedLayer: 2, selectedMeasurement: 1 });
    expect(r.kind).toBe('ok');
    if (r.kind !== 'ok') return;
    expect(r.state.layers.map((l) => l.source)).toEqual(s.layers.map((l) => l.source));
    expect(r.state.pins[0].layers).toEqual([1]);
    expect(r.state.selectedLayer).toBe(1);
    // The line was drawn on the dropped layer only: it goes, and the angle (selected) becomes the first.
    expect(r.state.measurements.map((m) => m.kind)).toEqual(['angle']);
    expect(r.state.selectedMeasurement).toBe(0);
    expect(r.notRestored.join('\n')).toMatch(/layers\[0\]\.source\.url: not an http/);
    expect(r.notRestored.join('\n')).toMatch(/pins\[0\]\.layers: layer 0 is not in the state/);
  });

  it('bounds lists and the report', () => {
    const pins = Array.from({ length: LIMITS.pins + 5 }, (_, i) => ({ label: `p${i}`, world: [i, 0, 0], layers: [] }));
    const junk = Object.fromEntries(Array.from({ length: 500 }, (_, i) => [`k${i}`, i]));
    const r = validateState({ v: 1, pins, ...junk });
    expect(r.kind).toBe('ok');
    if (r.kind !== 'ok') return;
    expect(r.state.pins).toHaveLength(LIMITS.pins);
    expect(r.notRestored.length).toBeLessThanOrEqual(51);
  });

  it('only one layer is cast in 3D', () => {
    const s = fullState();
    s.layers[1].display.render3d = true;
    const r = validateState(s);
    expect(r.kind === 'ok' && r.state.layers.map((l) => l.display.render3d)).toEqual([true, false, undefined]);
  });

  it('reads a PACS series by its server and UIDs, and refuses a bad server or a UID that is not one', () => {
    const s = fullState();
    // The first layer's source replaced; a layer dropped for it renumbers the rest (and says so).
    const pacs = (server: unknown, study: unknown, series: unknown, extra = {}) => validateState({ ...s, layers: [{ ...s.layers[0], source: { pacs: { server, study, series, ...extra } } }, ...s.layers.slice(1)] });
    const good = pacs('https://pacs.example.org/dicom-web', '1.2.3', '1.2.3.4');
    expect(good.kind === 'ok' && good.state.layers[0].source).toEqual({ pacs: { server: 'https://pacs.example.org/dicom-web', study: '1.2.3', series: '1.2.3.4' } });
    expect(good.kind === 'ok' && good.notRestored).toEqual([]);
    const cases: [unknown, unknown, unknown, RegExp][] = [
      ['javascript:alert(1)', '1.2', '1.3', /source\.pacs\.server: not an http/],
      ['/dicom-web', '1.2/../../x', '1.3', /source\.pacs\.study: not a DICOM UID/],
      ['/dicom-web', '1.2', '01.3', /source\.pacs\.series: not a DICOM UID/],
      ['/dicom-web', '1.2', `1.${'2'.repeat(70)}`, /source\.pacs\.series: not a DICOM UID/],
      ['/dicom-web', 12, '1.3', /source\.pacs\.study: not a string/],
      ['/dicom-web', '1.2', undefined, /layer not restored/],
    ];
    for (const [server, study, series, why] of cases) {
      const r = pacs(server, study, series);
      expect(r.kind === 'ok' && r.state.layers.map((l) => l.source), `${String(server)} ${String(study)} ${String(series)}`).toEqual(s.layers.slice(1).map((l) => l.source));
      expect(r.kind === 'ok' && r.notRestored.join('\n')).toMatch(why);
    }
    const extra = pacs('/dicom-web', '1.2', '1.3', { wado: 'x' });
    expect(extra.kind === 'ok' && extra.state.layers.length).toBe(s.layers.length);
    expect(extra.kind === 'ok' && extra.notRestored.join('\n')).toMatch(/source\.pacs\.wado/);
  });

  it('takes http(s) and same-site paths as sources, nothing else', () => {
    expect(isShareableUrl('/a/b.nii')).toBe(true);
    expect(isShareableUrl('https://x.org/a.nii')).toBe(true);
    for (const u of ['//evil.org/a', 'javascript:alert(1)', 'data:,x', 'blob:http://x/1', 'file:///etc/passwd', 'a.nii']) expect(isShareableUrl(u)).toBe(false);
  });
});

describe('the fragment', () => {
  it('round-trips a full state, compactly', () => {
    const hash = encodeFragment(fullState());
    expect(hash).toMatch(/^#v1=[A-Za-z0-9_-]+$/);
    expect(hash.length).toBeLessThan(JSON.stringify(fullState()).length);
    const r = decodeFragment(hash);
    expect(r).toEqual({ kind: 'ok', state: fullState(), notRestored: [] });
  });

  it('refuses junk, a megabyte of it, a deflate bomb, and NaN or huge numbers', () => {
    const enc = (text: string) => '#v1=' + btoa(String.fromCharCode(...deflateSync(strToU8(text)))).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
    for (const h of ['#v1=', '#v1=!!!', '#v1=AAAA', '#x=1', '#v1=' + 'A'.repeat(LIMITS.fragmentChars), 'v1=' + 'x'.repeat(1 << 20)]) {
      const r = decodeFragment(h);
      expect(r.kind, h.slice(0, 20)).toBe('error');
    }
    // 8 MiB of spaces deflate to a short fragment: inflating stops at the limit.
    const bomb = '#v1=' + btoa(String.fromCharCode(...deflateSync(new Uint8Array(8 << 20).fill(32)))).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
    expect(bomb.length).toBeLessThan(LIMITS.fragmentChars);
    const r = decodeFragment(bomb);
    expect(r.kind === 'error' && r.message).toMatch(/inflates past/);
    expect(decodeFragment(enc('{"v":1,')).kind).toBe('error');
    const huge = decodeFragment(enc('{"v":1,"crosshair":[1e999,0,0],"quality":NaN}'));
    expect(huge.kind).toBe('error'); // NaN is not JSON
    const big = decodeFragment(enc('{"v":1,"crosshair":[1e999,0,0],"camera":{"zoom":1e308}}'));
    expect(big.kind === 'ok' && big.state.crosshair).toBeNull();
    expect(big.kind === 'ok' && big.state.camera.zoom).toBe(1000);
    const nested = decodeFragment(enc(`{"v":1,"layers":${'['.repeat(50_000)}${']'.repeat(50_000)},"pins":[{"world":${'{"a":'.repeat(10_000)}1${'}'.repeat(10_000)}}]}`));
    expect(nested.kind === 'ok' && nested.state.layers).toEqual([]);
  });

  it('fuzz: 1000 mutations of a valid state never throw and always give a valid, finite state', () => {
    const random = rng(20261206);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)];
    const junk = (): unknown =>
      pick<() => unknown>([
        () => NaN,
        () => Infinity,
        () => -1e308,
        () => 1e300,
        () => random() * 200 - 100,
        () => Math.floor(random() * 10) - 2,
        () => '',
        () => 'x'.repeat(Math.floor(random() * 5000)),
        () => null,
        () => undefined,
        () => true,
        () => [],
        () => [1, 2],
        () => [1, 2, 3],
        () => ({}),
        () => ({ url: 'javascript:1' }),
        () => deepNest(200),
        () => ({ __proto__: { v: 1 }, constructor: 1 }),
        () => pick(['mip', 'axial', 'label', '1+3', 'line', 'max']),
      ])();
    /** Replaces or deletes a random node of `x`, or adds an unknown key. */
    const mutate = (x: unknown, depth: number): unknown => {
      if (depth > 0 && random() < 0.25) return junk();
      if (Array.isArray(x)) {
        const out = [...x];
        if (out.length && random() < 0.8) out[Math.floor(random() * out.length)] = mutate(out[Math.floor(random() * out.length)], depth + 1);
        else out.push(junk());
        return out;
      }
      if (x && typeof x === 'object') {
        const out: Record<string, unknown> = { ...(x as Record<string, unknown>) };
        const keys = Object.keys(out);
        const roll = random();
        if (roll < 0.1) out[`extra${Math.floor(random() * 9)}`] = junk();
        else if (roll < 0.2 && keys.length) delete out[pick(keys)];
        else if (keys.length) {
          const k = pick(keys);
          out[k] = mutate(out[k], depth + 1);
        }
        return out;
      }
      return junk();
    };
    let ok = 0;
    for (let n = 0; n < 1000; n++) {
      let x: unknown = fullState();
      const rounds = 1 + Math.floor(random() * 6);
      for (let m = 0; m < rounds; m++) x = mutate(x, 0);
      const r = validateState(x);
      if (r.kind === 'error') {
        expect(r.message.length).toBeGreaterThan(0);
        continue;
      }
      ok++;
      expect(allFinite(r.state), `case ${n}`).toBe(true);
      // What validation gives is itself a valid state: nothing more to drop or clamp.
      const again = validateState(r.state);
      expect(again, `case ${n}`).toEqual({ kind: 'ok', state: r.state, notRestored: [] });
      // Layer references point into the list.
      for (const p of [...r.state.pins, ...r.state.measurements]) for (const i of p.layers) expect(i).toBeLessThan(r.state.layers.length);
      expect(decodeFragment(encodeFragment(r.state))).toEqual({ kind: 'ok', state: r.state, notRestored: [] });
    }
    expect(ok).toBeGreaterThan(500);
  });

  it('fuzz: 1000 corrupted fragments decode to a result, never an exception', () => {
    const random = rng(7);
    const hash = encodeFragment(fullState());
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_=#%!';
    for (let n = 0; n < 1000; n++) {
      const chars = hash.split('');
      const edits = 1 + Math.floor(random() * 4);
      for (let e = 0; e < edits; e++) {
        const at = Math.floor(random() * chars.length);
        const roll = random();
        if (roll < 0.4) chars[at] = alphabet[Math.floor(random() * alphabet.length)];
        else if (roll < 0.7) chars.splice(at, 1);
        else chars.splice(at, 0, alphabet[Math.floor(random() * alphabet.length)]);
      }
      const cut = random() < 0.2 ? Math.floor(random() * chars.length) : chars.length;
      const r = decodeFragment(chars.slice(0, cut).join(''));
      expect(['ok', 'error']).toContain(r.kind);
      if (r.kind === 'ok') expect(validateState(r.state).kind).toBe('ok');
    }
  });
});

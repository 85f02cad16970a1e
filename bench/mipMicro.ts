// Micro-benchmark for issue 21's MIP: is a 3D MIP cheaper on SwiftShader rasterised (one
// view-aligned proxy slice per voxel step, each fragment one filtered fetch, combined with
// blendEquation(MAX)) than ray-marched (one loop per pixel)? Raw WebGL2 in a blank page of the same
// Chromium the benchmarks use, a 256³ volume, a 512² canvas, the camera turning 10° a frame.
//   npx tsx bench/mipMicro.ts [--side 256] [--view 512] [--frames 6] [--format r8|r16f] [--volume noisy|smooth]
//     [--variants ray,slices,...]
import { chromium } from '@playwright/test';
import { executablePath } from '../e2e/browser';

const args = process.argv.slice(2);
const option = (name: string) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const SIDE = Number(option('--side') ?? 256);
const VIEW = Number(option('--view') ?? 512);
const FRAMES = Number(option('--frames') ?? 6);
const FORMAT = option('--format') ?? 'r16f';
const VOLUME = option('--volume') ?? 'noisy';
const VARIANTS = (option('--variants') ?? 'ray,slices,ray,slices').split(',');
const ROUNDS = Number(option('--rounds') ?? 1);

const BROWSER_ARGS = ['--no-sandbox', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--enable-unsafe-swiftshader', '--disable-gpu-vsync', '--disable-frame-rate-limit'];

interface Config {
  side: number;
  view: number;
  frames: number;
  format: string;
  volume: string;
  variants: string[];
  rounds: number;
}

/** Runs in the page: every variant in turn, medians of `frames` frames each; returns lines of text. */
function inPage(c: Config): string[] {
  const canvas = document.createElement('canvas');
  canvas.width = c.view;
  canvas.height = c.view;
  document.body.appendChild(canvas);
  const gl = canvas.getContext('webgl2', { antialias: false, depth: false })!;
  gl.getExtension('EXT_color_buffer_float');
  gl.getExtension('EXT_float_blend');
  const n = c.side;
  // The volume: an ellipsoid, noisy (tissue everywhere inside) or smooth, in [0, 1].
  const data = new Float32Array(n * n * n);
  let seed = 12345;
  const rand = () => ((seed = (seed * 1664525 + 1013904223) >>> 0) / 4294967296);
  for (let k = 0; k < n; k++)
    for (let j = 0; j < n; j++)
      for (let i = 0; i < n; i++) {
        const x = (i / (n - 1)) * 2 - 1, y = (j / (n - 1)) * 2 - 1, z = (k / (n - 1)) * 2 - 1;
        const r = Math.hypot(x / 0.8, y / 0.9, z / 0.7);
        let v = r < 1 ? 0.4 + 0.2 * Math.cos(Math.PI * r) : 0.05;
        if (c.volume === 'noisy') v += 0.06 * (rand() - 0.5);
        data[i + n * (j + n * k)] = Math.min(1, Math.max(0, v));
      }
  const makeTex = (format: string) => {
  const tex = gl.createTexture();
  gl.activeTexture(gl.TEXTURE0);
  gl.bindTexture(gl.TEXTURE_3D, tex);
  gl.pixelStorei(gl.UNPACK_ALIGNMENT, 1);
  if (format === 'r8') {
    const bytes = new Uint8Array(data.length);
    for (let q = 0; q < data.length; q++) bytes[q] = Math.round(data[q] * 255);
    gl.texImage3D(gl.TEXTURE_3D, 0, gl.R8, n, n, n, 0, gl.RED, gl.UNSIGNED_BYTE, bytes);
  } else if (format === 'rg8') {
    // 16 bits split in two bytes: filtering is linear, so hi·256 + lo of the filtered pair is the filtered 16-bit value.
    const bytes = new Uint8Array(2 * data.length);
    for (let q = 0; q < data.length; q++) {
      const u = Math.round(data[q] * 65535);
      bytes[2 * q] = u >> 8;
      bytes[2 * q + 1] = u & 255;
    }
    gl.texImage3D(gl.TEXTURE_3D, 0, gl.RG8, n, n, n, 0, gl.RG, gl.UNSIGNED_BYTE, bytes);
  } else if (format === 'rgba8') {
    const bytes = new Uint8Array(4 * data.length);
    for (let q = 0; q < data.length; q++) {
      const u = Math.round(data[q] * 65535);
      bytes[4 * q] = u >> 8;
      bytes[4 * q + 1] = u & 255;
    }
    gl.texImage3D(gl.TEXTURE_3D, 0, gl.RGBA8, n, n, n, 0, gl.RGBA, gl.UNSIGNED_BYTE, bytes);
  } else if (format === 'la8') {
    const bytes = new Uint8Array(2 * data.length);
    for (let q = 0; q < data.length; q++) {
      const u = Math.round(data[q] * 65535);
      bytes[2 * q] = u >> 8;
      bytes[2 * q + 1] = u & 255;
    }
    gl.texImage3D(gl.TEXTURE_3D, 0, gl.LUMINANCE_ALPHA, n, n, n, 0, gl.LUMINANCE_ALPHA, gl.UNSIGNED_BYTE, bytes);
  } else if (format === 'r32f') gl.texImage3D(gl.TEXTURE_3D, 0, gl.R32F, n, n, n, 0, gl.RED, gl.FLOAT, data);
  else gl.texImage3D(gl.TEXTURE_3D, 0, gl.R16F, n, n, n, 0, gl.RED, gl.FLOAT, data);
  gl.texParameteri(gl.TEXTURE_3D, gl.TEXTURE_MIN_FILTER, gl.LINEAR);
  gl.texParameteri(gl.TEXTURE_3D, gl.TEXTURE_MAG_FILTER, gl.LINEAR);
  for (const w of [gl.TEXTURE_WRAP_S, gl.TEXTURE_WRAP_T, gl.TEXTURE_WRAP_R]) gl.texParameteri(gl.TEXTURE_3D, w, gl.CLAMP_TO_EDGE);
  return tex;
  };
  const texes: Record<string, WebGLTexture> = {};
  const texFor = (format: string) => (texes[format] ??= makeTex(format)!);

  const compile = (vs: string, fs: string) => {
    const p = gl.createProgram()!;
    for (const [type, src] of [[gl.VERTEX_SHADER, vs], [gl.FRAGMENT_SHADER, fs]] as const) {
      const s = gl.createShader(type)!;
      gl.shaderSource(s, src);
      gl.compileShader(s);
      if (!gl.getShaderParameter(s, gl.COMPILE_STATUS)) throw new Error(String(gl.getShaderInfoLog(s)));
      gl.attachShader(p, s);
    }
    gl.bindAttribLocation(p, 0, 'aPos');
    gl.linkProgram(p);
    if (!gl.getProgramParameter(p, gl.LINK_STATUS)) throw new Error(String(gl.getProgramInfoLog(p)));
    return p;
  };

  // Camera: perspective, looking at the box centre from distance 2.2 box diagonals' halves.
  type M = Float32Array;
  const mul = (a: M, b: M): M => {
    const o = new Float32Array(16);
    for (let col = 0; col < 4; col++) for (let row = 0; row < 4; row++) {
      let s = 0;
      for (let q = 0; q < 4; q++) s += a[q * 4 + row] * b[col * 4 + q];
      o[col * 4 + row] = s;
    }
    return o;
  };
  const invert = (m: M): M => {
    const inv = new Float64Array(16);
    const a = Array.from(m);
    // Gauss-Jordan on a 4×4 (column-major in, column-major out).
    const A = [0, 1, 2, 3].map((r) => [0, 1, 2, 3].map((cc) => a[cc * 4 + r]).concat([0, 1, 2, 3].map((cc) => (cc === r ? 1 : 0))));
    for (let col = 0; col < 4; col++) {
      let piv = col;
      for (let r = col + 1; r < 4; r++) if (Math.abs(A[r][col]) > Math.abs(A[piv][col])) piv = r;
      [A[col], A[piv]] = [A[piv], A[col]];
      const d = A[col][col];
      for (let q = 0; q < 8; q++) A[col][q] /= d;
      for (let r = 0; r < 4; r++) if (r !== col) {
        const f = A[r][col];
        for (let q = 0; q < 8; q++) A[r][q] -= f * A[col][q];
      }
    }
    for (let r = 0; r < 4; r++) for (let cc = 0; cc < 4; cc++) inv[cc * 4 + r] = A[r][4 + cc];
    return new Float32Array(inv);
  };
  /** Voxel space (box [0, n]³) → clip, and the eye in voxel space, at azimuth az (degrees). */
  const camera = (az: number) => {
    const a = (az * Math.PI) / 180, el = 0.35;
    const dist = 2.2 * n;
    const ctr = n / 2;
    const eye = [ctr + dist * Math.cos(el) * Math.sin(a), ctr + dist * Math.sin(el), ctr + dist * Math.cos(el) * Math.cos(a)];
    const f = [ctr - eye[0], ctr - eye[1], ctr - eye[2]];
    const fl = Math.hypot(...f);
    const fw = f.map((v) => v / fl);
    const up = [0, 1, 0];
    let s = [fw[1] * up[2] - fw[2] * up[1], fw[2] * up[0] - fw[0] * up[2], fw[0] * up[1] - fw[1] * up[0]];
    const sl = Math.hypot(...s);
    s = s.map((v) => v / sl);
    const u = [s[1] * fw[2] - s[2] * fw[1], s[2] * fw[0] - s[0] * fw[2], s[0] * fw[1] - s[1] * fw[0]];
    const view = new Float32Array([s[0], u[0], -fw[0], 0, s[1], u[1], -fw[1], 0, s[2], u[2], -fw[2], 0, -(s[0] * eye[0] + s[1] * eye[1] + s[2] * eye[2]), -(u[0] * eye[0] + u[1] * eye[1] + u[2] * eye[2]), fw[0] * eye[0] + fw[1] * eye[1] + fw[2] * eye[2], 1]);
    const fov = 2 * Math.atan((0.5 * Math.sqrt(3) * n) / dist) * 0.95;
    const t = 1 / Math.tan(fov / 2), near = dist - n, far = dist + n;
    const proj = new Float32Array([t, 0, 0, 0, 0, t, 0, 0, 0, 0, (far + near) / (near - far), -1, 0, 0, (2 * far * near) / (near - far), 0]);
    return { mvp: mul(proj, view), eye, fw };
  };

  // (a) ray march: a full-screen triangle, each pixel's ray clipped to the box, marched at 1 voxel.
  const fsVs = `#version 300 es
in vec2 aPos; out vec2 vNdc;
void main() { vNdc = aPos; gl_Position = vec4(aPos, 0.0, 1.0); }`;
  const rayFs = `#version 300 es
precision highp float; precision highp sampler3D;
uniform sampler3D uVol; uniform mat4 uInvMvp; uniform vec3 uEye; uniform float uN; uniform float uStep;
in vec2 vNdc; out vec4 o;
void main() {
  vec4 f = uInvMvp * vec4(vNdc, 1.0, 1.0);
  vec3 d = normalize(f.xyz / f.w - uEye);
  vec3 inv = 1.0 / d;
  vec3 a = (vec3(0.0) - uEye) * inv, b = (vec3(uN) - uEye) * inv;
  vec3 lo = min(a, b), hi = max(a, b);
  float t0 = max(max(lo.x, lo.y), lo.z), t1 = min(min(hi.x, hi.y), hi.z);
  if (t1 <= t0) discard;
  float best = 0.0;
  vec3 p = (uEye + d * (t0 + 0.5 * uStep)) / uN;
  vec3 dp = d * uStep / uN;
  int count = int((t1 - t0) / uStep);
  for (int s = 0; s < 4096; s++) {
    if (s >= count) break;
    best = max(best, VAL(textureLod(uVol, p, 0.0)));
    p += dp;
  }
  o = vec4(vec3(best), 1.0);
}`;
  // (a2) the same loop unrolled by 4 (a SIMD group's lanes stay together longer).
  const ray4Fs = rayFs.replace(
    /for \(int s = 0; s < 4096; s\+\+\) \{[\s\S]*?p \+= dp;\n {2}\}/,
    `int s = 0;
  for (; s + 4 <= count; s += 4) {
    float a0 = VAL(textureLod(uVol, p, 0.0)), a1 = VAL(textureLod(uVol, p + dp, 0.0)), a2 = VAL(textureLod(uVol, p + 2.0 * dp, 0.0)), a3 = VAL(textureLod(uVol, p + 3.0 * dp, 0.0));
    best = max(best, max(max(a0, a1), max(a2, a3)));
    p += 4.0 * dp;
  }
  for (; s < count; s++) { best = max(best, VAL(textureLod(uVol, p, 0.0))); p += dp; }`,
  );
  // (b) slices: view-aligned polygons (the plane ∩ box), one filtered fetch a fragment, MAX blend.
  const sliceVs = `#version 300 es
in vec3 aPos; uniform mat4 uMvp; uniform float uN; out vec3 vTex;
void main() { vTex = aPos / uN; gl_Position = uMvp * vec4(aPos, 1.0); }`;
  const sliceFs = `#version 300 es
precision highp float; precision highp sampler3D;
uniform sampler3D uVol; in vec3 vTex; out vec4 o;
void main() { o = vec4(VAL(textureLod(uVol, vTex, 0.0))); }`;
  // The MAX target shown through a LUT (here: grey) on the canvas.
  const showFs = `#version 300 es
precision highp float; uniform sampler2D uMax; in vec2 vNdc; out vec4 o;
void main() { float m = texture(uMax, vNdc * 0.5 + 0.5).r; o = vec4(vec3(m), 1.0); }`;

  const valDefFor = (format: string) => format === 'la8' ? '#define VAL(t) (dot((t).ra, vec2(65280.0, 255.0)) / 65535.0)\n' : format === 'rg8' || format === 'rgba8' ? '#define VAL(t) (dot((t).rg, vec2(65280.0, 255.0)) / 65535.0)\n' : '#define VAL(t) ((t).r)\n';
  const progs: Record<string, { ray: WebGLProgram; ray4: WebGLProgram; slice: WebGLProgram }> = {};
  const progsFor = (format: string) => {
    const withVal = (src: string) => src.replace('precision highp float;', `precision highp float;\n${valDefFor(format)}`);
    return (progs[format] ??= { ray: compile(fsVs, withVal(rayFs)), ray4: compile(fsVs, withVal(ray4Fs)), slice: compile(sliceVs, withVal(sliceFs)) });
  };
  const showProg = compile(fsVs, showFs);
  const tri = gl.createBuffer();
  gl.bindBuffer(gl.ARRAY_BUFFER, tri);
  gl.bufferData(gl.ARRAY_BUFFER, new Float32Array([-1, -1, 3, -1, -1, 3]), gl.STATIC_DRAW);
  const triVao = gl.createVertexArray();
  gl.bindVertexArray(triVao);
  gl.enableVertexAttribArray(0);
  gl.vertexAttribPointer(0, 2, gl.FLOAT, false, 0, 0);
  const sliceBuf = gl.createBuffer();
  const sliceVao = gl.createVertexArray();
  gl.bindVertexArray(sliceVao);
  gl.bindBuffer(gl.ARRAY_BUFFER, sliceBuf);
  gl.enableVertexAttribArray(0);
  gl.vertexAttribPointer(0, 3, gl.FLOAT, false, 0, 0);

  const targets: Record<string, { fb: WebGLFramebuffer; tex: WebGLTexture }> = {};
  const target = (fmt: string) => {
    if (targets[fmt]) return targets[fmt];
    const t = gl.createTexture()!;
    gl.activeTexture(gl.TEXTURE1);
    gl.bindTexture(gl.TEXTURE_2D, t);
    if (fmt === 'r8') gl.texImage2D(gl.TEXTURE_2D, 0, gl.R8, c.view, c.view, 0, gl.RED, gl.UNSIGNED_BYTE, null);
    else if (fmt === 'rgba8') gl.texImage2D(gl.TEXTURE_2D, 0, gl.RGBA8, c.view, c.view, 0, gl.RGBA, gl.UNSIGNED_BYTE, null);
    else if (fmt === 'r16f') gl.texImage2D(gl.TEXTURE_2D, 0, gl.R16F, c.view, c.view, 0, gl.RED, gl.HALF_FLOAT, null);
    else gl.texImage2D(gl.TEXTURE_2D, 0, gl.R32F, c.view, c.view, 0, gl.RED, gl.FLOAT, null);
    gl.texParameteri(gl.TEXTURE_2D, gl.TEXTURE_MIN_FILTER, gl.NEAREST);
    gl.texParameteri(gl.TEXTURE_2D, gl.TEXTURE_MAG_FILTER, gl.NEAREST);
    const fb = gl.createFramebuffer()!;
    gl.bindFramebuffer(gl.FRAMEBUFFER, fb);
    gl.framebufferTexture2D(gl.FRAMEBUFFER, gl.COLOR_ATTACHMENT0, gl.TEXTURE_2D, t, 0);
    if (gl.checkFramebufferStatus(gl.FRAMEBUFFER) !== gl.FRAMEBUFFER_COMPLETE) throw new Error(`${fmt} target incomplete`);
    gl.bindFramebuffer(gl.FRAMEBUFFER, null);
    gl.activeTexture(gl.TEXTURE0);
    return (targets[fmt] = { fb, tex: t });
  };

  /** The polygons of planes ⊥ fw at spacing `step` voxels through the box [0, n]³, back to front, as triangles. */
  const slices = (eye: number[], fw: number[], step: number): Float32Array => {
    const corners: number[][] = [];
    for (let q = 0; q < 8; q++) corners.push([q & 1 ? n : 0, q & 2 ? n : 0, q & 4 ? n : 0]);
    const dot = (p: number[]) => (p[0] - eye[0]) * fw[0] + (p[1] - eye[1]) * fw[1] + (p[2] - eye[2]) * fw[2];
    const ds = corners.map(dot);
    const dmin = Math.min(...ds), dmax = Math.max(...ds);
    const edges: [number, number][] = [];
    for (let a = 0; a < 8; a++) for (let b = a + 1; b < 8; b++) if ([1, 2, 4].includes(a ^ b)) edges.push([a, b]);
    const out: number[] = [];
    for (let dd = dmax - 0.5 * step; dd > dmin; dd -= step) {
      const pts: number[][] = [];
      for (const [a, b] of edges) {
        const da = ds[a] - dd, db = ds[b] - dd;
        if ((da < 0) === (db < 0)) continue;
        const s = da / (da - db);
        pts.push([0, 1, 2].map((x) => corners[a][x] + s * (corners[b][x] - corners[a][x])));
      }
      if (pts.length < 3) continue;
      const cx = [0, 1, 2].map((x) => pts.reduce((m, p) => m + p[x], 0) / pts.length);
      // Order around the centre in the plane's 2D frame.
      const ref = [pts[0][0] - cx[0], pts[0][1] - cx[1], pts[0][2] - cx[2]];
      const cr = (v: number[], w: number[]) => [v[1] * w[2] - v[2] * w[1], v[2] * w[0] - v[0] * w[2], v[0] * w[1] - v[1] * w[0]];
      const other = cr(fw, ref);
      const ang = (p: number[]) => {
        const v = [p[0] - cx[0], p[1] - cx[1], p[2] - cx[2]];
        return Math.atan2(v[0] * other[0] + v[1] * other[1] + v[2] * other[2], v[0] * ref[0] + v[1] * ref[1] + v[2] * ref[2]);
      };
      pts.sort((p, q) => ang(p) - ang(q));
      for (let q = 1; q + 1 < pts.length; q++) out.push(...pts[0], ...pts[q], ...pts[q + 1]);
    }
    return new Float32Array(out);
  };

  const draw = (spec: string, az: number) => {
    const [variant, format = c.format] = spec.split('@');
    const tex = texFor(format);
    const { ray: rayProg, ray4: ray4Prog, slice: sliceProg } = progsFor(format);
    const { mvp, eye, fw } = camera(az);
    gl.viewport(0, 0, c.view, c.view);
    gl.activeTexture(gl.TEXTURE0);
    gl.bindTexture(gl.TEXTURE_3D, tex);
    if (variant === 'ray' || variant === 'ray4' || variant === 'ray2') {
      const prog = variant === 'ray4' ? ray4Prog : rayProg;
      gl.bindFramebuffer(gl.FRAMEBUFFER, null);
      gl.disable(gl.BLEND);
      gl.clearColor(0, 0, 0, 1);
      gl.clear(gl.COLOR_BUFFER_BIT);
      gl.useProgram(prog);
      gl.uniform1i(gl.getUniformLocation(prog, 'uVol'), 0);
      gl.uniformMatrix4fv(gl.getUniformLocation(prog, 'uInvMvp'), false, invert(mvp));
      gl.uniform3fv(gl.getUniformLocation(prog, 'uEye'), eye);
      gl.uniform1f(gl.getUniformLocation(prog, 'uN'), n);
      gl.uniform1f(gl.getUniformLocation(prog, 'uStep'), variant === 'ray2' ? 0.5 : 1);
      gl.bindVertexArray(triVao);
      gl.drawArrays(gl.TRIANGLES, 0, 3);
      return 0;
    }
    // slices[-fmt][-half]
    const parts = variant.split('-');
    const fmt = parts.find((p) => ['r8', 'rgba8', 'r16f', 'r32f'].includes(p)) ?? 'r8';
    const step = parts.includes('half') ? 0.5 : 1;
    const t = target(fmt);
    gl.bindFramebuffer(gl.FRAMEBUFFER, t.fb);
    gl.clearColor(0, 0, 0, 0);
    gl.clear(gl.COLOR_BUFFER_BIT);
    gl.enable(gl.BLEND);
    gl.blendEquation(gl.MAX);
    gl.useProgram(sliceProg);
    gl.uniform1i(gl.getUniformLocation(sliceProg, 'uVol'), 0);
    gl.uniformMatrix4fv(gl.getUniformLocation(sliceProg, 'uMvp'), false, mvp);
    gl.uniform1f(gl.getUniformLocation(sliceProg, 'uN'), n);
    const verts = slices(eye, fw, step);
    gl.bindVertexArray(sliceVao);
    gl.bindBuffer(gl.ARRAY_BUFFER, sliceBuf);
    gl.bufferData(gl.ARRAY_BUFFER, verts, gl.STREAM_DRAW);
    gl.drawArrays(gl.TRIANGLES, 0, verts.length / 3);
    gl.disable(gl.BLEND);
    gl.bindFramebuffer(gl.FRAMEBUFFER, null);
    gl.useProgram(showProg);
    gl.activeTexture(gl.TEXTURE1);
    gl.bindTexture(gl.TEXTURE_2D, t.tex);
    gl.uniform1i(gl.getUniformLocation(showProg, 'uMax'), 1);
    gl.bindVertexArray(triVao);
    gl.drawArrays(gl.TRIANGLES, 0, 3);
    return verts.length / 9;
  };
  const px = new Uint8Array(4);
  const sync = () => gl.readPixels(0, 0, 1, 1, gl.RGBA, gl.UNSIGNED_BYTE, px);
  /** The canvas's grey values (for comparing variants at one pose). */
  const image = () => {
    const all = new Uint8Array(c.view * c.view * 4);
    gl.readPixels(0, 0, c.view, c.view, gl.RGBA, gl.UNSIGNED_BYTE, all);
    return all;
  };
  const lines: string[] = [];
  const err = gl.getError();
  if (err) lines.push(`GL error ${err} before timing`);
  const results: Record<string, number[]> = {};
  {
    // The ray march's fetches and covered pixels at one pose (as the shader counts them).
    const { mvp, eye } = camera(25);
    const inv = invert(mvp);
    let fetches = 0, covered = 0;
    for (let y = 0; y < c.view; y++)
      for (let x = 0; x < c.view; x++) {
        const ndc = [((x + 0.5) / c.view) * 2 - 1, ((y + 0.5) / c.view) * 2 - 1, 1, 1];
        const f = [0, 1, 2, 3].map((r) => inv[r] * ndc[0] + inv[4 + r] * ndc[1] + inv[8 + r] * ndc[2] + inv[12 + r] * ndc[3]);
        const d = [f[0] / f[3] - eye[0], f[1] / f[3] - eye[1], f[2] / f[3] - eye[2]];
        const l = Math.hypot(d[0], d[1], d[2]);
        let t0 = -Infinity, t1 = Infinity;
        for (let a = 0; a < 3; a++) {
          const da = d[a] / l || 1e-9;
          const ta = (0 - eye[a]) / da, tb = (n - eye[a]) / da;
          t0 = Math.max(t0, Math.min(ta, tb));
          t1 = Math.min(t1, Math.max(ta, tb));
        }
        if (t1 > t0) {
          covered++;
          fetches += Math.floor(t1 - t0);
        }
      }
    lines.push(`ray at 1 voxel: ${covered} covered pixels, ${(fetches / 1e6).toFixed(1)} M fetches (${(fetches / covered).toFixed(0)} a pixel)`);
  }
  for (let round = 0; round < c.rounds; round++)
    for (const v of c.variants) {
      draw(v, 5);
      sync();
      const times: number[] = [];
      let tris = 0;
      for (let f = 0; f < c.frames; f++) {
        const t0 = performance.now();
        tris = draw(v, 15 + 10 * f);
        sync();
        times.push(performance.now() - t0);
      }
      (results[v] ??= []).push(...times);
      lines.push(`${v.padEnd(16)} ${times.map((t) => t.toFixed(0)).join(' ')} ms${tris ? ` (${tris} triangles)` : ''}`);
    }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  lines.push('medians:');
  for (const [v, xs] of Object.entries(results)) lines.push(`  ${v.padEnd(16)} ${median(xs).toFixed(0)} ms`);
  // Image agreement at one pose, against the ray march.
  draw(`ray@r32f`, 37);
  const ref = image();
  lines.push('image against ray@r32f:');
  for (const v of Object.keys(results)) {
    draw(v, 37);
    const im = image();
    let sum = 0, max = 0, cnt = 0;
    for (let q = 0; q < ref.length; q += 4) {
      const d = Math.abs(ref[q] - im[q]);
      sum += d;
      max = Math.max(max, d);
      cnt++;
    }
    lines.push(`  ${v}: mean ${(sum / cnt).toFixed(3)} max ${max}`);
  }
  const e2 = gl.getError();
  if (e2) lines.push(`GL error ${e2}`);
  return lines;
}

/**
 * Runs in the page: RG8 (16 bits as hi, lo bytes) filtered by the GPU against the same 16-bit
 * values trilinearly interpolated in double precision on the CPU, at `count` random points of a
 * random 32³ volume: the largest and mean error in 16-bit units.
 */
function precisionInPage(count: number): string {
  const canvas = document.createElement('canvas');
  const gl = canvas.getContext('webgl2')!;
  if (!gl.getExtension('EXT_color_buffer_float')) return 'no EXT_color_buffer_float';
  const n = 32;
  let seed = 777;
  const rand = () => ((seed = (seed * 1664525 + 1013904223) >>> 0) / 4294967296);
  const u16 = new Uint16Array(n * n * n);
  for (let q = 0; q < u16.length; q++) u16[q] = q % 7 === 0 ? (rand() < 0.5 ? 0 : 65535) : Math.floor(rand() * 65536);
  const bytes = new Uint8Array(2 * u16.length);
  for (let q = 0; q < u16.length; q++) {
    bytes[2 * q] = u16[q] >> 8;
    bytes[2 * q + 1] = u16[q] & 255;
  }
  const tex = gl.createTexture();
  gl.activeTexture(gl.TEXTURE0);
  gl.bindTexture(gl.TEXTURE_3D, tex);
  gl.pixelStorei(gl.UNPACK_ALIGNMENT, 1);
  gl.texImage3D(gl.TEXTURE_3D, 0, gl.RG8, n, n, n, 0, gl.RG, gl.UNSIGNED_BYTE, bytes);
  gl.texParameteri(gl.TEXTURE_3D, gl.TEXTURE_MIN_FILTER, gl.LINEAR);
  gl.texParameteri(gl.TEXTURE_3D, gl.TEXTURE_MAG_FILTER, gl.LINEAR);
  for (const w of [gl.TEXTURE_WRAP_S, gl.TEXTURE_WRAP_T, gl.TEXTURE_WRAP_R]) gl.texParameteri(gl.TEXTURE_3D, w, gl.CLAMP_TO_EDGE);
  const side = Math.ceil(Math.sqrt(count));
  const pts = new Float32Array(side * side * 4);
  for (let q = 0; q < side * side; q++) for (let a = 0; a < 3; a++) pts[4 * q + a] = 0.5 + rand() * (n - 1);
  const ptTex = gl.createTexture();
  gl.activeTexture(gl.TEXTURE1);
  gl.bindTexture(gl.TEXTURE_2D, ptTex);
  gl.texImage2D(gl.TEXTURE_2D, 0, gl.RGBA32F, side, side, 0, gl.RGBA, gl.FLOAT, pts);
  gl.texParameteri(gl.TEXTURE_2D, gl.TEXTURE_MIN_FILTER, gl.NEAREST);
  gl.texParameteri(gl.TEXTURE_2D, gl.TEXTURE_MAG_FILTER, gl.NEAREST);
  const out = gl.createTexture();
  gl.activeTexture(gl.TEXTURE2);
  gl.bindTexture(gl.TEXTURE_2D, out);
  gl.texImage2D(gl.TEXTURE_2D, 0, gl.RGBA32F, side, side, 0, gl.RGBA, gl.FLOAT, null);
  const fb = gl.createFramebuffer();
  gl.bindFramebuffer(gl.FRAMEBUFFER, fb);
  gl.framebufferTexture2D(gl.FRAMEBUFFER, gl.COLOR_ATTACHMENT0, gl.TEXTURE_2D, out, 0);
  const prog = gl.createProgram()!;
  const vs = `#version 300 es
in vec2 aPos; void main() { gl_Position = vec4(aPos, 0.0, 1.0); }`;
  const fs = `#version 300 es
precision highp float; precision highp sampler3D;
uniform sampler3D uVol; uniform sampler2D uPts; out vec4 o;
void main() {
  vec3 v = texelFetch(uPts, ivec2(gl_FragCoord.xy), 0).xyz;
  vec2 t = textureLod(uVol, v / ${n}.0, 0.0).rg;
  o = vec4(dot(t, vec2(65280.0, 255.0)), t * 255.0, 0.0);
}`;
  for (const [type, src] of [[gl.VERTEX_SHADER, vs], [gl.FRAGMENT_SHADER, fs]] as const) {
    const sh = gl.createShader(type)!;
    gl.shaderSource(sh, src);
    gl.compileShader(sh);
    if (!gl.getShaderParameter(sh, gl.COMPILE_STATUS)) return String(gl.getShaderInfoLog(sh));
    gl.attachShader(prog, sh);
  }
  gl.bindAttribLocation(prog, 0, 'aPos');
  gl.linkProgram(prog);
  gl.useProgram(prog);
  gl.uniform1i(gl.getUniformLocation(prog, 'uVol'), 0);
  gl.uniform1i(gl.getUniformLocation(prog, 'uPts'), 1);
  const buf = gl.createBuffer();
  gl.bindBuffer(gl.ARRAY_BUFFER, buf);
  gl.bufferData(gl.ARRAY_BUFFER, new Float32Array([-1, -1, 3, -1, -1, 3]), gl.STATIC_DRAW);
  gl.enableVertexAttribArray(0);
  gl.vertexAttribPointer(0, 2, gl.FLOAT, false, 0, 0);
  gl.viewport(0, 0, side, side);
  gl.drawArrays(gl.TRIANGLES, 0, 3);
  const res = new Float32Array(side * side * 4);
  gl.readPixels(0, 0, side, side, gl.RGBA, gl.FLOAT, res);
  let max = 0, sum = 0, above = 0;
  const at = (i: number, j: number, k: number) => u16[i + n * (j + n * k)];
  for (let q = 0; q < side * side; q++) {
    // Texture coordinate v / n: the texel centres sit at i + 0.5.
    const c = [0, 1, 2].map((a) => Math.min(n - 1, Math.max(0, pts[4 * q + a] - 0.5)));
    const p0 = c.map(Math.floor), f = c.map((x, a) => x - p0[a]), p1 = p0.map((x) => Math.min(x + 1, n - 1));
    let v = 0, lo = Infinity, hi = -Infinity;
    for (let corner = 0; corner < 8; corner++) {
      const ijk = [0, 1, 2].map((a) => ((corner >> a) & 1 ? p1[a] : p0[a]));
      const w = [0, 1, 2].reduce((m, a) => m * ((corner >> a) & 1 ? f[a] : 1 - f[a]), 1);
      const x = at(ijk[0], ijk[1], ijk[2]);
      v += w * x;
      if (w > 0) { lo = Math.min(lo, x); hi = Math.max(hi, x); }
    }
    const e = Math.abs(res[4 * q] - v);
    max = Math.max(max, e);
    sum += e;
    if (res[4 * q] > hi + 1e-3 || res[4 * q] < lo - 1e-3) above++;
  }
  const dbg = [0, 1, 2].map((q) => `${res[4 * q].toFixed(1)},${res[4 * q + 1].toFixed(1)},${res[4 * q + 2].toFixed(1)} @ ${pts[4 * q].toFixed(2)} ${pts[4 * q + 1].toFixed(2)} ${pts[4 * q + 2].toFixed(2)}`).join('; ');
  return `err ${gl.getError()} ${dbg}\nRG8 filtered vs exact trilinear of the 16-bit values, ${side * side} points: max error ${max.toFixed(2)}, mean ${(sum / (side * side)).toFixed(3)} (16-bit units); outside the corners' range: ${above}`;
}

if (args.includes('--precision')) {
  const b = await chromium.launch({ executablePath, headless: true, args: BROWSER_ARGS });
  try {
    const page = await b.newPage();
    await page.addInitScript('globalThis.__name = (f) => f;');
    await page.goto('about:blank');
    process.stdout.write(`${await page.evaluate(precisionInPage, 1 << 18)}\n`);
  } finally {
    await b.close();
  }
  process.exit(0);
}

const browser = await chromium.launch({ executablePath, headless: true, args: BROWSER_ARGS });
try {
  const page = await browser.newPage({ viewport: { width: VIEW + 40, height: VIEW + 40 } });
  await page.addInitScript('globalThis.__name = (f) => f;');
  await page.goto('about:blank');
  const lines = await page.evaluate(inPage, { side: SIDE, view: VIEW, frames: FRAMES, format: FORMAT, volume: VOLUME, variants: VARIANTS, rounds: ROUNDS });
  process.stdout.write(`${SIDE}³ ${FORMAT} ${VOLUME}, ${VIEW}² canvas, ${FRAMES} frames a variant:\n${lines.join('\n')}\n`);
} finally {
  await browser.close();
}

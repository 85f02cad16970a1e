// The floor: stream-gunzip into one SharedArrayBuffer, one texImage3D, nothing else (no worker,
// no validation, no rendering). What any viewer must at least spend.
// With ?draw, it also draws one frame sampling the texture (texelFetch, 512² canvas): the floor
// for "load to first frame", since a software renderer does much of its texture work at first use.
import { rendererString, syncGpu } from './benchApi';

const gl = (document.getElementById('gl') as HTMLCanvasElement).getContext('webgl2') as WebGL2RenderingContext;

const FORMATS: Record<number, [number, number, number, number]> = {
  // datatype: [bytes, internalFormat, format, type]
  2: [1, gl.R8, gl.RED, gl.UNSIGNED_BYTE],
  4: [2, gl.R16I, gl.RED_INTEGER, gl.SHORT],
  16: [4, gl.R32F, gl.RED, gl.FLOAT],
  128: [3, gl.RGB8, gl.RGB, gl.UNSIGNED_BYTE],
  256: [1, gl.R8I, gl.RED_INTEGER, gl.BYTE],
  512: [2, gl.R16UI, gl.RED_INTEGER, gl.UNSIGNED_SHORT],
};

const draw = new URLSearchParams(location.search).has('draw');

function drawOnce(texture: WebGLTexture | null, type: number) {
  const kind = type === gl.FLOAT || type === gl.UNSIGNED_BYTE ? '' : type === gl.UNSIGNED_SHORT ? 'u' : 'i';
  const compile = (stage: number, src: string) => {
    const sh = gl.createShader(stage) as WebGLShader;
    gl.shaderSource(sh, src);
    gl.compileShader(sh);
    return sh;
  };
  const program = gl.createProgram() as WebGLProgram;
  gl.attachShader(program, compile(gl.VERTEX_SHADER, `#version 300 es
    out vec2 p; void main() { p = vec2((gl_VertexID << 1) & 2, gl_VertexID & 2); gl_Position = vec4(p * 2.0 - 1.0, 0.0, 1.0); }`));
  gl.attachShader(program, compile(gl.FRAGMENT_SHADER, `#version 300 es
    precision highp float; precision highp ${kind}sampler3D; uniform ${kind}sampler3D v; in vec2 p; out vec4 c;
    void main() { ivec3 s = textureSize(v, 0); float x = float(texelFetch(v, ivec3(p * vec2(s.xy), s.z / 2), 0).r); c = vec4(vec3(fract(x * 0.001)), 1.0); }`));
  gl.linkProgram(program);
  gl.useProgram(program);
  gl.activeTexture(gl.TEXTURE0);
  gl.bindTexture(gl.TEXTURE_3D, texture);
  for (const p of [gl.TEXTURE_MIN_FILTER, gl.TEXTURE_MAG_FILTER]) gl.texParameteri(gl.TEXTURE_3D, p, gl.NEAREST);
  gl.viewport(0, 0, 512, 512);
  gl.drawArrays(gl.TRIANGLES, 0, 3);
}

window.bench = {
  async load(url) {
    const t0 = performance.now();
    const res = await fetch(url);
    let body = res.body as ReadableStream<Uint8Array>;
    const gz = url.endsWith('.gz');
    if (gz) body = body.pipeThrough(new DecompressionStream('gzip') as unknown as TransformStream<Uint8Array, Uint8Array>);
    const reader = body.getReader();
    let head = new Uint8Array(0);
    let voxels: Uint8Array | null = null;
    let written = 0, dims: number[] = [], fmt: [number, number, number, number] | undefined;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      let chunk = value;
      if (!voxels) {
        const joined = new Uint8Array(head.length + chunk.length);
        joined.set(head);
        joined.set(chunk, head.length);
        head = joined;
        if (head.length < 352) continue;
        const dv = new DataView(head.buffer);
        dims = [dv.getInt16(42, true), dv.getInt16(44, true), dv.getInt16(46, true)];
        fmt = FORMATS[dv.getInt16(70, true)];
        if (!fmt || dv.getInt32(0, true) !== 348) throw new Error('floor: only NIfTI-1 of types uint8, int8, int16, uint16, float32, RGB24');
        const offset = dv.getFloat32(108, true);
        voxels = new Uint8Array(new SharedArrayBuffer(dims[0] * dims[1] * dims[2] * fmt[0]));
        chunk = head.subarray(offset);
      }
      const take = Math.min(chunk.length, voxels.length - written);
      voxels.set(chunk.subarray(0, take), written);
      written += take;
    }
    if (!voxels || !fmt) throw new Error('floor: empty file');
    const [, internal, format, type] = fmt;
    const view = type === gl.BYTE ? new Int8Array(voxels.buffer) : type === gl.SHORT ? new Int16Array(voxels.buffer) : type === gl.UNSIGNED_SHORT ? new Uint16Array(voxels.buffer) : type === gl.FLOAT ? new Float32Array(voxels.buffer) : voxels;
    const tex = gl.createTexture();
    gl.bindTexture(gl.TEXTURE_3D, tex);
    gl.pixelStorei(gl.UNPACK_ALIGNMENT, 1);
    gl.texImage3D(gl.TEXTURE_3D, 0, internal, dims[0], dims[1], dims[2], 0, format, type, view);
    if (draw) drawOnce(tex, type);
    syncGpu(gl);
    return performance.now() - t0;
  },
  page: async () => null,
  probe: async () => null,
  renderer: () => rendererString(gl),
};

// Whether this GPU filters an RG8 3D texture precisely enough for the render copy's 16 bits in two
// bytes (renderCopy.ts). The copy relies on the sampler returning each filtered channel at more
// than 8 bits: a GPU that rounds a filtered 8-bit channel to 8 bits (or to a half float) would put
// the high byte's rounding, up to 128 of the 65535 steps, into every sample between two voxels.
// Measured once per context, before the first copy: a two-texel RG8 texture is filtered at 16
// points between its texels and compared with an R16F texture holding the same values' difference
// (small integers, exact in a half float, filtered with the same weights), so only the channels'
// precision is judged, not the GPU's weight rounding. Raw WebGL2 calls; three.js's cached state is
// reset after them.
import type { WebGLRenderer } from 'three';

/** The probe's two 16-bit values (different high bytes, low bytes far apart), the points sampled between them and the error allowed (16-bit steps). */
export const RG8_PROBE = { a: 0x12f0, b: 0x1405, points: 16, tolerance: 2 } as const;

/** The probe's fragment shader: 1 in red where the RG8 fetch, decoded, misses the R16F fetch of the same point by more than the tolerance. */
export const RG8_PROBE_FRAGMENT = `#version 300 es
precision highp float;
precision highp sampler3D;
uniform sampler3D uPair;
uniform sampler3D uDiff;
out vec4 fragColor;
void main() {
  // Between the two texels' centres (0.25 and 0.75 across the texture), one point per pixel.
  float t = gl_FragCoord.x / ${RG8_PROBE.points}.0;
  vec3 at = vec3(0.25 + 0.5 * t, 0.5, 0.5);
  vec2 rg = texture(uPair, at).rg;
  float got = rg.r * 65280.0 + rg.g * 255.0 - ${RG8_PROBE.a}.0;
  float want = texture(uDiff, at).r;
  fragColor = vec4(abs(got - want) > ${RG8_PROBE.tolerance}.0 ? 1.0 : 0.0, 0.0, 0.0, 1.0);
}`;

const VERTEX = `#version 300 es
void main() {
  // One triangle over the whole target.
  vec2 p = vec2(float((gl_VertexID & 1) << 2) - 1.0, float((gl_VertexID & 2) << 1) - 1.0);
  gl_Position = vec4(p, 0.0, 1.0);
}`;

/** The probe's verdict from the pixels it read back (RGBA, one pixel a point): every point drawn and within the tolerance. */
export function probePassed(pixels: Uint8Array): boolean {
  if (pixels.length < RG8_PROBE.points * 4) return false;
  for (let i = 0; i < RG8_PROBE.points; i++) if (pixels[i * 4] !== 0 || pixels[i * 4 + 3] !== 255) return false;
  return true;
}

const verdicts = new WeakMap<WebGL2RenderingContext, boolean>();

/** Whether RG8 copies filter exactly here (measured once per context; false when the probe cannot run). */
export function rg8FiltersExactly(renderer: WebGLRenderer): boolean {
  const gl = renderer.getContext() as WebGL2RenderingContext;
  const known = verdicts.get(gl);
  if (known !== undefined) return known;
  let passed: boolean;
  try {
    passed = runProbe(gl);
  } catch {
    passed = false;
  } finally {
    renderer.resetState();
  }
  // A lost context answers nothing: ask again once it is back.
  if (!gl.isContextLost()) verdicts.set(gl, passed);
  return passed;
}

function runProbe(gl: WebGL2RenderingContext): boolean {
  const made: { textures: WebGLTexture[]; shaders: WebGLShader[]; program?: WebGLProgram; framebuffer?: WebGLFramebuffer } = { textures: [], shaders: [] };
  // Errors flagged before the probe are not the probe's.
  for (let i = 0; i < 16 && gl.getError() !== gl.NO_ERROR; i++);
  try {
    gl.pixelStorei(gl.UNPACK_ALIGNMENT, 1);
    const texture3D = (internal: number, format: number, type: number, data: ArrayBufferView) => {
      const t = gl.createTexture()!;
      made.textures.push(t);
      gl.bindTexture(gl.TEXTURE_3D, t);
      gl.texImage3D(gl.TEXTURE_3D, 0, internal, 2, 1, 1, 0, format, type, data);
      gl.texParameteri(gl.TEXTURE_3D, gl.TEXTURE_MIN_FILTER, gl.LINEAR);
      gl.texParameteri(gl.TEXTURE_3D, gl.TEXTURE_MAG_FILTER, gl.LINEAR);
      for (const wrap of [gl.TEXTURE_WRAP_S, gl.TEXTURE_WRAP_T, gl.TEXTURE_WRAP_R]) gl.texParameteri(gl.TEXTURE_3D, wrap, gl.CLAMP_TO_EDGE);
      return t;
    };
    const { a, b, points } = RG8_PROBE;
    const pair = texture3D(gl.RG8, gl.RG, gl.UNSIGNED_BYTE, new Uint8Array([a >> 8, a & 255, b >> 8, b & 255]));
    // 0 and b − a as half floats (small integers: exact).
    const diff = texture3D(gl.R16F, gl.RED, gl.FLOAT, new Float32Array([0, b - a]));

    const shader = (type: number, source: string) => {
      const s = gl.createShader(type)!;
      made.shaders.push(s);
      gl.shaderSource(s, source);
      gl.compileShader(s);
      return s;
    };
    const program = gl.createProgram()!;
    made.program = program;
    gl.attachShader(program, shader(gl.VERTEX_SHADER, VERTEX));
    gl.attachShader(program, shader(gl.FRAGMENT_SHADER, RG8_PROBE_FRAGMENT));
    gl.linkProgram(program);
    if (!gl.getProgramParameter(program, gl.LINK_STATUS)) return false;

    const target = gl.createTexture()!;
    made.textures.push(target);
    gl.bindTexture(gl.TEXTURE_2D, target);
    gl.texStorage2D(gl.TEXTURE_2D, 1, gl.RGBA8, points, 1);
    const framebuffer = gl.createFramebuffer()!;
    made.framebuffer = framebuffer;
    gl.bindFramebuffer(gl.FRAMEBUFFER, framebuffer);
    gl.framebufferTexture2D(gl.FRAMEBUFFER, gl.COLOR_ATTACHMENT0, gl.TEXTURE_2D, target, 0);
    if (gl.checkFramebufferStatus(gl.FRAMEBUFFER) !== gl.FRAMEBUFFER_COMPLETE) return false;

    gl.useProgram(program);
    gl.activeTexture(gl.TEXTURE0);
    gl.bindTexture(gl.TEXTURE_3D, pair);
    gl.uniform1i(gl.getUniformLocation(program, 'uPair'), 0);
    gl.activeTexture(gl.TEXTURE1);
    gl.bindTexture(gl.TEXTURE_3D, diff);
    gl.uniform1i(gl.getUniformLocation(program, 'uDiff'), 1);
    gl.disable(gl.BLEND);
    gl.disable(gl.SCISSOR_TEST);
    gl.disable(gl.DEPTH_TEST);
    gl.colorMask(true, true, true, true);
    gl.viewport(0, 0, points, 1);
    gl.bindVertexArray(null);
    gl.drawArrays(gl.TRIANGLES, 0, 3);
    const pixels = new Uint8Array(points * 4);
    gl.readPixels(0, 0, points, 1, gl.RGBA, gl.UNSIGNED_BYTE, pixels);
    return gl.getError() === gl.NO_ERROR && probePassed(pixels);
  } finally {
    gl.bindFramebuffer(gl.FRAMEBUFFER, null);
    if (made.framebuffer) gl.deleteFramebuffer(made.framebuffer);
    if (made.program) gl.deleteProgram(made.program);
    for (const s of made.shaders) gl.deleteShader(s);
    for (const t of made.textures) gl.deleteTexture(t);
  }
}

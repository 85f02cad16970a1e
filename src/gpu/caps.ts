// What the GPU allows, read once from the WebGL2 context when the canvas is created. The loaders
// plan against it (gpu/plan.ts) before any texture exists, so it lives below state/ and render/.

export interface TextureCaps {
  /** OES_texture_float_linear: R32F can be filtered by the hardware. */
  floatLinear: boolean;
  max3DSize: number;
}

/** The canvas's caps; the defaults (WebGL2's guaranteed minimum sizes) until the canvas reads them. */
export let textureCaps: TextureCaps = { floatLinear: false, max3DSize: 2048 };

/** Reads the caps from the canvas's context; every importer of `textureCaps` sees them from now on. */
export function readCaps(gl: WebGL2RenderingContext): TextureCaps {
  textureCaps = {
    floatLinear: gl.getExtension('OES_texture_float_linear') !== null,
    max3DSize: gl.getParameter(gl.MAX_3D_TEXTURE_SIZE) as number,
  };
  return textureCaps;
}

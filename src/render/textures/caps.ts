import type { TextureCaps } from './textureFormats';

/** Read once from the WebGL2 context when the canvas is created. */
export let textureCaps: TextureCaps = { floatLinear: false, max3DSize: 2048 };

export function readCaps(gl: WebGL2RenderingContext): TextureCaps {
  textureCaps = {
    floatLinear: gl.getExtension('OES_texture_float_linear') !== null,
    max3DSize: gl.getParameter(gl.MAX_3D_TEXTURE_SIZE) as number,
  };
  return textureCaps;
}

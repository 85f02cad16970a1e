// One way to make a 3D data texture: texelFetch-only (nearest, no mipmaps, rows packed), in the
// given internal format, uploaded from `data` as it is. Volumes, brick ranges and leap distances
// all use it.
import { Data3DTexture, NearestFilter, type AnyPixelFormat, type PixelFormatGPU, type TextureDataType, type TypedArray } from 'three';

export function nearestTexture3D(data: TypedArray, dims: readonly [number, number, number], f: { internalFormat: PixelFormatGPU; format: AnyPixelFormat; type: TextureDataType }): Data3DTexture {
  const texture = new Data3DTexture(data, ...dims);
  texture.internalFormat = f.internalFormat;
  texture.format = f.format;
  texture.type = f.type;
  texture.minFilter = NearestFilter;
  texture.magFilter = NearestFilter;
  texture.unpackAlignment = 1;
  texture.flipY = false;
  texture.generateMipmaps = false;
  texture.needsUpdate = true;
  return texture;
}

/** GPU bytes of a 3D texture of `bytesPerTexel` a texel, at its image's size. */
export function texture3DBytes(texture: Data3DTexture, bytesPerTexel: number): number {
  const { width, height, depth } = texture.image;
  return width * height * depth * bytesPerTexel;
}

// The format table: one explicit entry per stored type, so that a stored value reaches the shader
// unchanged. See ARCHITECTURE.md "The format table". Integer types use integer textures: the
// SNORM formats map both −128 and −127 (or −32768 and −32767) to −1.0, and EXT_texture_norm16 is
// missing on many devices (SwiftShader among them).
import {
  ByteType,
  FloatType,
  IntType,
  RedFormat,
  RedIntegerFormat,
  RGBAFormat,
  RGBFormat,
  RGBIntegerFormat,
  ShortType,
  UnsignedByteType,
  UnsignedIntType,
  UnsignedShortType,
  type AnyPixelFormat,
  type PixelFormatGPU,
  type TextureDataType,
} from 'three';
import type { TextureCaps } from '../../gpu/caps';
import { texelBytes } from '../../gpu/plan';
import type { DataType } from '../../volume/dataTypes';

export type SamplerKind = 'float' | 'int' | 'uint';

export interface TextureFormat {
  internalFormat: PixelFormatGPU;
  format: AnyPixelFormat;
  type: TextureDataType;
  sampler: SamplerKind;
  /** Stored value = texel × rawScale (normalized R8/RGB8: 255). */
  rawScale: number;
  channels: 1 | 3 | 4;
  bytesPerTexel: number;
  /** Who interpolates when linear sampling is asked for. */
  linear: 'hardware' | 'shader';
  /** Present when the texture holds a converted copy; the reason is shown to the user. */
  convert?: { to: 'float32'; reason: string };
  /** The WebGL2 names of `format` and `type`, for uploads made without three.js (slices as they arrive). */
  gl: { format: GlFormat; type: GlType };
}

type GlFormat = 'RED' | 'RED_INTEGER' | 'RGB' | 'RGBA' | 'RGB_INTEGER';
type GlType = 'UNSIGNED_BYTE' | 'BYTE' | 'SHORT' | 'UNSIGNED_SHORT' | 'INT' | 'UNSIGNED_INT' | 'FLOAT';
const GL_FORMATS: Record<number, GlFormat> = { [RedFormat]: 'RED', [RedIntegerFormat]: 'RED_INTEGER', [RGBFormat]: 'RGB', [RGBAFormat]: 'RGBA', [RGBIntegerFormat]: 'RGB_INTEGER' };
const GL_TYPES: Record<number, GlType> = {
  [UnsignedByteType]: 'UNSIGNED_BYTE',
  [ByteType]: 'BYTE',
  [ShortType]: 'SHORT',
  [UnsignedShortType]: 'UNSIGNED_SHORT',
  [IntType]: 'INT',
  [UnsignedIntType]: 'UNSIGNED_INT',
  [FloatType]: 'FLOAT',
};

const exact = (
  internalFormat: PixelFormatGPU,
  format: AnyPixelFormat,
  type: TextureDataType,
  sampler: SamplerKind,
  opts: Partial<Pick<TextureFormat, 'rawScale' | 'channels' | 'linear'>> = {},
): FormatEntry => ({
  internalFormat,
  format,
  type,
  sampler,
  rawScale: opts.rawScale ?? 1,
  channels: opts.channels ?? 1,
  linear: opts.linear ?? (sampler === 'float' ? 'hardware' : 'shader'),
  gl: { format: GL_FORMATS[format], type: GL_TYPES[type] },
});

const toFloat32 = (from: string, caps: TextureCaps): FormatEntry => ({
  ...exact('R32F', RedFormat, FloatType, 'float', { linear: caps.floatLinear ? 'hardware' : 'shader' }),
  convert: {
    to: 'float32',
    reason: `WebGL2 has no ${from} textures: the display uses a float32 copy (about 7 significant digits). Probes read the original ${from} values.`,
  },
});

/** A stored type's texture format; its bytes per texel are the planner's (gpu/plan.ts texelBytes), so the loaders' sums match the textures. */
export function textureFormatFor(dtype: DataType, caps: TextureCaps): TextureFormat {
  return { ...formatEntry(dtype, caps), bytesPerTexel: texelBytes(dtype) };
}

type FormatEntry = Omit<TextureFormat, 'bytesPerTexel'>;

function formatEntry(dtype: DataType, caps: TextureCaps): FormatEntry {
  switch (dtype) {
    case 'uint8':
      return exact('R8', RedFormat, UnsignedByteType, 'float', { rawScale: 255 });
    case 'int8':
      return exact('R8I', RedIntegerFormat, ByteType, 'int');
    case 'uint16':
      return exact('R16UI', RedIntegerFormat, UnsignedShortType, 'uint');
    case 'int16':
      return exact('R16I', RedIntegerFormat, ShortType, 'int');
    case 'uint32':
      return exact('R32UI', RedIntegerFormat, UnsignedIntType, 'uint');
    case 'int32':
      return exact('R32I', RedIntegerFormat, IntType, 'int');
    case 'float32':
      return exact('R32F', RedFormat, FloatType, 'float', { linear: caps.floatLinear ? 'hardware' : 'shader' });
    case 'rgb24':
      return exact('RGB8', RGBFormat, UnsignedByteType, 'float', { rawScale: 255, channels: 3 });
    case 'rgba32':
      return exact('RGBA8', RGBAFormat, UnsignedByteType, 'float', { rawScale: 255, channels: 4 });
    case 'rgb48':
      // Exact 16-bit components; the slice shader windows each component (layerShader.ts).
      return exact('RGB16UI', RGBIntegerFormat, UnsignedShortType, 'uint', { channels: 3 });
    case 'float64':
      return toFloat32('float64', caps);
    case 'int64':
      return toFloat32('int64', caps);
    case 'uint64':
      return toFloat32('uint64', caps);
    default: {
      const never: never = dtype;
      throw new Error(`INTERNAL ERROR: no texture format for ${String(never)}`);
    }
  }
}

// NRRD: a text header, then the voxels in the same file (.nrrd) or in the data files a detached
// header (.nhdr) names. The header is validated completely before any voxel memory is asked for;
// ../decodeStream.ts streams the segments. Format: http://teem.sourceforge.net/nrrd/format.html
import { axisCodes } from '../../volume/affine';
import { DATA_TYPES, type DataType } from '../../volume/dataTypes';
import type { VolumeHeader } from '../../volume/header';
import { fail, formatBytes, ok, type Result } from '../errors';
import { nrrdLayout, words, type NrrdFields } from './nrrdSpace';
import type { HeaderLength, ParsedVolume, VolumeDecoder, VoxelSegment } from './types';

/** Real headers are a few KiB (a long DWI gradient table stays under 100 KiB); more is not a header. */
export const NRRD_MAX_HEADER_BYTES = 1 << 20;
const MAX_DATA_FILES = 65536;

const TYPE_NAMES: [DataType, string[]][] = [
  ['int8', ['signed char', 'int8', 'int8_t']],
  ['uint8', ['uchar', 'unsigned char', 'uint8', 'uint8_t']],
  ['int16', ['short', 'short int', 'signed short', 'signed short int', 'int16', 'int16_t']],
  ['uint16', ['ushort', 'unsigned short', 'unsigned short int', 'uint16', 'uint16_t']],
  ['int32', ['int', 'signed int', 'int32', 'int32_t']],
  ['uint32', ['uint', 'unsigned int', 'uint32', 'uint32_t']],
  ['int64', ['longlong', 'long long', 'long long int', 'signed long long', 'signed long long int', 'int64', 'int64_t']],
  ['uint64', ['ulonglong', 'unsigned long long', 'unsigned long long int', 'uint64', 'uint64_t']],
  ['float32', ['float']],
  ['float64', ['double']],
];
const TYPES = new Map(TYPE_NAMES.flatMap(([t, names]) => names.map((n): [string, DataType] => [n, t])));

/** The DataType a NRRD type name stands for (any of the spec's spellings), if Voxlens holds it. */
export const nrrdDataType = (name: string): DataType | undefined => TYPES.get(name.trim().toLowerCase().replace(/\s+/g, ' '));

const ENCODINGS: Record<string, 'raw' | 'gzip'> = { raw: 'raw', gzip: 'gzip', gz: 'gzip' };
const REFUSED_ENCODINGS: Record<string, string> = { bzip2: 'bzip2', bz2: 'bzip2', ascii: 'ascii', text: 'ascii', txt: 'ascii', hex: 'hex' };

/** Old and new spellings of the same field. */
const ALIASES: Record<string, string> = {
  datafile: 'data file',
  lineskip: 'line skip',
  byteskip: 'byte skip',
  centerings: 'centers',
  axismins: 'axis mins',
  axismaxs: 'axis maxs',
  sampleunits: 'sample units',
};

const clip = (s: string) => (s.length > 60 ? `${s.slice(0, 57)}…` : s);

function headerLength(bytes: Uint8Array, atEnd: boolean): Result<HeaderLength> {
  const scan = bytes.subarray(0, NRRD_MAX_HEADER_BYTES + 3);
  let end = -1;
  for (let i = scan.indexOf(10); i !== -1; i = scan.indexOf(10, i + 1)) {
    if (scan[i + 1] === 10) end = i + 2;
    else if (scan[i + 1] === 13 && scan[i + 2] === 10) end = i + 3;
    if (end !== -1) break;
  }
  const nul = (end === -1 ? scan : scan.subarray(0, end)).indexOf(0);
  if (nul !== -1) {
    return fail('bad-header', `The NRRD header holds a NUL byte at offset ${nul}, before any blank line ends it: it is not a text header.`);
  }
  if (end !== -1 && end <= NRRD_MAX_HEADER_BYTES) return ok(end);
  if (end !== -1 || bytes.length > NRRD_MAX_HEADER_BYTES) {
    return fail('bad-header', `No blank line ends the NRRD header within its first ${formatBytes(NRRD_MAX_HEADER_BYTES)}; a NRRD header is a few lines of text.`);
  }
  // A detached header may end with its file, without the blank line.
  return ok(atEnd ? bytes.length : 'more');
}

interface HeaderText {
  fields: NrrdFields;
  /** The names after `data file: LIST`, one per line to the end of the header. */
  list: string[];
}

function readFields(text: string): Result<HeaderText> {
  const lines = text.split('\n').map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l));
  if (!/^NRRD000[1-9]$/.test(lines[0])) return fail('bad-magic', `The first line is "${clip(lines[0])}"; a NRRD file starts with NRRD0001 to NRRD0005.`);
  const fields = new Map<string, string>();
  const list: string[] = [];
  for (let n = 1; n < lines.length && lines[n] !== ''; n++) {
    const line = lines[n];
    if (line.startsWith('#')) continue;
    const colon = line.indexOf(':');
    if (colon === -1) return fail('bad-header', `Line ${n + 1} of the NRRD header, "${clip(line)}", is not "field: value", "key:=value" or a # comment.`);
    // key:=value pairs are free-form metadata (DWI gradients, ITK's keys): nothing Voxlens reads.
    if (line[colon + 1] === '=') continue;
    const raw = line.slice(0, colon).trim().toLowerCase();
    const name = ALIASES[raw] ?? raw;
    const value = line.slice(colon + 1).trim();
    if (fields.has(name)) return fail('bad-header', `The field "${name}" appears twice in the NRRD header, with "${clip(fields.get(name) ?? '')}" and "${clip(value)}".`);
    fields.set(name, value);
    if (name === 'data file' && value.split(/\s+/)[0] === 'LIST') {
      for (n++; n < lines.length && lines[n] !== ''; n++) if (lines[n].trim() !== '') list.push(lines[n].trim());
      break;
    }
  }
  return ok({ fields, list });
}

const integer = (text: string) => (/^[-+]?\d+$/.test(text) ? Number(text) : NaN);

/** printf's %d, %0Nd, %Nd (and %i, %u) for one integer; %% is a literal percent. */
function printfInt(pattern: string, i: number): string {
  return pattern.replace(/%%|%(0?)(\d*)[diu]/g, (m, zero: string, width: string) => {
    if (m === '%%') return '%';
    const w = Number(width || 0);
    const sign = i < 0 ? '-' : '';
    return zero ? sign + String(Math.abs(i)).padStart(w - sign.length, '0') : `${i}`.padStart(w, ' ');
  });
}

interface DataFiles {
  names: string[];
  /** The dimension of the slab each file holds, where the header states it. */
  subdim?: number;
}

function dataFiles(value: string, list: string[]): Result<DataFiles> {
  const w = words(value);
  const subdimOf = (text: string | undefined): Result<number | undefined> => {
    if (text === undefined) return ok(undefined);
    const d = integer(text);
    return d >= 1 ? ok(d) : fail('bad-header', `data file: the slab dimension "${text}" is not a positive whole number.`);
  };
  if (w[0] === 'LIST') {
    if (list.length === 0) return fail('bad-header', 'data file: LIST is not followed by any file names (one per line, to the end of the header).');
    const subdim = subdimOf(w[1]);
    return subdim.kind === 'error' ? subdim : ok({ names: list, subdim: subdim.value });
  }
  if (w.length >= 4 && w.length <= 5 && w[0].includes('%') && w.slice(1, 4).every((t) => Number.isSafeInteger(integer(t)))) {
    const [pattern, min, max, step] = [w[0], integer(w[1]), integer(w[2]), integer(w[3])];
    const conversions = pattern.replace(/%%/g, '').match(/%/g)?.length ?? 0;
    if (conversions !== 1 || !/%0?\d*[diu]/.test(pattern.replace(/%%/g, ''))) {
      return fail('bad-header', `data file: the pattern "${pattern}" must hold exactly one integer conversion such as %d or %03d.`);
    }
    if (step === 0) return fail('bad-header', `data file: "${clip(value)}" has step 0, which never reaches ${max}.`);
    const count = Math.floor((max - min) / step) + 1;
    if (count < 1) return fail('bad-header', `data file: from ${min} to ${max} in steps of ${step} names no file.`);
    if (count > MAX_DATA_FILES) return fail('bad-header', `data file: "${clip(value)}" names ${count} files; Voxlens reads at most ${MAX_DATA_FILES}.`);
    const subdim = subdimOf(w[4]);
    if (subdim.kind === 'error') return subdim;
    return ok({ names: Array.from({ length: count }, (_, k) => printfInt(pattern, min + k * step)), subdim: subdim.value });
  }
  if (value === '') return fail('bad-header', 'data file: the field is empty; it should name the file that holds the voxels.');
  return ok({ names: [value] });
}

/**
 * The data files a detached header names, in order (single name, LIST, or a %d pattern expanded);
 * null when the header names none (its voxels follow it) or the header or the field is malformed.
 */
export function nrrdDataFiles(headerText: string): string[] | null {
  const h = readFields(headerText);
  if (h.kind === 'error') return null;
  const value = h.value.fields.get('data file');
  if (value === undefined) return null;
  const files = dataFiles(value, h.value.list);
  return files.kind === 'ok' ? files.value.names : null;
}

function skip(fields: NrrdFields, name: string, min: number): Result<number> {
  const text = fields.get(name);
  if (text === undefined) return ok(0);
  const n = integer(text);
  return Number.isSafeInteger(n) && n >= min ? ok(n) : fail('bad-header', `${name} is "${clip(text)}"; it must be a whole number of at least ${min}.`);
}

function parse(bytes: Uint8Array, context: { name: string; fileBytes?: number }): Result<ParsedVolume> {
  const lengthR = headerLength(bytes, true);
  if (lengthR.kind === 'error') return lengthR;
  const length = lengthR.value === 'more' ? bytes.length : lengthR.value;
  let text = '';
  for (let i = 0; i < length; i++) text += String.fromCharCode(bytes[i]);
  const h = readFields(text);
  if (h.kind === 'error') return h;
  const { fields, list } = h.value;
  for (const required of ['type', 'dimension', 'sizes', 'encoding']) {
    if (!fields.has(required)) return fail('bad-header', `The NRRD header has no "${required}" field; type, dimension, sizes and encoding are required.`);
  }
  const typeName = fields.get('type') ?? '';
  const base = nrrdDataType(typeName);
  if (!base) {
    return typeName.trim().toLowerCase() === 'block'
      ? fail('unsupported-dtype', 'NRRD type "block" (opaque blocks of bytes) has no numeric value to show; Voxlens reads integer and floating-point types.')
      : fail('unsupported-dtype', `NRRD type "${clip(typeName)}" is not one Voxlens reads (signed/unsigned 8 to 64-bit integers, float, double).`);
  }
  const encName = (fields.get('encoding') ?? '').toLowerCase();
  const encoding = ENCODINGS[encName];
  if (!encoding) {
    const refused = REFUSED_ENCODINGS[encName];
    return refused
      ? fail('unsupported-format', `${refused}-encoded NRRD is not supported; re-save with gzip or raw encoding.`)
      : fail('bad-header', `encoding "${clip(encName)}" is not a NRRD encoding (raw, gzip, bzip2, ascii, hex).`);
  }

  const dimText = fields.get('dimension') ?? '';
  const dimension = integer(dimText);
  if (!(dimension >= 1 && dimension <= 16)) return fail('bad-dims', `dimension is "${clip(dimText)}"; a NRRD array has 1 to 16 axes.`);
  const sizeText = words(fields.get('sizes') ?? '');
  const sizes = sizeText.map(integer);
  if (sizes.length !== dimension || sizes.some((n) => !Number.isSafeInteger(n) || n < 1)) {
    return fail('bad-dims', `sizes "${clip(sizeText.join(' '))}" must be ${dimension} positive whole numbers (dimension ${dimension}).`);
  }
  const bytesPerValue = DATA_TYPES[base].bytesPerValue;
  const total = sizes.reduce((a, b) => a * b, bytesPerValue);
  if (!Number.isSafeInteger(total)) return fail('bad-dims', `sizes [${sizes.join(' × ')}] of ${bytesPerValue}-byte values overflow any file size.`);

  let littleEndian = true;
  if (bytesPerValue > 1) {
    const endian = fields.get('endian')?.toLowerCase();
    if (endian === undefined) return fail('bad-header', `The NRRD header has no "endian" field, which type ${typeName} (${bytesPerValue} bytes) needs.`);
    if (endian !== 'little' && endian !== 'big') return fail('bad-header', `endian is "${clip(endian)}"; it must be little or big.`);
    littleEndian = endian === 'little';
  }

  const layoutR = nrrdLayout(fields, sizes);
  if (layoutR.kind === 'error') return layoutR;
  const layout = layoutR.value;
  const dims = layout.spatial.map((a) => sizes[a]);
  while (dims.length < 3) dims.push(1);
  let datatype = base;
  let interleaved: number | undefined;
  const notices = layout.notices.slice();
  const extra = layout.extra;
  if (extra?.place === 'components') {
    if (base === 'uint8' && extra.size === 3 && ['rgb-color', '3-color'].includes(extra.kind)) datatype = 'rgb24';
    else if (base === 'uint8' && extra.size === 4 && ['rgba-color', '4-color'].includes(extra.kind)) datatype = 'rgba32';
    else {
      interleaved = extra.size;
      dims.push(extra.size);
      notices.push(`${extra.size} components per voxel (kind ${extra.kind}) are shown as ${extra.size} frames.`);
    }
  } else if (extra) dims.push(extra.size);

  const lineSkip = skip(fields, 'line skip', 0);
  if (lineSkip.kind === 'error') return lineSkip;
  const byteSkip = skip(fields, 'byte skip', -1);
  if (byteSkip.kind === 'error') return byteSkip;
  if (byteSkip.value === -1 && encoding !== 'raw') {
    return fail('bad-header', `byte skip -1 (voxels at the end of the file) works only with raw encoding, not ${encName}: a compressed stream's end is unknown until it is read.`);
  }

  const dataFile = fields.get('data file');
  const segment = { encoding, lineSkip: lineSkip.value, byteSkip: byteSkip.value };
  let segments: VoxelSegment[];
  if (dataFile === undefined) {
    segments = [{ file: 'self', start: length, ...segment, bytes: total }];
    const need = length + lineSkip.value + Math.max(0, byteSkip.value) + total;
    if (encoding === 'raw' && context.fileBytes !== undefined && need > context.fileBytes) {
      return fail(
        'truncated',
        `${context.name} holds ${formatBytes(context.fileBytes - length)} after its ${length}-byte header, but [${sizes.join(' × ')}] ${typeName} needs ${formatBytes(total)}${need - length > total ? ` plus ${formatBytes(need - length - total)} skipped` : ''}.`,
      );
    }
  } else {
    const files = dataFiles(dataFile, list);
    if (files.kind === 'error') return files;
    const { names, subdim } = files.value;
    const perFile = total / names.length;
    if (!Number.isInteger(perFile)) return fail('bad-header', `${formatBytes(total)} of voxels cannot be split evenly over the ${names.length} data files the header names.`);
    if (subdim !== undefined) {
      const slab = subdim <= dimension ? sizes.slice(0, subdim).reduce((a, b) => a * b, bytesPerValue) : NaN;
      if (!(perFile % slab === 0)) return fail('bad-header', `data file: ${names.length} files of ${subdim}-dimensional slabs do not fit sizes [${sizes.join(' × ')}].`);
    }
    segments = names.map((name) => ({ file: [name], start: 0, ...segment, bytes: perFile }));
  }

  const header: VolumeHeader = {
    format: 'nrrd',
    dims,
    datatype,
    datatypeCode: 0,
    littleEndian,
    slope: 1,
    inter: 0,
    affine: layout.affine,
    affineSource: layout.affineSource,
    axcodes: axisCodes(layout.affine),
    voxOffset: dataFile === undefined ? length : 0,
    description: fields.get('content') ?? '',
    intentCode: 0,
    ...(layout.spaceUnit ? { spaceUnit: layout.spaceUnit } : {}),
    ...(layout.timeUnit ? { timeUnit: layout.timeUnit } : {}),
    ...(notices.length > 0 ? { notices } : {}),
  };
  return ok({ header, segments, ...(interleaved ? { interleaved } : {}) });
}

export const nrrdDecoder: VolumeDecoder = {
  name: 'NRRD',
  // Stryker disable next-line ArrayDeclaration,StringLiteral: nothing reads a decoder's extensions; they document the format
  extensions: ['.nrrd', '.nhdr'],
  sniff: (bytes) => bytes.length >= 4 && bytes[0] === 0x4e && bytes[1] === 0x52 && bytes[2] === 0x52 && bytes[3] === 0x44,
  headerLength,
  parseHeader: parse,
};
